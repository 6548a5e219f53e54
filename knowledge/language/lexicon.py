"""The shipped general-language lexicon: lemmas, word frequencies, Ding flags, translations.

`data/lexicon.tsv.gz` is built by scripts/build_lexicon.py (from Ding's German-English
dictionary and wordfreq) and read here without either of them. One line per folded word
form or phrase, sorted, tab-separated:

    form  lemma  zipf_de*10  zipf_en*10  flags  translations

`lemma` is empty when the form is its own lemma; zipf values are empty when wordfreq has
not seen the form; flags: g = German word in Ding, e = English word in Ding, n = German
noun; translations ("|"-separated lemma keys of the other language, best first) sit on the
lemma's line. Why sorted lines and not a dict: 340,000 records as Python objects would
cost about 50 MB and a quarter of a second at start-up; kept as one list of raw lines and
searched by bisection (in C) they cost about 25 MB and 0.1 s, and a look-up about 2 µs
(cached) — a knowledge base's index looks up hundreds of thousands of made-up forms.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_FILE = "lexicon.tsv.gz"


@dataclass(frozen=True, slots=True)
class Record:
    """What the lexicon says about one folded form."""

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
    """Bisection (bisect, in C) over the sorted lines of the decompressed file."""

    def __init__(self, data: bytes) -> None:
        start = 0
        while data.startswith(b"#", start):  # header comment lines
            start = data.index(b"\n", start) + 1
        self._lines = data[start:].split(b"\n")
        if self._lines and not self._lines[-1]:
            self._lines.pop()

    def __len__(self) -> int:
        return len(self._lines)

    def lines(self) -> list[bytes]:
        """The raw sorted lines (form, lemma, zipf_de, zipf_en, flags, translations)."""
        return self._lines

    def _line(self, key: bytes) -> bytes | None:
        # "form\t..." sorts by form: a tab sorts before a space or any letter, so the
        # line of "heat" comes before that of "heat pump"
        probe = key + b"\t"
        position = bisect_left(self._lines, probe)
        if position < len(self._lines):
            line = self._lines[position]
            if line.startswith(probe) or line == key:
                return line
        if position > 0 and self._lines[position - 1] == key:
            return key
        return None

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
        return Record(
            form=form,
            lemma=fields[1] or form,
            zipf_de=int(fields[2]) / 10 if fields[2] else 0.0,
            zipf_en=int(fields[3]) / 10 if fields[3] else 0.0,
            german="g" in flags,
            english="e" in flags,
            noun="n" in flags,
            translations=tuple(fields[5].split("|")) if fields[5] else (),
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    raw = resources.files("knowledge.language").joinpath("data").joinpath(DATA_FILE).read_bytes()
    return Lexicon(gzip.decompress(raw))
