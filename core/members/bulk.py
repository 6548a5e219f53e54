"""The matchmaking index's contents as plain parts, and building them for a whole cluster.

`IndexParts` is what a `MemberIndex` holds, without its lock and parser: per slot the
profile's id, owner, whether it is shown, its tie-break bonus, its last change and its
keywords as written; per field the slots of each unit; the spellings in use per unit; the
unit table. The bulk build (`build_parts`) makes them in one pass over the rows, doing
what `MemberIndex.upsert` does row by row, only cheaper: each distinct keyword and each
distinct chunk of text is analysed once (100,000 profiles share a few thousand keywords and
text chunks), and the postings are collected as (unit, slot) pairs and sorted into place
with numpy at the end instead of appended one by one. Units are made in the same order as
row by row, so they get the same ids. The saved snapshot (snapshot.py) stores the same
parts.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import numpy as np

from core.members.keywords import chunk_words, content_chunks, keyword_words
from core.members.query import Postings
from core.members.units import UnitTable
from storage.members.matchmaking import IndexRow, micros

FIELDS = ("O", "N", "D")  # their offers, their needs, their name, place and description
Labels = tuple[tuple[str, ...], tuple[str, ...]]  # a shown profile's offers and needs
EMPTY_LABELS: Labels = ((), ())


@dataclass
class IndexParts:
    """The contents of a matchmaking index, slot by slot and unit by unit."""

    units: UnitTable
    profile_ids: np.ndarray  # int64, per slot
    owners: np.ndarray  # int64, -1 for none
    eligible: np.ndarray  # bool: shown in matchmaking
    bonus: np.ndarray  # float32: the tie-break for short profiles
    changed: np.ndarray  # int64: the profile's updated_at in µs (storage micros)
    labels: list[Labels]  # EMPTY_LABELS for a profile not shown
    postings: Postings  # field -> unit -> ascending slots
    label_counts: dict[int, Counter[str]]  # unit -> its spellings in use, by shown profiles
    slot_of: dict[int, int]  # profile id -> its live slot


class _Keywords(dict[str, int]):
    """Keyword -> its unit (-1: no content words), analysed on first sight; its interned
    spelling goes to `spelling` (100,000 profiles repeat a few thousand keywords)."""

    def __init__(self, units: UnitTable) -> None:
        super().__init__()
        self.unit = units.unit
        self.spelling: dict[str, str] = {}

    def __missing__(self, keyword: str) -> int:
        folded = keyword_words(keyword)
        self.spelling[keyword] = sys.intern(keyword)
        found = self[keyword] = self.unit(folded) if folded else -1
        return found


class _Chunks(dict[str, tuple[int, ...]]):
    """Text chunk -> the units of its words, on first sight (numbers, years and ids say
    nothing and are left out)."""

    def __init__(self, units: UnitTable) -> None:
        super().__init__()
        self.unit = units.unit

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        if chunk.isdigit() and chunk.isascii():  # "Person 4711": not kept, nothing to keep
            return ()
        found = self[chunk] = tuple(self.unit((word,)) for word in chunk_words(chunk)
                                    if not word.isdigit())
        return found


def build_parts(rows: Iterable[IndexRow], units: UnitTable) -> IndexParts:
    """Index every row at once (ids unique, as the database gives them). The loop only
    looks things up (in C: `map` over dicts that analyse what they lack); postings,
    bonuses and spellings are put together with numpy afterwards."""
    keyword = _Keywords(units)
    spelling = keyword.spelling
    chunk = _Chunks(units)
    offer_units, need_units, text_units = array("i"), array("i"), array("i")
    offer_counts, need_counts, text_counts = array("i"), array("i"), array("i")
    spelt: list[tuple[int, str]] = []  # (unit, keyword) of shown profiles, counted at the end
    ids: list[int] = []
    owners: list[int | None] = []
    eligible: list[bool] = []
    changed: list[datetime] = []
    labels: list[Labels] = []
    for row in rows:
        ids.append(row.profile_id)
        owners.append(row.owner)
        eligible.append(row.eligible)
        changed.append(row.updated_at)
        offers = list(map(keyword.__getitem__, row.offers))  # first offers, needs, text:
        needs = list(map(keyword.__getitem__, row.needs))  # units as row by row
        text = tuple(chain.from_iterable(map(chunk.__getitem__, content_chunks(row.text))))
        offer_units.extend(offers)
        offer_counts.append(len(offers))
        need_units.extend(needs)
        need_counts.append(len(needs))
        text_units.extend(text)
        text_counts.append(len(text))
        if row.eligible:
            offered = tuple(map(spelling.__getitem__, row.offers))
            needed = tuple(map(spelling.__getitem__, row.needs))
            spelt.extend(zip(offers, offered, strict=True))
            spelt.extend(zip(needs, needed, strict=True))
            labels.append((offered, needed))
        else:
            labels.append(EMPTY_LABELS)
    found = {"O": offer_units, "N": need_units, "D": text_units}
    per_row = {"O": offer_counts, "N": need_counts, "D": text_counts}
    label_counts: dict[int, Counter[str]] = {}
    for (unit_id, written), count in Counter(spelt).items():  # first seen, first listed
        if unit_id >= 0:
            label_counts.setdefault(unit_id, Counter())[written] = count
    sizes = {name: np.frombuffer(per_row[name], dtype=np.int32) for name in FIELDS}
    return IndexParts(
        units=units, profile_ids=np.array(ids, dtype=np.int64),
        owners=np.array([-1 if owner is None else owner for owner in owners], dtype=np.int64),
        eligible=np.array(eligible, dtype=bool),
        bonus=(0.001 / (1 + sizes["O"] + sizes["N"])).astype(np.float32),
        changed=np.array([micros(moment) for moment in changed], dtype=np.int64),
        labels=labels,
        postings={name: _postings(np.frombuffer(found[name], dtype=np.int32), sizes[name],
                                  len(units)) for name in FIELDS},
        label_counts=label_counts, slot_of=dict(zip(ids, range(len(ids)), strict=True)))


def _postings(units: np.ndarray, per_row: np.ndarray, unit_count: int) -> list[array | None]:
    """Per unit its slots, ascending and each once, from the units of each row in turn."""
    rows = max(len(per_row), 1)
    slots = np.repeat(np.arange(len(per_row), dtype=np.int64), per_row)
    keep = units >= 0
    pairs = np.sort(units[keep].astype(np.int64) * rows + slots[keep])  # by unit, then slot
    if len(pairs):  # a row naming two keywords of one unit lists the unit once
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    return split_postings((pairs % rows).astype(np.int32),
                          np.bincount(pairs // rows, minlength=unit_count))


def split_postings(ordered: np.ndarray, counts: np.ndarray) -> list[array | None]:
    """Slots grouped by unit (`counts[unit]` of them, in unit order) as one array each."""
    ends = np.cumsum(counts).tolist()
    sizes = counts.tolist()
    data = ordered.tobytes()
    width = ordered.itemsize
    lists: list[array | None] = [None] * len(sizes)
    for unit in np.flatnonzero(counts).tolist():
        piece = array("i")
        piece.frombytes(data[(ends[unit] - sizes[unit]) * width:ends[unit] * width])
        lists[unit] = piece
    return lists
