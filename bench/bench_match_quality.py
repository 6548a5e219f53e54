"""Matchmaking quality on the dev set, tune and held apart, and on the talk-topic set.

The 59 profiles of tests/data/dev/match_profiles.toml become members of a fresh SQLite
database (type "network" is the project's "cluster"); each query of match_queries.toml runs
through the same search as `/match KEYWORDS`, each [[direction]] case through `/match`
without keywords for that member's own profile. Per split it prints:

- queries with every expected id in the top 3, by kind (cross_lingual, compound, ...);
- direction cases with every expected id in the top 3;
- "none" queries that return nobody (nobody above the score threshold);
and, once, queries about nothing the dev profiles do (EXTRA_NONE, written while tuning)
and the talk-topic set (tests/data/members_match_cases.toml against
members_match.csv: expected organisation in the top 3, `none` cases return nobody).

Thresholds and weights are chosen on split "tune" only. `--errors` lists the failures of
the tune split (never of held: held cases are not looked at while tuning).

Goals (issue #9), on held: both partners in the top 3 for >= 0.85 of the queries (aim 0.95);
talk-topic set >= 0.95.

    .venv/bin/python bench/bench_match_quality.py [--errors]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.features import registry  # noqa: E402
from core.members import concepts  # noqa: E402
from core.members.csv_io import import_members, parse_members_csv  # noqa: E402
from core.members.keywords import load_synonyms  # noqa: E402
from core.members.matching import search  # noqa: E402
from core.services import Services, build_services  # noqa: E402
from core.settings import load_settings  # noqa: E402
from storage.engine import session_scope  # noqa: E402
from storage.members.profiles import profiles_by_id  # noqa: E402
from tests.members.dev_set import TOP, Case, DevSet, evaluate, load_dev  # noqa: E402

DATA = ROOT / "tests" / "data"
# queries about nothing any dev profile does, written while tuning (not part of the dev set,
# so no split): they helped choose MIN_SCORE and the part weights together with "tune"
EXTRA_NONE = ("Kuchenrezepte", "Fußballverein", "wedding planning", "Haustierfutter",
              "knitting patterns", "Urlaubsreisen", "Opernkarten", "dog grooming",
              "Schmuckdesign", "Weinhandel", "car rental", "Kinderbetreuung", "poetry",
              "Briefmarken", "surfing lessons", "Modeblog", "Zahnarztpraxis", "horse riding",
              "Gartenmöbel", "cryptocurrency trading", "Bäckerei", "tattoo studio",
              "Videospiele", "stock photography", "Hochzeitsfotografie", "chess club")
TABLE_COVERED = 0.7  # a spelling the language layer alone links this well needs no entry


def start(path: Path) -> Services:
    return build_services(load_settings(None, database_url=f"sqlite:///{path}"), registry())


def print_miss(group: str, case: Case, found: list[str]) -> None:
    what = case.get("text") or case.get("profile")
    print(f"  MISS [{group}] {what!r}: want {case['expect']}, got {found[:5]}")


def talk_topics(folder: Path, errors: bool) -> tuple[int, int]:
    services = start(folder / "talk.sqlite3")
    try:
        report = parse_members_csv((DATA / "members_match.csv").read_bytes())
        import_members(services, report)
        cases = tomllib.loads((DATA / "members_match_cases.toml").read_text("utf-8"))["case"]
        right = 0
        for case in cases:
            hits = search(services, case["q"]).hits
            with session_scope(services.engine) as session:
                found = profiles_by_id(session=session, ids=[h.profile_id for h in hits])
            names = [found[h.profile_id].organization for h in hits]
            ok = names == [] if case.get("none") else case["expect"] in names[:TOP]
            right += ok
            if errors and not ok:
                print(f"  MISS [talk] {case['q']!r}: want {case.get('expect')}, "
                      f"got {names[:5]}")
        return right, len(cases)
    finally:
        services.close()


def table_report() -> None:
    """List the table's spellings the language layer alone links to their concept's labels
    (affinity >= TABLE_COVERED): entries made only of such spellings can go."""
    table = load_synonyms()
    concepts.abbreviations = dict  # concepts from the language layer alone
    for cached in (concepts._term_concepts, concepts._word_concepts):
        cached.cache_clear()
    for cid, concept in table.concepts.items():
        labels = list(dict.fromkeys(concept.label.values()))

        def linked(spelling: str, labels: list[str] = labels) -> float:
            return max(min(concepts.affinity(concepts.term_concepts(spelling),
                                             concepts.term_concepts(label, query=False)),
                           concepts.affinity(concepts.term_concepts(label),
                                             concepts.term_concepts(spelling, query=False)))
                       for label in labels if label != spelling or len(labels) == 1)

        weak = [s for s in concept.spellings if linked(s) < TABLE_COVERED]
        verdict = "needed for " + ", ".join(repr(s) for s in weak) if weak else "COVERED"
        print(f"{cid:<24} {verdict}")


def share(value: tuple[int, int]) -> str:
    right, total = value
    return f"{right / total:5.2f} ({right}/{total})" if total else "  –"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list the tune split's misses")
    parser.add_argument("--split", choices=("tune", "held"), action="append",
                        help="only these splits (default: both)")
    parser.add_argument("--table", action="store_true",
                        help="only list which table entries the language layer covers")
    args = parser.parse_args()
    if args.table:
        table_report()
        return
    splits = tuple(args.split or ("tune", "held"))
    profiles, queries, directions = load_dev()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        services = start(folder / "dev.sqlite3")
        try:
            dev = DevSet(services, profiles)
            results = {split: evaluate(dev, queries, directions, split,
                                       print_miss if args.errors and split == "tune" else None)
                       for split in splits}
            extra = (sum(not dev.query(text) for text in EXTRA_NONE), len(EXTRA_NONE))
        finally:
            services.close()
        talk = talk_topics(folder, args.errors)
    groups = sorted({g for r in results.values() for g in r},
                    key=lambda g: (g in ("all queries", "direction", "none"), g))
    print(f"{'':<16}" + "".join(f"{split:<16}" for split in splits))
    for group in groups:
        print(f"{group:<16}" + "".join(f"{share(results[s].get(group, (0, 0))):<16}"
                                       for s in splits))
    print(f"{'extra none':<16}{share(extra)}  (EXTRA_NONE above, nobody expected)")
    print(f"{'talk topics':<16}{share(talk)}  (tests/data/members_match_cases.toml, no split)")


if __name__ == "__main__":
    main()
