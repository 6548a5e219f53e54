"""Members: profiles, invites, join requests, introductions, monitoring figures (issue #4)."""

from __future__ import annotations
