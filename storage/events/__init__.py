"""Storage of the events feature: events, registrations, B2B meetings, follow-ups (issue #14)."""
