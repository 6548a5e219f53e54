"""The matchmaking index's snapshot on disk: where it lives; its file format is
storage.snapshot_files (checked before anything in it is used, never unpickled).

Where: next to the SQLite file (`data/cluster_advisor.sqlite3.matchindex`); for PostgreSQL
in the bot's own data folder, `data/cache/matchindex-<database>.bin`, named after the
database (host, port, name and user, never the password), so two databases never share a
file. An in-memory database has none.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import make_url

from storage.snapshot_files import cache_folder, read_arrays, write_arrays

MAGIC = b"cluster-advisor matchindex\n"
SUFFIX = ".matchindex"
WHAT = "matchmaking snapshot"


def snapshot_path(database_url: str, folder: Path | None = None) -> Path | None:
    """Where the snapshot for this database lives (None for an in-memory database)."""
    place = cache_folder(database_url, folder)
    if place is None:
        return None
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return place / (Path(str(url.database)).name + SUFFIX)
    where = f"{url.get_backend_name()}://{url.username or ''}@{url.host or ''}:" \
            f"{url.port or ''}/{url.database or ''}"
    name = hashlib.blake2b(where.encode(), digest_size=8).hexdigest()
    return place / f"matchindex-{name}.bin"


def write_snapshot(path: Path, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bool:
    """Save the arrays under `header` (replacing an older file at once); False, logged,
    when the folder cannot be written (the bot then simply builds the index at start)."""
    return write_arrays(path, MAGIC, header, arrays, what=WHAT)


def read_snapshot(path: Path, expected: dict[str, Any]) -> dict[str, np.ndarray] | None:
    """The arrays of the snapshot at `path` if it is whole and its header has every value
    of `expected`; else None (logged when there was a file)."""
    return read_arrays(path, MAGIC, expected, what=WHAT)
