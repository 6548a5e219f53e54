"""Fixtures of the pitfalls' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pitfalls.health_support import Fill, databases


@pytest.fixture
def prepared(database_url: str) -> Iterator[Fill]:
    """Services on a fresh database, filled with a Cluster (SQLite, and PostgreSQL too)."""
    yield from databases(database_url)
