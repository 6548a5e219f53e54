"""The pitfalls feature: self-check results, funding records, the counts for /health."""
