"""Build knowledge/language/data/lexicon.tsv.gz, the general-language lexicon the bot ships.

Run at build time only (the bot needs none of its inputs at run time):

    apt-get install trans-de-en          # Ding, German-English, GPL-2+
    .venv/bin/pip install wordfreq       # word frequencies, data CC BY-SA 4.0
    .venv/bin/python scripts/build_lexicon.py

What goes in, per folded word form (see knowledge/language/lexicon.py for the format):
- its lemma, from Ding's inflection groups ("Wärmepumpe {f} | Wärmepumpen {pl}",
  "fördern {vt} | fördernd | gefördert", "to lift | lifting | lifted") and, for forms Ding
  does not list, the suffix rules of knowledge.language.inflection checked against Ding;
- its Zipf frequency in German and in English (wordfreq's "large" lists), which tells an
  everyday word ("machen", "Firma") from a content word ("Wärmepumpe");
- whether Ding lists it as a German or English word, and as a German noun;
- for a lemma (or a phrase such as "heat pump"), its translations: every aligned pair of
  terms on a Ding line ("Wärmepumpe" :: "heat pump", "Familienbetrieb" :: "family
  business"), ranked by how often and how prominently the pair occurs, the best few kept;
- a few bridge pairs Ding lacks (scripts/bridge_extra.tsv, written by us).

Forms come from Ding (every single word it lists that wordfreq has seen, and every German
noun it translates, however rare: "Kühltransport", "Spurenstoff") and from wordfreq (forms
with a Zipf frequency of at least MIN_ZIPF in that language). A term's key is the lemma of
each of its words without the function words inside a phrase ("building in timber" ->
"building timber", as a matcher sees it); a form English uses far more than German gets its
English lemma ("fault", not "faulen"), one German uses often keeps its German one ("plant"
-> "planen": texts are analysed without knowing their language).
"""

from __future__ import annotations

import argparse
import gzip
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import ding  # noqa: E402

from knowledge.language import inflection  # noqa: E402
from knowledge.language.folding import fold, words  # noqa: E402
from knowledge.language.function_words import is_function_word  # noqa: E402
from knowledge.language.lemmas import GERMAN_FORM_ZIPF  # noqa: E402 - as at run time

OUTPUT = ROOT / "knowledge" / "language" / "data" / "lexicon.tsv.gz"
EXTRA_BRIDGE = ROOT / "scripts" / "bridge_extra.tsv"
MIN_ZIPF = {"de": 2.5, "en": 2.5}  # a form only wordfreq knows
MIN_DING_ZIPF = 1.0  # a Ding word is shipped if wordfreq has seen it at all
MAX_TRANSLATIONS = 5
SHIP_RARE_NOUNS = True
MAX_PHRASE_WORDS = 3
LATER_GROUP = 0.6  # a pair from a compound or example group, not the headword group
LATER_ALTERNATIVE = 0.8  # a pair whose term is not the first alternative of its group


def single(term: ding.Term) -> str | None:
    folded = words(term.text)
    return folded[0] if len(folded) == 1 else None


class Builder:
    def __init__(self, lines: list[ding.Line]) -> None:
        self.lines = lines
        self.headwords: set[str] = set()
        # inflections per language: "plant" is a form of German "planen" and an English
        # noun, "fault" one of "faulen" and an English noun
        self.lemma_of: dict[str, dict[str, str]] = {"de": {}, "en": {}}
        self.english_headwords: set[str] = set()
        self.english_verb_forms: set[str] = set()  # "building" in "to build | building"
        self.german: set[str] = set()
        self.english: set[str] = set()
        self.nouns: set[str] = set()
        self.verbs: set[str] = set()  # "Vermeiden {n}" is a noun, but first a verb
        self.plural_headwords: set[str] = set()
        self.base_headwords: set[str] = set()  # German singular nouns and infinitives
        self.zipf: dict[str, dict[str, float]] = {"de": {}, "en": {}}

    # ---- words and lemmas --------------------------------------------------------------
    def collect_words(self) -> None:
        for line in self.lines:
            for side, bucket in ((line.german, self.german), (line.english, self.english)):
                for index, group in enumerate(side):
                    for term in group:
                        word = single(term)
                        if word is None:
                            continue
                        bucket.add(word)
                        if index == 0:
                            if side is line.english:
                                self.english_headwords.add(word)
                            if side is line.german and term.tags <= {"pl"} and term.tags:
                                self.plural_headwords.add(word)
                            else:
                                self.headwords.add(word)
                            if side is line.german and term.tags and "pl" not in term.tags \
                                    and term.tags & (ding.NOUN_TAGS | ding.VERB_TAGS):
                                self.base_headwords.add(word)
                        if side is line.german and term.tags & (ding.NOUN_TAGS | {"pl"}):
                            self.nouns.add(word)
                        if side is line.german and term.tags & ding.VERB_TAGS:
                            self.verbs.add(word)
            self._inflections(line.german, german=True)
            self._inflections(line.english, german=False)

    def _inflections(self, side: tuple[tuple[ding.Term, ...], ...], *, german: bool) -> None:
        """Map plurals to singulars and verb forms to the infinitive, from one line."""
        if len(side) < 2 or not side[0]:
            return
        head = side[0]
        head_tags = frozenset().union(*(term.tags for term in head))
        if german and head_tags & ding.NOUN_TAGS or not german and len(side[1]) == len(head):
            plural = side[1]
            if len(plural) == len(head) and (not german or all("pl" in t.tags for t in plural)):
                for sg, pl in zip(head, plural, strict=True):
                    self._map(single(pl), single(sg), german=german)
        if head_tags & ding.VERB_TAGS:
            for group in side[1:6]:
                if len(group) != len(head) or any(term.tags for term in group):
                    break
                for base, form in zip(head, group, strict=True):
                    word = single(form)
                    self._map(word, single(base), german=german)
                    if not german and word:
                        self.english_verb_forms.add(word)

    def _map(self, form: str | None, lemma: str | None, *, german: bool) -> None:
        """Record an inflection; forms must look like their lemma (Ding's groups are not
        always parallel: "close" is no form of "draw"), German participles with ge-."""
        if not form or not lemma or form == lemma:
            return
        if form[:2] == lemma[:2] or (form.startswith("ge") and form[2:4] == lemma[:2]):
            self.lemma_of["de" if german else "en"].setdefault(form, lemma)

    def load_frequencies(self) -> None:
        import wordfreq  # build-time only

        for lang in ("de", "en"):
            table = self.zipf[lang]
            for word, frequency in wordfreq.get_frequency_dict(lang, wordlist="large").items():
                zipf = round(math.log10(frequency * 1e9), 1)
                folded = fold(word)
                if folded.isalpha() and folded.isascii() and zipf > table.get(folded, 0.0):
                    table[folded] = zipf

    def english_first(self, form: str) -> bool:
        """A form English uses far more than German: its English inflection wins ("fault",
        "building" are English nouns before they are forms of "faulen" or anything German).
        A form German uses often keeps its German lemma ("plant" is "planen"): a text's
        words are analysed without knowing its language, and "Wie plant man ..." must stay
        a question about planning."""
        german = self.zipf["de"].get(form, 0.0)
        return form in self.english and german < GERMAN_FORM_ZIPF and (
            self.zipf["en"].get(form, 0.0) > german)

    def mapped(self, form: str) -> str | None:
        """The lemma Ding's inflection groups give a form; an English verb form that is a
        headword too is its own lemma ("building" the noun, not a form of "build": "timber
        buildings" and Ding's "building in timber" must get one key)."""
        if self.english_first(form):
            headword = form in self.english_headwords
            if headword and form in self.english_verb_forms:
                return form
            found = self.lemma_of["en"].get(form)
            return form if found is None and headword else found or self.lemma_of["de"].get(form)
        found = self.lemma_of["de"].get(form)
        return found if found is not None else self.lemma_of["en"].get(form)

    def lemma(self, form: str) -> str:
        if form in self.base_headwords:
            return form
        mapped = self.mapped(form)
        if mapped is not None:
            return mapped
        if form in self.headwords or form in self.plural_headwords:
            return form
        base = inflection.reduce(form, lambda c, lang: (
            c in self.headwords or c in self.lemma_of["de"] or c in self.lemma_of["en"])
            and c in (self.german if lang == "de" else self.english))
        if base is None:
            return form
        return self.mapped(base) or base

    def key(self, text: str, *, verb: bool = False) -> str:
        """The lemma key of a term, without the function words of a phrase: a matcher
        drops them too, so "building in timber" must meet "timber buildings", and "a long
        time" is "long time". A verb's particle stays: "keep up" is not "keep" ("Schritt
        halten" is no translation of "keep")."""
        found = words(text)
        content = [word for number, word in enumerate(found)
                   if not is_function_word(word) or verb and number == len(found) - 1]
        return " ".join(self.lemma(word) for word in content or found)

    # ---- bridge --------------------------------------------------------------------------
    def bridge(self) -> dict[str, list[str]]:
        """Translations per key: the best weight of a pair, a little for each repetition,
        and a little for the target's frequency (so "weather" beats a miners' term)."""
        best: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        seen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for line in self.lines:
            for index, (german, english) in enumerate(zip(line.german, line.english,
                                                          strict=True)):
                group_weight = 1.0 if index == 0 else LATER_GROUP
                for i, de_term in enumerate(german):
                    de_key = self.key(de_term.text, verb=bool(de_term.tags & ding.VERB_TAGS))
                    for j, en_term in enumerate(english):
                        en_key = self.key(en_term.text, verb=bool(en_term.tags & ding.VERB_TAGS))
                        if not de_key or not en_key or de_key == en_key:
                            continue
                        weight = group_weight * (LATER_ALTERNATIVE if i else 1.0) * (
                            LATER_ALTERNATIVE if j else 1.0)
                        for source, target in ((de_key, en_key), (en_key, de_key)):
                            best[source][target] = max(best[source][target], weight)
                            seen[source][target] += 1
        scores = {source: {target: weight + 0.05 * min(seen[source][target], 4)
                           for target, weight in targets.items()}
                  for source, targets in best.items()}
        if EXTRA_BRIDGE.exists():
            for raw in EXTRA_BRIDGE.read_text(encoding="utf-8").splitlines():
                if raw.strip() and not raw.startswith("#"):
                    de_text, en_text = raw.split("\t")[:2]
                    de_key, en_key = self.key(de_text), self.key(en_text)
                    scores.setdefault(de_key, {})[en_key] = 10.0
                    scores.setdefault(en_key, {})[de_key] = 10.0

        def popularity(key: str) -> float:
            return min(max(self.zipf["de"].get(w, 0.0), self.zipf["en"].get(w, 0.0))
                       for w in key.split())

        return {key: [other for other, _ in sorted(
                    targets.items(),
                    key=lambda item: (-item[1] - 0.05 * popularity(item[0]), item[0])
                )][:2 * MAX_TRANSLATIONS]
                for key, targets in scores.items()}

    def rare_nouns(self, translations: dict[str, list[str]]) -> set[str]:
        """German nouns wordfreq has hardly seen but Ding translates: the compounds of a
        trade ("Kühltransport" :: "refrigerated transport", "Spurenstoff" :: "trace
        substance") are what members write in their profiles."""
        return {word for word in self.nouns - self.verbs
                if word in translations and word.isalpha() and len(word) >= 6}

    # ---- output --------------------------------------------------------------------------
    def rows(self) -> list[str]:
        zde, zen = self.zipf["de"], self.zipf["en"]
        forms = {w for w in self.german | self.english
                 if max(zde.get(w, 0.0), zen.get(w, 0.0)) >= MIN_DING_ZIPF}
        for lang in ("de", "en"):
            forms.update(w for w, z in self.zipf[lang].items() if z >= MIN_ZIPF[lang])
        translations = self.bridge()
        if SHIP_RARE_NOUNS:
            forms |= self.rare_nouns(translations)
        # phrases ("heat pump") are kept when a shipped word translates to them
        phrases = {target for key in forms for target in translations.get(key, ())
                   if " " in target}
        phrases |= {key for key in translations if " " in key and any(
            target in forms for target in translations[key])}
        phrases = {phrase for phrase in phrases if phrase.count(" ") < MAX_PHRASE_WORDS}
        keys = sorted(forms | phrases)
        nouns = self.nouns - self.verbs
        shipped = forms | phrases
        translations = {key: [t for t in targets if t in shipped][:MAX_TRANSLATIONS]
                        for key, targets in translations.items()}
        rows = []
        for key in keys:
            lemma = self.lemma(key) if " " not in key else key
            flags = "".join(flag for flag, bucket in (("g", self.german), ("e", self.english),
                                                       ("n", nouns)) if key in bucket)
            de, en = zde.get(key, 0.0), zen.get(key, 0.0)
            rows.append("\t".join((
                key, "" if lemma == key else lemma,
                str(round(de * 10)) if de else "", str(round(en * 10)) if en else "",
                flags, "|".join(translations.get(key, ())) if lemma == key else "",
            )).rstrip("\t"))
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ding", type=Path, default=ding.DING_PATH)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if not args.ding.exists():
        sys.exit(f"{args.ding} not found: apt-get install trans-de-en")
    builder = Builder(list(ding.read(args.ding)))
    builder.collect_words()
    builder.load_frequencies()
    rows = builder.rows()
    header = [
        "# Cluster Advisor lexicon: form, lemma, zipf_de*10, zipf_en*10, flags, translations",
        "# Built by scripts/build_lexicon.py from Ding de-en (Frank Richter, GPL-2+) and",
        "# wordfreq (Robyn Speer, data CC BY-SA 4.0). Distributed under GPL-3.0-or-later.",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("\n".join(header + rows) + "\n")
    print(f"{len(rows):,} rows -> {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
