"""Build knowledge/language/data/lexicon.tsv.gz, the general-language lexicon the bot ships.

Run at build time only (the bot needs none of its inputs at run time):

    apt-get install trans-de-en          # Ding, German-English, GPL-2+
    .venv/bin/pip install wordfreq       # word frequencies, data CC BY-SA 4.0
    .venv/bin/python scripts/build_lexicon.py

What goes in, per folded word form (see knowledge/language/lexicon.py for the format):
- its lemma, from Ding's inflection groups ("Wärmepumpe {f} | Wärmepumpen {pl}",
  "fördern {vt} | fördernd | gefördert", "to lift | lifting | lifted", "schwach {adj} |
  schwächer | am schwächsten") and, for forms Ding does not list, the suffix rules of
  knowledge.language.inflection checked against Ding;
- its Zipf frequency in German and in English (wordfreq's "large" lists), which tells an
  everyday word ("machen", "Firma") from a content word ("Wärmepumpe");
- whether Ding lists it as a German or English word, and as a German noun;
- for a lemma (or a phrase such as "heat pump"), its translations: every aligned pair of
  terms on a Ding line ("Wärmepumpe" :: "heat pump", "Familienbetrieb" :: "family
  business"), ranked by how often and how prominently the pair occurs and how strongly its
  words go together in Ding's examples and compounds (a word's common senses), the best
  few kept;
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
import os
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
from knowledge.language.lemmas import (  # noqa: E402 - as at run time
    FIRST_PERSON_MARGIN,
    GERMAN_FORM_ZIPF,
)

OUTPUT = ROOT / "knowledge" / "language" / "data" / "lexicon.tsv.gz"
EXTRA_BRIDGE = ROOT / "scripts" / "bridge_extra.tsv"
MIN_ZIPF = {"de": 2.5, "en": 2.5}  # a form only wordfreq knows
MIN_DING_ZIPF = 1.0  # a Ding word is shipped if wordfreq has seen it at all
MAX_TRANSLATIONS = 5
SHIP_RARE_NOUNS = True
MAX_PHRASE_WORDS = 3
LATER_GROUP = 0.6  # a pair from a compound or example group, not the headword group
LATER_ALTERNATIVE = 0.8  # a pair whose term is not the first alternative of its group
# How much a pair's association in Ding's parallel text (Builder.associations) adds to its
# rank: all of it for the key's most associated target, proportionally less for others,
# nothing when the pair shares fewer than MIN_JOINT groups
ASSOCIATION = 0.6
MIN_JOINT = 2
MAX_PLURAL_ENDING = 3  # letters a plural adds to its singular ("-nen", "-en", "-e", "-s")


def single(term: ding.Term) -> str | None:
    folded = words(term.text)
    return folded[0] if len(folded) == 1 else None


def _looks_like(form: str, lemma: str, *, umlaut: bool = False) -> bool:
    """Whether a form starts like its lemma (a participle after its ge-; with `umlaut`,
    a comparative with its umlaut: "aelter" and "alt")."""
    start = form[:1] + form[2:3] if umlaut and form[1:2] == "e" and form[:1] in "aou" \
        else form[:2]
    return start == lemma[:2] or (form.startswith("ge") and form[2:4] == lemma[:2])


class Builder:
    def __init__(self, lines: list[ding.Line],
                 texts: list[tuple[str, str]] | None = None) -> None:
        self.lines = lines
        self.texts = texts or []  # aligned (German, English) group texts, examples included
        self.headwords: set[str] = set()
        # inflections per language: "plant" is a form of German "planen" and an English
        # noun, "fault" one of "faulen" and an English noun
        self.lemma_of: dict[str, dict[str, str]] = {"de": {}, "en": {}}
        self.english_headwords: set[str] = set()
        self.english_verb_forms: set[str] = set()  # "building" in "to build | building"
        # German comparatives: "schwach {adj} | schwächer | am schwächsten"
        self.comparative_of: dict[str, str] = {}
        # plurals from lines whose groups do not line up (Builder._unaligned_plurals): the
        # last resort for a form that has no lemma otherwise, never a step of another's
        self.loose_plural_of: dict[str, str] = {}
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
            elif german:
                self._unaligned_plurals(head, plural)
        if german and "adj" in head_tags and len(side) >= 3 and side[2] and len(
                side[1]) == len(head) and all(term.text.startswith("am ") for term in side[2]):
            # "schwach {adj} | schwächer | am schwächsten": the comparative is no form of
            # "Schwäche" (which inflection's rules, stripping "-er", would find first)
            for base, form in zip(head, side[1], strict=True):
                word, lemma = single(form), single(base)
                if word and lemma and word != lemma and _looks_like(word, lemma, umlaut=True):
                    self.comparative_of.setdefault(word, lemma)
        if head_tags & ding.VERB_TAGS:
            for group in side[1:6]:
                if len(group) != len(head) or any(term.tags for term in group):
                    break
                for base, form in zip(head, group, strict=True):
                    word = single(form)
                    self._map(word, single(base), german=german)
                    if not german and word:
                        self.english_verb_forms.add(word)

    def _unaligned_plurals(self, head: tuple[ding.Term, ...],
                           plural: tuple[ding.Term, ...]) -> None:
        """Plurals of a line whose plural group does not line up with its head group
        ("Vorteil {m}; Avance {f} | Vorteile {pl}; Avancen {pl}; Überlegenheit {f}"): each
        plural goes to the singular it continues ("Vorteile" -> "Vorteil"), none by guess."""
        singulars = [word for word in map(single, head) if word]
        for term in plural:
            form = single(term)
            if not form or "pl" not in term.tags:
                continue
            # the singular it shares the longest start with ("Atemzüge" is no "Atem"), the
            # line's first on a tie ("Abgeordneten": "Abgeordnete", not "Abgeordneter")
            for singular in sorted(singulars, key=lambda word: -len(os.path.commonprefix(
                    [word, form]))):
                if form != singular and len(form) - len(singular) <= MAX_PLURAL_ENDING and (
                        form.startswith(singular[:max(3, len(singular) - 1)])):
                    self.loose_plural_of.setdefault(form, singular)
                    break

    def _map(self, form: str | None, lemma: str | None, *, german: bool) -> None:
        """Record an inflection; forms must look like their lemma (Ding's groups are not
        always parallel: "close" is no form of "draw"), German participles with ge-."""
        if not form or not lemma or form == lemma:
            return
        if _looks_like(form, lemma):
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
        found = self._lemma(form)
        if found != form and form.endswith("e") and found in self.nouns:
            verb = self.first_person_of(form, found)
            if verb is not None:
                return verb
        return found

    def first_person_of(self, form: str, noun: str) -> str | None:
        """The verb whose first person a form in -e is, when that verb is far more frequent
        than the noun the form would otherwise be read as ("finanziere" -> "finanzieren",
        "entscheide" -> "entscheiden": Ding lists "Finanziere" as a plural of "Finanzier"
        and "Entscheid" is Swiss; "Wünsche", "Teile", "Gewinne" stay nouns), or None."""
        base = form[:-1]
        candidates = [base + "en", base + "n"]
        if base.endswith(("l", "r")):
            candidates.append(base[:-1] + "e" + base[-1] + "n")
        zipf = self.zipf["de"]
        for verb in candidates:
            if verb in self.verbs and verb in self.base_headwords and zipf.get(
                    verb, 0.0) >= zipf.get(noun, 0.0) + FIRST_PERSON_MARGIN:
                return verb
        return None

    def _lemma(self, form: str) -> str:
        if form in self.base_headwords:
            return form
        if form in self.comparative_of:  # the adjective's lemma ("gerechter" -> "gerecht")
            return self.lemma(self.comparative_of[form])
        mapped = self.mapped(form)
        if mapped is not None:
            return mapped
        if form in self.loose_plural_of:
            reduced = self._reduced(form)  # a verb's form first: "betreute" is "betreuen"
            return reduced if reduced in self.verbs else self.loose_plural_of[form]
        if form in self.headwords or form in self.plural_headwords:
            return form
        return self._reduced(form)

    def _reduced(self, form: str) -> str:
        """The lemma the suffix rules find for a form Ding does not list, or the form."""
        base = inflection.reduce(form, lambda c, lang: (
            c in self.headwords or c in self.lemma_of["de"] or c in self.lemma_of["en"]
            or lang == "de" and c in self.comparative_of)
            and c in (self.german if lang == "de" else self.english))
        if base is None:
            return form
        if base in self.comparative_of:  # "schwächeren" -> "schwächer" -> "schwach"
            return self.lemma(base)
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
        more for its association in Ding's parallel text (so "Rolle" is "role" before
        "block", see associations), and a little for the target's frequency (so "weather"
        beats a miners' term)."""
        best: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        seen: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        pairs: set[tuple[str, str]] = set()  # (German key, English key)
        for line in self.lines:
            for index, (german, english) in enumerate(zip(line.german, line.english,
                                                          strict=True)):
                group_weight = 1.0 if index == 0 else LATER_GROUP
                for i, de_term in enumerate(german):
                    de_key = self.key(de_term.text, verb=bool(de_term.tags & ding.VERB_TAGS))
                    for j, en_term in enumerate(english):
                        en_key = self.key(en_term.text, verb=bool(en_term.tags & ding.VERB_TAGS))
                        if not de_key or not en_key:
                            continue
                        if de_key == en_key:  # no translation, but a yardstick for them
                            pairs.add((de_key, en_key))
                            continue
                        weight = group_weight * (LATER_ALTERNATIVE if i else 1.0) * (
                            LATER_ALTERNATIVE if j else 1.0)
                        pairs.add((de_key, en_key))
                        for source, target in ((de_key, en_key), (en_key, de_key)):
                            best[source][target] = max(best[source][target], weight)
                            seen[source][target] += 1
        association = self.associations(pairs)
        scores = {source: {target: weight + 0.05 * min(seen[source][target], 4)
                           for target, weight in targets.items()}
                  for source, targets in best.items()}
        for source, targets in scores.items():
            # the strongest association of the key, with its own spelling in the other
            # language too ("Cluster" :: "cluster"), so a key whose best translation is
            # itself does not make its best other one ("Büschel") its main sense
            strongest = max([association.get((source, target), 0.0) for target in targets]
                            + [association.get((source, source), 0.0)])
            if strongest > 0.0:
                for target in targets:
                    targets[target] += ASSOCIATION * association.get(
                        (source, target), 0.0) / strongest
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

    def associations(self, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """How strongly each (German key, English key) pair goes together in Ding's
        parallel text: the Dice coefficient of the aligned groups (headwords, inflections,
        compounds, examples) whose German side has the German key's words and whose
        English side the English key's, both ways round.

        A dictionary lists rare senses as prominently as common ones ("Rolle" :: "block",
        "list" :: "lassen" from "sich sagen lassen" :: "listen", "Typ" :: "leiten" from
        "n-leitend" :: "n type"), but its examples use a word in its common senses:
        "Rolle" goes with "role" in 50 groups ("eine wichtige Rolle spielen"), with
        "block" in none. A phrase key's count is that of its rarest word (an upper
        bound), so a phrase's association is, if anything, understated."""
        if not self.texts:
            return {}
        by_words: dict[tuple[str, str], list[tuple[str, str, frozenset[str],
                                                   frozenset[str]]]] = defaultdict(list)
        for de_key, en_key in pairs:
            de_words, en_words = de_key.split(), en_key.split()
            by_words[(de_words[0], en_words[0])].append(
                (de_key, en_key, frozenset(de_words), frozenset(en_words)))
        cache: dict[str, str] = {}

        def keys(text: str) -> set[str]:
            found = set()
            for word in words(text):
                if len(word) > 1 and word.isalpha() and not is_function_word(word):
                    key = cache.get(word)
                    if key is None:
                        key = cache[word] = self.lemma(word)
                    found.add(key)
            return found

        count = {"de": defaultdict(int), "en": defaultdict(int)}
        joint: dict[tuple[str, str], int] = defaultdict(int)
        for de_text, en_text in self.texts:
            german, english = keys(de_text), keys(en_text.replace("sth.", " ").replace(
                "sb.", " "))
            for key in german:
                count["de"][key] += 1
            for key in english:
                count["en"][key] += 1
            for de_word in german:
                for en_word in english:
                    for de_key, en_key, de_words, en_words in by_words.get(
                            (de_word, en_word), ()):
                        if de_words <= german and en_words <= english:
                            joint[(de_key, en_key)] += 1
        found: dict[tuple[str, str], float] = {}
        for (de_key, en_key), shared in joint.items():
            if shared < MIN_JOINT:
                continue
            de_count = min(count["de"][word] for word in de_key.split())
            en_count = min(count["en"][word] for word in en_key.split())
            dice = 2 * shared / (de_count + en_count)
            for pair in ((de_key, en_key), (en_key, de_key)):  # a pair may occur both ways
                found[pair] = max(found.get(pair, 0.0), dice)
        return found

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
    builder = Builder(list(ding.read(args.ding)), list(ding.aligned_texts(args.ding)))
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
