"""A file of numpy arrays that is checked before anything in it is used: the on-disk format
of the indexes a restart reads back instead of building them (matchmaking, questions).

The file: a magic line naming what it holds, a header (JSON: the format, what the caller
says the contents depend on, the payload's BLAKE2b digest and length) and the payload,
numpy arrays in `.npz` form, read with `allow_pickle=False`. Nothing in it is ever executed
or unpickled: a damaged, truncated or crafted file can at worst be rejected, never run code.
A file whose magic, digest, length or header does not fit is ignored (the caller builds
afresh), and it is written to a temporary file first and renamed, so a crash mid-write
leaves the old file or none, never half of one.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 1
MAX_HEADER = 1 << 16
CHUNK = 1 << 16
SERVER_FOLDER = Path("data") / "cache"  # beside where the SQLite file would be by default

log = logging.getLogger(__name__)


def cache_folder(database_url: str, cache_dir: Path | None = None) -> Path | None:
    """Where a database's snapshots live: `cache_dir` (the CACHE_DIR setting), else beside
    the SQLite file, else (a database server) SERVER_FOLDER; None for an in-memory database,
    which keeps none. Read from the URL's text, without SQLAlchemy (`ask` starts without it)."""
    scheme, _, rest = database_url.partition("://")
    if scheme.split("+")[0] == "sqlite":
        database = rest[1:].partition("?")[0] if rest.startswith("/") else ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return cache_dir if cache_dir is not None else Path(database).parent
    return cache_dir if cache_dir is not None else SERVER_FOLDER


def files_digest(files: Iterable[Path], root: Path) -> str:
    """A digest of files' names (relative to `root`) and contents: what a snapshot's code
    and data were. Each file is read once per process, in pieces (the lexicon is 6 MB, and
    both the question index and the matchmaking index depend on it)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_file_digest(path))
    return digest.hexdigest()


@cache
def _file_digest(path: Path) -> bytes:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "blake2b").digest()


def write_arrays(path: Path, magic: bytes, header: dict[str, Any],
                 arrays: dict[str, np.ndarray], *, what: str) -> bool:
    """Save the arrays under `header` (replacing an older file at once); False, logged,
    when the folder cannot be written (the caller then simply builds again next time).

    The payload goes to a temporary file first and is copied behind the header in pieces:
    held in memory it would stay in the process's resident size after it is freed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent) as payload:
            np.savez(payload, allow_pickle=False, **arrays)  # type: ignore[arg-type]
            length = payload.tell()
            payload.seek(0)
            digest = hashlib.file_digest(payload, "blake2b").hexdigest()
            head = json.dumps({**header, "format": FORMAT, "length": length,
                               "blake2b": digest}).encode()
            handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp",
                                                 dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(magic + head + b"\n")
                    payload.seek(0)
                    shutil.copyfileobj(payload, out, CHUNK)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    except OSError as exc:
        log.warning("%s not saved to %s: %s", what, path, exc)
        return False
    return True


def read_arrays(path: Path, magic: bytes, expected: dict[str, Any], *,
                what: str) -> dict[str, np.ndarray] | None:
    """The arrays of the file at `path` if it is whole and its header has every value of
    `expected`; else None (logged when there was a file)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s %s unreadable: %s", what, path, exc)
        return None
    reason = _rejected(data, magic, expected)
    if isinstance(reason, str):
        log.info("%s %s ignored: %s", what, path, reason)
        return None
    return reason


def _rejected(data: bytes, magic: bytes, expected: dict[str, Any]
              ) -> dict[str, np.ndarray] | str:
    """The arrays, or why the file is not used."""
    if not data.startswith(magic):
        return "not a snapshot"
    end = data.find(b"\n", len(magic), len(magic) + MAX_HEADER)
    if end < 0:
        return "no header"
    try:
        header = json.loads(data[len(magic):end])
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
