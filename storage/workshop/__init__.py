"""Storage of the workshop feature: rounds, participants, contributions, votes, invites."""
