"""The questions feature: the log of questions the advisor could not answer."""
