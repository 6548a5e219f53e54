"""Matchmaking speed and memory: /match against 100,000 profiles, in-process.

Goals (issues #4, #9 and #11): p99 <= 50 ms per /match, index kept up to date when a profile
changes, peak memory <= 500 MB; the index built from scratch no slower than bm25s, and ready
<= 2 s after a restart (the snapshot, refreshed by the profiles changed meanwhile).

A child process fills a SQLite database with synthetic profiles (keywords drawn from a fixed
list of talk-topic keywords in both languages, tests/data/members_match_bench_keywords.txt,
plus invented compounds, so the vocabulary is about 6,000 keywords and 20,000 words); this
process then measures what the bot does: build the index on first use (every distinct
keyword expanded into concepts once), answer queries (typed keywords with typos, several
keywords, "my needs"), and re-index edited profiles. Peak memory is this process's maximum
resident set size. Quality is measured apart, by bench/bench_match_quality.py.

    .venv/bin/python bench/bench_match.py [--profiles 100000] [--queries 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

try:  # an optional yardstick, not a dependency of the bot
    import bm25s  # type: ignore[import-untyped, unused-ignore]
except ImportError:
    bm25s = None

from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.features import registry  # noqa: E402
from core.identity import identify  # noqa: E402
from core.members.common import member_index, reindex  # noqa: E402
from core.members.index import MemberIndex  # noqa: E402
from core.router import run_command  # noqa: E402
from core.services import Services, build_services  # noqa: E402
from core.settings import load_settings  # noqa: E402
from storage.clock import utcnow  # noqa: E402
from storage.engine import make_engine, session_scope, upgrade_schema  # noqa: E402
from storage.members.matchmaking import index_rows  # noqa: E402
from storage.members.profiles import get_profile, save_profile  # noqa: E402
from storage.members.snapshots import snapshot_path  # noqa: E402
from storage.members.tables import Profile  # noqa: E402

CITIES = ["Essen", "Dortmund", "Bochum", "Gelsenkirchen", "Paderborn", "Tampere", "Bern",
          "Ankara", "Ostrava", "Münster", "Duisburg", "Herne", "Bottrop", "Recklinghausen"]
HEADS = ["Kontrakt", "Stadt", "Daten", "Energie", "Prozess", "Produkt", "Qualitäts", "Service",
         "Fahrzeug", "Gebäude", "Wasser", "Medizin", "Lager", "Netz", "Material", "Anlagen",
         "Bau", "Kunden", "Sicherheits", "Umwelt", "Wissens", "Innovations", "Mobilitäts"]
TAILS = ["logistik", "management", "technik", "beratung", "entwicklung", "analyse", "planung",
         "optimierung", "service", "systeme", "forschung", "software", "design", "prüfung"]
EN_WORDS = ["smart", "digital", "cloud", "sensor", "supply", "chain", "quality", "process",
            "data", "energy", "water", "health", "retail", "mobile", "platform", "network",
            "testing", "consulting", "analytics", "automation", "robotics", "security"]


def vocabulary(rng: random.Random) -> list[str]:
    listed = (ROOT / "tests" / "data" / "members_match_bench_keywords.txt").read_text("utf-8")
    words = [line for line in listed.splitlines() if line and not line.startswith("#")]
    words += [head + tail for head in HEADS for tail in TAILS]
    words += [f"{a} {b}" for a in EN_WORDS for b in EN_WORDS if a != b]
    words += ["".join(rng.choices("abcdefghijklmnoprstuvwz", k=rng.randint(6, 11))).title()
              for _ in range(4000)]
    return words


def generate(path: Path, count: int, seed: int = 4) -> None:
    """Fill a fresh database with `count` imported profiles (runs in a child process)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    popular = words[:400]  # the synonym table: used far more often than invented keywords
    text_words = list({w for k in words for w in k.split()}) + EN_WORDS * 5
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)

    def keywords(n: int) -> list[str]:
        return list(dict.fromkeys(rng.choice(popular) if rng.random() < 0.6
                                  else rng.choice(words) for _ in range(n)))

    now = utcnow()
    step = timedelta(microseconds=1)
    with engine.begin() as connection:
        for start in range(0, count, 5000):
            rows = [{
                "member_telegram_id": None, "telegram_username": None,
                "name": f"Person {i}", "organization": f"Organisation {i % 7919}",
                "kind": rng.choice(["company", "research", "public", "cluster", "other"]),
                "city": rng.choice(CITIES), "offers": keywords(rng.randint(2, 6)),
                "needs": keywords(rng.randint(1, 4)),
                "description": " ".join(rng.choices(text_words, k=rng.randint(5, 25))),
                "visible": rng.random() < 0.9, "source": "import", "created_at": now,
                "updated_at": now + i * step,
            } for i in range(start, min(start + 5000, count))]
            connection.execute(insert(Profile), rows)
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(label: str, millis: list[float], cpu: list[float]) -> str:
    """Wall-clock percentiles, and the CPU time's p99 (what an idle machine would take)."""
    return (f"{label:<44} p50 {statistics.median(millis):6.2f} ms   "
            f"p99 {percentile(millis, 0.99):6.2f} ms   max {max(millis):7.2f} ms   "
            f"CPU p99 {percentile(cpu, 0.99):6.2f} ms   (n={len(millis)})")


class Timer:
    """Collects wall-clock and CPU milliseconds of repeated calls."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall.append((time.perf_counter() - self._wall) * 1000)
        self.cpu.append((time.process_time() - self._cpu) * 1000)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.profiles)
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", str(path), "--profiles",
                        str(args.profiles)], check=True)
        print(f"generated {args.profiles:,} profiles in {time.perf_counter() - started:.1f} s "
              "(child process)")
        measure(path, args.queries)


def cpu_wall(label: str, wall: float, cpu: float, extra: str = "") -> str:
    return f"{label:<52} {wall:6.2f} s ({cpu:5.2f} s CPU){extra}"


def change_while_down(path: Path, rng: random.Random, words: list[str], count: int
                      ) -> tuple[list[int], list[int], list[int]]:
    """Edit, hide and delete `count` profiles in all (6:2:2) as another process would
    while the bot is down; the ids edited, hidden and deleted."""
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        total = session.exec(select(func.count()).select_from(Profile)).one()
        picked = rng.sample(range(1, total + 1), count)
        edited, hidden, deleted = (picked[: count * 6 // 10], picked[count * 6 // 10:
                                   count * 8 // 10], picked[count * 8 // 10:])
        for profile_id in edited + hidden:
            profile = get_profile(session=session, profile_id=profile_id)
            assert profile is not None
            if profile_id in edited:
                profile.offers = [*profile.offers[:1], "Bench-Neuheit", rng.choice(words)]
            profile.visible = profile_id in edited
            profile.updated_at = utcnow()
            session.add(profile)
        for profile_id in deleted:
            profile = get_profile(session=session, profile_id=profile_id)
            session.delete(profile)
    engine.dispose()
    return edited, hidden, deleted


def bm25s_yardstick(services: Services) -> None:
    """bm25s (BM25 over sparse matrices) indexing the same profiles' words, if installed,
    beside our bulk build of the same rows (both from rows already read)."""
    if bm25s is None:
        print("bm25s yardstick skipped (pip install bm25s)")
        return
    with session_scope(services.engine) as session:
        rows = list(index_rows(session=session, manager_ids=services.settings.manager_ids))
    started, cpu = time.perf_counter(), time.process_time()
    MemberIndex.built(rows)
    print(cpu_wall("ours: bulk build (rows in memory)", time.perf_counter() - started,
                   time.process_time() - cpu))
    corpus = [" ".join((*row.offers, *row.needs, row.text)) for row in rows]
    del rows
    started, cpu = time.perf_counter(), time.process_time()
    tokens = bm25s.tokenize(corpus, stopwords=None, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    print(cpu_wall(f"bm25s {bm25s.__version__}: tokenize + index (rows in memory)",
                   time.perf_counter() - started, time.process_time() - cpu))


def measure(path: Path, query_count: int) -> None:
    baseline = rss_mb()
    settings = load_settings(None, database_url=f"sqlite:///{path}")
    snapshot = snapshot_path(settings.database_url)
    assert snapshot is not None
    snapshot.unlink(missing_ok=True)
    services = build_services(settings, registry())
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope(services.engine) as session:
        built = MemberIndex.built(index_rows(session=session,
                                             manager_ids=services.settings.manager_ids))
    print(cpu_wall("index built from scratch (DB rows included)", time.perf_counter() - started,
                   time.process_time() - cpu,
                   f"; {len(built):,} profiles, {len(built.units):,} units"))
    del built
    started, cpu = time.perf_counter(), time.process_time()
    index = member_index(services)  # no snapshot yet: built, then saved
    print(cpu_wall("first start: built + snapshot saved", time.perf_counter() - started,
                   time.process_time() - cpu,
                   f"; snapshot {snapshot.stat().st_size / 1e6:.0f} MB; resident memory "
                   f"{rss_mb():.0f} MB (before: {baseline:.0f})"))
    services.close()
    del index
    services.caches.clear()

    rng = random.Random(11)
    words = vocabulary(random.Random(4))
    edited, hidden, deleted = change_while_down(path, rng, words, 100)
    services = build_services(settings, registry())
    started, cpu = time.perf_counter(), time.process_time()
    index = member_index(services)
    print(cpu_wall("restart: snapshot + 100 profiles changed meanwhile",
                   time.perf_counter() - started, time.process_time() - cpu,
                   " (goal: <= 2 s)"))
    live = index.export(lambda parts: {int(parts.profile_ids[slot]): bool(parts.eligible[slot])
                                       for slot in parts.slot_of.values()})
    assert not set(deleted) & set(live), "a deleted profile is still indexed"
    assert not any(live[profile_id] for profile_id in hidden), "a hidden profile is shown"
    found = {hit.profile_id for hit in index.search(index.parse("Bench-Neuheit"),
                                                    limit=100).hits}
    assert set(edited) <= found, "an edited profile was missed"
    started, cpu = time.perf_counter(), time.process_time()
    services.caches.clear()
    member_index(services)  # fewer than RESAVE_AFTER changes: the snapshot stays as it was
    print(cpu_wall("restart again (the 100 applied again: not saved yet)",
                   time.perf_counter() - started, time.process_time() - cpu))
    index = member_index(services)

    cases = tomllib.loads((ROOT / "tests" / "data" / "members_match_cases.toml")
                          .read_text("utf-8"))["case"]
    queries = [case["q"] for case in cases]
    while len(queries) < query_count:
        picked = rng.sample(words, rng.randint(1, 3))
        if rng.random() < 0.3:  # a typo: drop one letter
            word = picked[0]
            cut = rng.randrange(len(word))
            picked[0] = word[:cut] + word[cut + 1:]
        queries.append(", ".join(picked))

    parse_search = Timer()
    for query in queries:
        with parse_search:
            index.search(index.parse(query), exclude_owner=None, limit=50)

    searcher = identify(services, user_id=1, chat_id=1, name="Bench", username=None,
                        language_code="de")
    searcher = identify(services, user_id=1, chat_id=1, name="Bench", username=None,
                        language_code="de", role_override=searcher.role.MEMBER)
    with session_scope(services.engine) as session:
        save_profile(session=session, telegram_id=1, name="Bench", organization="Bench AG",
                     kind="company", city="Essen", offers=["CRM", "Logistik", "RFID"],
                     needs=["Geschäftsmodelle", "mobile Lösungen", "E-Government"],
                     description="", visible=True)
    command = Timer()
    for query in queries[: max(200, query_count // 4)]:
        with command:
            reply = run_command(services, searcher, "match", query)
        assert reply.text
    needs = Timer()
    for _ in range(200):
        with needs:
            run_command(services, searcher, "match", "")

    updates = Timer()
    for profile_id in rng.sample(sorted(set(live) - set(deleted)), 200):
        with session_scope(services.engine) as session:
            profile = get_profile(session=session, profile_id=profile_id)
            assert profile is not None
            profile.offers = [*profile.offers[:2], rng.choice(words)]
            session.add(profile)
        with updates:
            reindex(services, [profile_id])

    print(describe("index: parse + rank (typed keywords)", parse_search.wall, parse_search.cpu))
    print(describe("/match KEYWORDS (whole command, DB included)", command.wall, command.cpu))
    print(describe("/match without keywords (my needs, offers)", needs.wall, needs.cpu))
    print(describe("re-index one edited profile", updates.wall, updates.cpu))
    print(f"peak resident memory: {rss_mb():.0f} MB (goal: <= 500 MB); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    bm25s_yardstick(services)
    services.close()


if __name__ == "__main__":
    main()
