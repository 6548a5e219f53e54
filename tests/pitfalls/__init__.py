"""Tests of the pitfalls feature: self-check, funding, health, charts."""
