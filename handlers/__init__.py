"""Telegram handlers: one thin module per feature, each with one `register(application)`."""
