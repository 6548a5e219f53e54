"""The action plan: items, status history, reminder state (issue #3)."""

from __future__ import annotations
