"""Self-check results and funding records (issue #5)."""

from __future__ import annotations
