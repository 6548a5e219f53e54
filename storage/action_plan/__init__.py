"""The action plan's storage: tables (items, history, reminder state) and the queries that
serve the items, the digest, the reminder pass and privacy."""
