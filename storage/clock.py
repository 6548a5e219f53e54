"""Time in UTC: every timestamp is stored in UTC and shown in the cluster's time zone."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
