"""Tests of the members feature: joining, roles, profiles, matchmaking, introductions,
statistics, privacy."""
