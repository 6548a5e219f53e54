"""The question matcher's index kept on disk between runs, so a restart answers at once.

Building the index analyses every phrasing of the knowledge base (about 0.25 s for the
shipped one, seconds for a large one) before the first question can be answered; reading
it back takes milliseconds. The file (storage.snapshot_files: checked by digest, never
unpickled) is trusted only for what its header says it was made from:

- the same knowledge base: a digest of every entry's id, phrasings and whether it answers
  facts of this cluster — so a manager's new entry or phrasing means a new index;
- the same code and language data: a digest of knowledge/ (the analysis, the index, the
  lexicon); an upgrade builds afresh.

Where: the settings' CACHE_DIR, else beside the SQLite file, else (PostgreSQL) data/cache;
an in-memory database keeps none. One file per knowledge base (`questionindex-<digest>.bin`),
the newest few kept: the shipped talk and the talk with the cluster's own entries both
start from a file. A damaged or foreign file is ignored and replaced; a folder that cannot
be written only means building at every start.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path

import knowledge
from core.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.index import PHRASING_LANGUAGES, from_arrays, to_arrays
from knowledge.matcher import Matcher
from storage.snapshot_files import cache_folder, files_digest, read_arrays, write_arrays

MAGIC = b"cluster-advisor questionindex\n"
WHAT = "question index snapshot"
PREFIX = "questionindex-"
KEEP = 4  # files kept in the folder (the talk alone, with the cluster's entries, ...)
KNOWLEDGE = Path(knowledge.__file__).resolve().parent

log = logging.getLogger(__name__)


@cache
def code_fingerprint() -> str:
    """A digest of the code and data an index follows from (read once per process)."""
    return files_digest(sorted(
        path for path in KNOWLEDGE.rglob("*") if path.is_file()
        and path.suffix in (".py", ".gz", ".tsv", ".toml") and "__pycache__" not in path.parts
        and "content" not in path.relative_to(KNOWLEDGE).parts), KNOWLEDGE)


def knowledge_digest(knowledge_base: KnowledgeBase) -> str:
    """A digest of what the index is built from: each entry's id, phrasings and flag."""
    digest = hashlib.blake2b(digest_size=16)
    for entry in knowledge_base.entries:
        parts = [entry.id, "1" if entry.cluster_facts else "0"]
        for lang in PHRASING_LANGUAGES:
            parts += [lang, entry.title.get(lang, ""), *entry.questions.get(lang, ()),
                      "\x1e", *entry.keywords.get(lang, ())]
        digest.update("\x1f".join(parts).encode() + b"\x1d")
    return digest.hexdigest()


def folder_of(settings: Settings) -> Path | None:
    """Where the index files live (None: an in-memory database, nothing is kept)."""
    return cache_folder(settings.database_url, settings.cache_dir)


def matcher_for(settings: Settings, knowledge_base: KnowledgeBase) -> Matcher:
    """A matcher over `knowledge_base`, its index read from disk when one was saved for it,
    else built (and saved for the next start)."""
    folder = folder_of(settings)
    if folder is None:
        return Matcher(knowledge_base)
    content = knowledge_digest(knowledge_base)
    path = folder / f"{PREFIX}{content[:16]}.bin"
    header = {"kind": "questions", "code": code_fingerprint(), "knowledge": content}
    arrays = read_arrays(path, MAGIC, header, what=WHAT)
    if arrays is not None:
        try:
            index = from_arrays(arrays, list(knowledge_base.entries))
        except ValueError as exc:
            log.info("%s %s ignored: %s", WHAT, path, exc)
        else:
            return Matcher(knowledge_base, index=index)
    matcher = Matcher(knowledge_base)
    if write_arrays(path, MAGIC, header, to_arrays(matcher.index), what=WHAT):
        _forget_old(folder)
    return matcher


def _forget_old(folder: Path) -> None:
    """Keep the KEEP newest index files: older knowledge bases are not coming back."""
    try:
        files = sorted(folder.glob(f"{PREFIX}*.bin"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # another instance removed one first, or no permission
        log.debug("old question index files not removed from %s: %s", folder, exc)
