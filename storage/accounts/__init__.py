"""Everyone who has talked to the bot (kernel: identity, roles, language)."""
