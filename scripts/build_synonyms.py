"""Build knowledge/language/data/synonyms.tsv.gz, the same-language synonyms the bot ships.

Run at build time only (the bot needs none of its inputs at run time):

    apt-get install mythes-de mythes-en-us   # OpenThesaurus (LGPL-2.1+), WordNet-based en_US
    .venv/bin/python scripts/build_synonyms.py

The German-English bridge (knowledge/language/bridge.py) finds synonyms only by a round
trip through the other language, and a round trip drifts, so it follows only the first
translations: "Schwierigkeit" never reaches "Herausforderung", "in charge" never
"responsible". A thesaurus lists them directly. Both files have the MyThes format:

    headword|number of senses
    (part of speech)|synonym|synonym (annotation)|...      one line per sense

What goes in, per lemma key (knowledge.language.lemmas.lemma of the folded word, so the key
is the one a matcher analyses a word into): the lemma keys of the single-word synonyms of
its senses that are no rare words (MIN_ZIPF), those shared by more senses first, then the
more frequent ones, at most MAX_SYNONYMS; for a headword that is no rare word itself
(MIN_HEAD_ZIPF): the table stays under 3 MB in memory. German annotations ("(ugs.)",
"(fachspr.)") are dropped with the word kept. English items with an annotation are
broader or related terms and antonyms ("(generic term)", "(antonym)") and are left out, but
for an adjective's similar terms ("quick" ~ "fast": one more tuning question answered, none
lost). Both languages share one table: a key that is a word of both ("rat") gets
both lists, and a matcher takes only synonyms that its own texts use.

Output lines, sorted, in the lexicon's format (knowledge/language/lexicon.py) with the
synonyms in the translations' column: "key<TAB><TAB><TAB><TAB><TAB>syn|syn|...".
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.language.folding import words  # noqa: E402
from knowledge.language.lemmas import lemma  # noqa: E402
from knowledge.language.weights import zipf  # noqa: E402

THESAURI = (Path("/usr/share/mythes/th_de_DE_v2.dat"), Path("/usr/share/mythes/th_en_US_v2.dat"))
OUTPUT = ROOT / "knowledge" / "language" / "data" / "synonyms.tsv.gz"
MAX_SYNONYMS = 8  # a matcher uses the first two its own texts know (analysis.py)
MIN_ZIPF = 2.5  # rarer synonyms ("Schwulibus") are hardly a word a knowledge base uses
MIN_HEAD_ZIPF = 1.5  # ... and rarer words hardly one a member writes
KEPT_ENGLISH = ("(similar term)",)  # the one annotation whose items are kept
ANNOTATION = re.compile(r"\s*\([^)]*\)")


def senses(path: Path) -> list[list[str]]:
    """Each sense of the thesaurus as its words (headword first), annotations dropped."""
    english = "_en_" in path.name
    found: list[list[str]] = []
    head: str | None = None
    with path.open(encoding="utf-8", errors="replace") as lines:
        lines.readline()  # the encoding
        for line in lines:
            line = line.rstrip("\n")
            if not line.startswith(("-", "(")):
                head = line.split("|", 1)[0]
                continue
            items = line.split("|")[1:]
            kept = [ANNOTATION.sub("", item).strip() for item in items
                    if not (english and "(" in item and not item.endswith(KEPT_ENGLISH))]
            if head is not None:
                found.append([head, *kept])
    return found


def key_of(word: str) -> str | None:
    """The lemma key of a single-word term, or None for a phrase or a non-word."""
    folded = words(word)
    if len(folded) != 1 or len(folded[0]) < 3 or not folded[0].isalpha():
        return None
    return lemma(folded[0])


def table(paths: tuple[Path, ...]) -> dict[str, list[str]]:
    shared: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        for sense in senses(path):
            head = key_of(sense[0])
            if head is None:
                continue
            for key in {key_of(item) for item in sense[1:]} - {None, head}:
                shared[head][key] += 1
    return {head: sorted((k for k in counts if zipf(k) >= MIN_ZIPF),
                         key=lambda k: (-counts[k], -zipf(k), k))[:MAX_SYNONYMS]
            for head, counts in shared.items() if zipf(head) >= MIN_HEAD_ZIPF}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    missing = [str(path) for path in THESAURI if not path.exists()]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: apt-get install mythes-de mythes-en-us")
    synonyms = table(THESAURI)
    lines = [f"{key}\t\t\t\t\t{'|'.join(found)}" for key, found in synonyms.items() if found]
    body = "\n".join(sorted(lines, key=lambda line: line.encode())) + "\n"
    header = ("# same-language synonyms by lemma key, built by scripts/build_synonyms.py from\n"
              "# OpenThesaurus (LGPL-2.1+) and LibreOffice's WordNet-based en_US thesaurus\n")
    # no time stamp in the file: the same thesauri build the same bytes
    args.output.write_bytes(gzip.compress((header + body).encode(), compresslevel=9, mtime=0))
    print(f"{len(lines)} keys -> {args.output} ({args.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
