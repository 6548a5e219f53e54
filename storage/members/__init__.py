"""The members feature's storage: tables and data access by topic."""
