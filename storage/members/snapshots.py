"""The matchmaking index's snapshot on disk: where it lives, and a file format that is
checked before anything in it is used.

Where: next to the SQLite file (`data/cluster_advisor.sqlite3.matchindex`); for PostgreSQL
in the bot's own data folder, `data/cache/matchindex-<database>.bin`, named after the
database (host, port, name and user, never the password), so two databases never share a
file. An in-memory database has none.

The file: a magic line, a header (JSON: the format, what the caller says the contents
depend on, the payload's BLAKE2b digest and length) and the payload, numpy arrays in
`.npz` form, read with `allow_pickle=False`. Nothing in it is ever executed or unpickled:
a damaged, truncated or crafted file can at worst be rejected, never run code. A file
whose magic, digest, length or header does not fit is ignored (the caller rebuilds), and it
is written to a temporary file first and renamed, so a crash mid-write leaves the old file
or none, never half of one.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.engine import make_url

MAGIC = b"cluster-advisor matchindex\n"
FORMAT = 1
SUFFIX = ".matchindex"
SERVER_FOLDER = Path("data") / "cache"  # beside where the SQLite file would be by default
MAX_HEADER = 1 << 16

log = logging.getLogger(__name__)


def snapshot_path(database_url: str, folder: Path | None = None) -> Path | None:
    """Where the snapshot for this database lives (None for an in-memory database)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        path = Path(url.database)
        return (folder / path.name if folder else path).with_name(path.name + SUFFIX)
    where = f"{url.get_backend_name()}://{url.username or ''}@{url.host or ''}:" \
            f"{url.port or ''}/{url.database or ''}"
    name = hashlib.blake2b(where.encode(), digest_size=8).hexdigest()
    return (folder or SERVER_FOLDER) / f"matchindex-{name}.bin"


def write_snapshot(path: Path, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bool:
    """Save the arrays under `header` (replacing an older file at once); False, logged,
    when the folder cannot be written (the bot then simply builds the index at start)."""
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)  # type: ignore[arg-type]
    payload = buffer.getbuffer()
    head = json.dumps({**header, "format": FORMAT, "length": len(payload),
                       "blake2b": hashlib.blake2b(payload).hexdigest()}).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + head + b"\n")
                out.write(payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("matchmaking snapshot not saved to %s: %s", path, exc)
        return False
    return True


def read_snapshot(path: Path, expected: dict[str, Any]) -> dict[str, np.ndarray] | None:
    """The arrays of the snapshot at `path` if it is whole and its header has every value
    of `expected`; else None (logged when there was a file)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("matchmaking snapshot %s unreadable: %s", path, exc)
        return None
    reason = _rejected(data, expected)
    if isinstance(reason, str):
        log.info("matchmaking snapshot %s ignored: %s", path, reason)
        return None
    return reason


def _rejected(data: bytes, expected: dict[str, Any]) -> dict[str, np.ndarray] | str:
    """The arrays, or why the file is not used."""
    if not data.startswith(MAGIC):
        return "not a snapshot"
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        return "no header"
    try:
        header = json.loads(data[len(MAGIC):end])
    except ValueError:
        return "damaged header"
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return "another format"
    wrong = [key for key, value in expected.items() if header.get(key) != value]
    if wrong:
        return f"made for another {', '.join(wrong)}"
    payload = memoryview(data)[end + 1:]
    if len(payload) != header.get("length") or \
            hashlib.blake2b(payload).hexdigest() != header.get("blake2b"):
        return "damaged or incomplete"
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        return f"unreadable arrays ({exc})"
