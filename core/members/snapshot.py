"""The matchmaking index saved between runs, so a restart has it ready at once.

A snapshot is the index's parts (bulk.py) as numpy arrays and JSON string lists, in the
file format of `storage.members.snapshots` (checked by digest, never unpickled). It is
trusted only as far as it is checked:

- made by this code: the header carries a fingerprint of the sources and data the index's
  contents follow from (the members' matching modules, the language layer with its
  lexicon, the abbreviation table); another version of any of them means a rebuild;
- complete and whole: length and digest, then every array's shape and range, so that a
  damaged file can only be rejected, never make a search fail;
- up to date, row by row: after loading, every profile's id, last change, visibility
  (with its owner's role and MANAGER_IDS) and owner are read from the database
  (`index_versions`, no keyword lists) and compared; profiles changed, added or shown
  differently since are indexed again, deleted ones removed (`stale`). So an edit, a
  deletion, a hidden profile or a demoted owner while the bot was down — or a database
  restored from a backup, or another one altogether — is never missed. When most rows
  differ, the index is built afresh instead.

Saved slots are compacted: profiles edited since the last build take one slot each again.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

import knowledge.language
from core.members.bulk import EMPTY_LABELS, FIELDS, IndexParts, Labels, split_postings
from core.members.keywords import SYNONYMS_FILE
from core.members.units import UnitTable
from storage.members.matchmaking import IndexVersions
from storage.snapshot_files import files_digest

MEMBERS = Path(__file__).resolve().parent
STORAGE = MEMBERS.parents[1] / "storage" / "members" / "matchmaking.py"
LANGUAGE = Path(knowledge.language.__file__).resolve().parent


def _json(values: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(values, ensure_ascii=False).encode(), dtype=np.uint8)


def _unjson(values: np.ndarray) -> Any:
    return json.loads(values.tobytes())


@cache
def fingerprint() -> str:
    """A digest of everything the index's contents follow from besides the database (read
    once per process)."""
    return files_digest([*sorted(MEMBERS.glob("*.py")), STORAGE, SYNONYMS_FILE,
                         *sorted(path for path in LANGUAGE.rglob("*")
                                 if path.is_file() and "__pycache__" not in path.parts)],
                        MEMBERS.parents[1])


# ------------------------------------------------------------------------ saving
def to_arrays(parts: IndexParts) -> dict[str, np.ndarray]:
    """The parts as arrays, live slots only (called under the index's lock)."""
    live = np.array(sorted(parts.slot_of.values()), dtype=np.int64)
    remap = np.full(len(parts.profile_ids), -1, dtype=np.int64)
    remap[live] = np.arange(len(live))
    spellings: dict[str, int] = {}

    def spelling(word: str) -> int:
        return spellings.setdefault(word, len(spellings))

    label_words: list[int] = []
    label_ends: list[int] = []
    label_offers: list[int] = []
    for slot in live.tolist():
        offers, needs = parts.labels[slot]
        label_offers.append(len(offers))
        label_words.extend(spelling(word) for word in (*offers, *needs))
        label_ends.append(len(label_words))
    counted = [(unit, spelling(word), count) for unit, counts in parts.label_counts.items()
               for word, count in counts.items()]
    units = parts.units
    keys = list(units._keys)  # the unit table's own state, saved whole
    entries = [units._keys[key] for key in keys]
    arrays: dict[str, np.ndarray] = {
        "profile_ids": parts.profile_ids[live], "owners": parts.owners[live],
        "eligible": parts.eligible[live], "bonus": parts.bonus[live],
        "changed": parts.changed[live],
        "label_words": np.array(label_words, dtype=np.int32),
        "label_ends": np.array(label_ends, dtype=np.int64),
        "label_offers": np.array(label_offers, dtype=np.int32),
        "counted": np.array(counted, dtype=np.int64).reshape(-1, 3),
        "unit_words": _json(units.words),
        "keys": _json(keys),
        "key_sizes": np.array([len(entry[0]) for entry in entries], dtype=np.int64),
        "key_units": _concat([entry[0] for entry in entries], np.int32),
        "key_weights": _concat([entry[1] for entry in entries], np.float32),
        "key_translated": _concat([entry[2] for entry in entries], np.int8),
        "vocabulary": _json(sorted(units._vocabulary)),
        "glued": _json(list(units._glued.items())),
        "written": _json(sorted(units._written)),
    }
    for name in FIELDS:
        lists = parts.postings[name]
        sizes = np.zeros(len(units), dtype=np.int64)
        pieces = [np.frombuffer(slots, dtype=np.int32) if slots else np.zeros(0, np.int32)
                  for slots in lists]
        sizes[: len(lists)] = [len(piece) for piece in pieces]
        flat = remap[np.concatenate(pieces)] if pieces else np.zeros(0, np.int64)
        owner = np.repeat(np.arange(len(units)), sizes)
        keep = flat >= 0  # slots of edited or deleted profiles are dropped
        arrays[f"post_{name}_sizes"] = np.bincount(owner[keep], minlength=len(units))
        arrays[f"post_{name}_slots"] = flat[keep].astype(np.int32)
    arrays["spellings"] = _json(list(spellings))
    return arrays


def _concat(pieces: list[array], kind: type) -> np.ndarray:
    if not pieces:
        return np.zeros(0, dtype=kind)
    return np.concatenate([np.frombuffer(piece, dtype=kind) for piece in pieces])


# ------------------------------------------------------------------------ loading
class Damaged(ValueError):
    """A snapshot whose arrays do not fit together."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise Damaged(what)


def from_arrays(arrays: dict[str, np.ndarray], table_words: frozenset[str]) -> IndexParts:
    """The parts of a saved index (`Damaged` when its arrays do not fit together)."""
    try:
        return _from_arrays(arrays, table_words)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        raise Damaged(str(exc)) from None


def _from_arrays(arrays: dict[str, np.ndarray], table_words: frozenset[str]) -> IndexParts:
    size = len(arrays["profile_ids"])
    for name in ("owners", "eligible", "bonus", "changed", "label_ends", "label_offers"):
        _check(len(arrays[name]) == size, f"{name}: {len(arrays[name])} for {size} slots")
    units = UnitTable(table_words)
    words = [tuple(folded) for folded in _unjson(arrays["unit_words"])]
    count = len(words)
    units.words = words
    units._ids = {folded: unit for unit, folded in enumerate(words)}
    _check(len(units._ids) == count, "repeated units")
    units._keys = _keys(arrays, count)
    units._vocabulary = set(_unjson(arrays["vocabulary"]))
    units._glued = {glued: tuple(folded)
                    for glued, folded in _unjson(arrays["glued"])}
    units._written = set(_unjson(arrays["written"]))
    spellings = [sys.intern(word) for word in _unjson(arrays["spellings"])]
    labels = _labels(arrays, spellings, size)
    label_counts: dict[int, Counter[str]] = {}
    for unit, word, number in arrays["counted"].tolist():
        _check(0 <= unit < count, "spelling of an unknown unit")
        label_counts.setdefault(unit, Counter())[spellings[word]] = number
    postings = {}
    for name in FIELDS:
        sizes = arrays[f"post_{name}_sizes"].astype(np.int64)
        slots = arrays[f"post_{name}_slots"].astype(np.int32)
        _check(len(sizes) == count and int(sizes.sum()) == len(slots)
               and (len(slots) == 0 or (int(slots.min()) >= 0 and int(slots.max()) < size)),
               f"postings {name}")
        postings[name] = split_postings(slots, sizes)
    ids = arrays["profile_ids"].astype(np.int64)
    return IndexParts(
        units=units, profile_ids=ids, owners=arrays["owners"].astype(np.int64),
        eligible=arrays["eligible"].astype(bool), bonus=arrays["bonus"].astype(np.float32),
        changed=arrays["changed"].astype(np.int64), labels=labels, postings=postings,
        label_counts=label_counts, slot_of=dict(zip(ids.tolist(), range(size), strict=True)))


def _keys(arrays: dict[str, np.ndarray], unit_count: int
          ) -> dict[str, tuple[array, array, array]]:
    keys = _unjson(arrays["keys"])
    sizes = arrays["key_sizes"].astype(np.int64)
    units = arrays["key_units"].astype(np.int32)
    weights = arrays["key_weights"].astype(np.float32)
    translated = arrays["key_translated"].astype(np.int8)
    total = int(sizes.sum()) if len(sizes) else 0
    _check(len(sizes) == len(keys) and len(units) == len(weights) == len(translated) == total
           and (total == 0 or (int(units.min()) >= 0 and int(units.max()) < unit_count)),
           "concept keys")
    ends = np.cumsum(sizes).tolist()
    unit_bytes, weight_bytes, flag_bytes = units.tobytes(), weights.tobytes(), translated.tobytes()
    table: dict[str, tuple[array, array, array]] = {}
    start = 0
    for key, end in zip(keys, ends, strict=True):
        entry = (array("i"), array("f"), array("b"))
        entry[0].frombytes(unit_bytes[start * 4:end * 4])
        entry[1].frombytes(weight_bytes[start * 4:end * 4])
        entry[2].frombytes(flag_bytes[start:end])
        table[key] = entry
        start = end
    return table


def _labels(arrays: dict[str, np.ndarray], spellings: list[str], size: int) -> list[Labels]:
    words = arrays["label_words"]
    ends = arrays["label_ends"].astype(np.int64)
    offers = arrays["label_offers"].astype(np.int64)
    starts = np.concatenate(([0], ends[:-1])) if size else ends
    _check(len(words) == 0 or (int(words.min()) >= 0 and int(words.max()) < len(spellings)),
           "label words")
    _check(size == 0 or (bool(np.all(starts <= ends)) and int(ends[-1]) == len(words)
                         and bool(np.all((offers >= 0) & (offers <= ends - starts)))),
           "label ends")
    spelt = list(map(spellings.__getitem__, words.tolist()))
    middles = (starts + offers).tolist()
    return [(tuple(spelt[start:middle]), tuple(spelt[middle:end])) if shown else EMPTY_LABELS
            for start, middle, end, shown in zip(starts.tolist(), middles, ends.tolist(),
                                                 arrays["eligible"].tolist(), strict=True)]


# ------------------------------------------------------------------------ refreshing
@dataclass(frozen=True)
class Stale:
    """What a loaded index must do to match the database: index `changed` again (edited,
    added, or shown differently), take out `removed`."""

    changed: list[int]
    removed: list[int]


def stale(parts: IndexParts, versions: IndexVersions) -> Stale:
    """Compare the index's live profiles with the database's, row by row."""
    live = np.array(sorted(parts.slot_of.values()), dtype=np.int64)
    mine = parts.profile_ids[live]
    theirs = np.array(versions.ids, dtype=np.int64)
    both, at_mine, at_theirs = np.intersect1d(mine, theirs, assume_unique=True,
                                              return_indices=True)
    slots = live[at_mine]
    differ = ((parts.changed[slots] != np.array(versions.changed, dtype=np.int64)[at_theirs])
              | (parts.eligible[slots] != np.array(versions.eligible, dtype=bool)[at_theirs])
              | (parts.owners[slots] != np.array(versions.owners, dtype=np.int64)[at_theirs]))
    added = np.setdiff1d(theirs, both, assume_unique=True)
    gone = np.setdiff1d(mine, both, assume_unique=True)
    return Stale(sorted([*both[differ].tolist(), *added.tolist()]), gone.tolist())
