"""The shipped general-language lexicon: lemmas, word frequencies, Ding flags, translations.

`data/lexicon.tsv.gz` is built by scripts/build_lexicon.py (from Ding's German-English
dictionary and wordfreq) and read here without either of them. One line per folded word
form or phrase, sorted, tab-separated:

    form  lemma  zipf_de*10  zipf_en*10  flags  translations

`lemma` is empty when the form is its own lemma; zipf values are empty when wordfreq has
not seen the form; flags: g = German word in Ding, e = English word in Ding, n = German
noun; translations ("|"-separated lemma keys of the other language, best first) sit on the
lemma's line. Why sorted lines and not a dict: half a million records as Python objects
would cost about 80 MB and half a second at start-up. Kept as one bytes object, with every
32nd line as a head for bisection (bisect, in C) and the lines' start offsets as 4-byte
numbers, they cost about 25 MB and 0.2 s (a list of one bytes object per line cost 42 MB),
and a look-up about 2-4 µs (cached after) — a knowledge base's index looks up hundreds of
thousands of made-up forms.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

DATA_FILE = "lexicon.tsv.gz"
BLOCK = 32  # lines per bisection block
NEWLINE = ord("\n")
TAB = ord("\t")
CHUNK = 1 << 20  # bytes scanned for line starts at a time
GZIP_WBITS = 16 + zlib.MAX_WBITS


class Record(NamedTuple):
    """What the lexicon says about one folded form (a named tuple: an index build makes
    tens of thousands, and a frozen dataclass costs five times as much to make)."""

    form: str
    lemma: str
    zipf_de: float
    zipf_en: float
    german: bool
    english: bool
    noun: bool
    translations: tuple[str, ...]

    @property
    def zipf(self) -> float:
        return max(self.zipf_de, self.zipf_en)


class Lexicon:
    """Bisection (bisect, in C) over blocks of the decompressed file's sorted lines.

    The lines stay one bytes object: only every BLOCK-th line is a Python object of its own
    (for the bisection), so half a million lines cost their bytes and not half a million
    objects of 33 bytes' overhead each. A look-up bisects the block heads, then the lines
    of one block."""

    def __init__(self, data: bytes) -> None:
        start = 0
        while data.startswith(b"#", start):  # header comment lines
            start = data.index(b"\n", start) + 1
        self._data = data  # not sliced: a copy would double the peak
        self._end = len(data)
        while self._end > start and data[self._end - 1] == NEWLINE:
            self._end -= 1
        # where each line starts, as 4-byte numbers (Python ints would cost 36 bytes each)
        self._starts = array("I")
        if self._end > start:
            self._starts.append(start)
            for chunk in range(start, self._end, CHUNK):  # small temporaries
                view = np.frombuffer(data, dtype=np.uint8, count=min(CHUNK, self._end - chunk),
                                     offset=chunk)
                ends = np.flatnonzero(view == NEWLINE) + chunk + 1
                self._starts.frombytes(ends.astype(np.uint32).tobytes())
        self._heads = [self._line_at(number) for number in range(0, len(self._starts), BLOCK)]
        # each block's (start, end), computed once: a look-up is mostly Python overhead
        self._spans = [self._span(block) for block in range(len(self._heads))]

    def __len__(self) -> int:
        return len(self._starts)

    def _line_at(self, number: int) -> bytes:
        end = self._starts[number + 1] - 1 if number + 1 < len(self._starts) else self._end
        return self._data[self._starts[number]:end]

    def _span(self, block: int) -> tuple[int, int]:
        """Where a block's lines lie in the data, the next block's first line included."""
        first = block * BLOCK
        last = min(first + BLOCK, len(self._starts) - 1)
        end = self._starts[last + 1] - 1 if last + 1 < len(self._starts) else self._end
        return self._starts[first], end

    def lines(self) -> Iterator[bytes]:
        """The raw sorted lines (form, lemma, zipf_de, zipf_en, flags, translations)."""
        for block in range(len(self._heads)):
            start, end = self._spans[block]
            yield from self._data[start:end].split(b"\n")[:BLOCK]

    def lines_starting(self, prefix: bytes) -> list[bytes]:
        """The raw lines whose form starts with `prefix`, in order: the sorted lines make
        them one run, found by bisection, so a caller reads a slice and not all the lines."""
        if not self._heads or not prefix:
            return []
        first = max(bisect_right(self._heads, prefix) - 1, 0)
        last = len(self._heads) - 1
        if prefix[-1] < 255:  # the first form beyond the prefix's run
            after = prefix[:-1] + bytes([prefix[-1] + 1])
            last = max(bisect_right(self._heads, after) - 1, first)
        start, end = self._spans[first][0], self._spans[last][1]
        return [line for line in self._data[start:end].split(b"\n") if line.startswith(prefix)]

    def _line(self, key: bytes) -> bytes | None:
        """The line of `key`: "key\t..." or, when nothing follows the form, "key".

        A form ends at a tab, or at the line's end when nothing follows it; both sort before
        every byte a form holds, so within the sorted block the first line that starts with
        `key` is key's own line, if it has one — one search, whether found or not."""
        if not self._heads:
            return None
        start, end = self._spans[max(bisect_right(self._heads, key + b"\t") - 1, 0)]
        data = self._data
        if data.startswith(key, start):
            found = start
        else:
            found = data.find(b"\n" + key, start, end + len(key) + 1) + 1
            if not found:
                return None
        after = found + len(key)
        if after < self._end and data[after] not in (TAB, NEWLINE):
            return None  # a longer form ("heat pump", "heater"): key has no line of its own
        line_end = data.find(b"\n", after)
        return data[found:line_end if 0 <= line_end < self._end else self._end]

    @lru_cache(maxsize=200_000)  # noqa: B019 - one lexicon per process, kept for its life
    def get(self, form: str) -> Record | None:
        """The record of a folded form or phrase ("waermepumpe", "heat pump"), or None."""
        if not form.isascii():
            return None
        line = self._line(form.encode())
        if line is None:
            return None
        fields = line.decode().split("\t") + [""] * 5
        flags = fields[4]
        return Record(form, fields[1] or form,
                      int(fields[2]) / 10 if fields[2] else 0.0,
                      int(fields[3]) / 10 if fields[3] else 0.0,
                      "g" in flags, "e" in flags, "n" in flags,
                      tuple(fields[5].split("|")) if fields[5] else ())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    return shipped_table(DATA_FILE)


def shipped_table(name: str) -> Lexicon:
    """A sorted table of the lexicon's format shipped in `data/` (the lexicon, the
    thesaurus), read into one buffer."""
    raw = resources.files("knowledge.language").joinpath("data").joinpath(name).read_bytes()
    return Lexicon(decompressed(raw))


def decompressed(raw: bytes) -> bytes:
    """A gzip file's content in one buffer of its final size (read from the file's last
    four bytes): gzip.decompress grows its buffer as it goes, which doubles the peak."""
    size = int.from_bytes(raw[-4:], "little")
    return zlib.decompress(raw, wbits=GZIP_WBITS, bufsize=max(size, 1))
