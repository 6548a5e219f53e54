"""Teaching the bot (#12): matcher rebuild, one question with many cluster entries, the
review queue with many missed questions.

Goals: with 1,000 cluster entries added, one question p99 <= 5 ms; the queue with 10,000
missed questions opens in <= 200 ms. Also printed: the rebuild of the combined matcher
for 35 and for 1,000 cluster entries (it runs off the event loop, see core/questions/state.py).

    .venv/bin/python bench/bench_teaching.py

Wall-clock and CPU-time figures; on a busy machine the CPU figures compare between runs.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.features import registry
from core.actor import Role
from core.identity import identify
from core.questions.queue import queue_view
from core.questions.state import changed
from core.services import Services, build_services
from core.settings import load_settings
from knowledge.base import load_knowledge_base
from knowledge.cluster import ClusterRecord, combine
from knowledge.matcher import Matcher
from storage.engine import session_scope
from storage.questions.cluster import save_entry
from storage.questions.tables import UnansweredQuestion

TOPICS = ["Mitgliedsbeitrag", "Netzwerktreffen", "Geschäftsstelle", "Fördermittelberatung",
          "Arbeitskreis", "Newsletter", "Vorstand", "Satzung", "Messestand", "Laborplatz",
          "Coworking", "Parkplatz", "Webinar", "Mentoring", "Stellenbörse", "Pressekontakt",
          "Projektantrag", "Kooperationsbörse", "Weiterbildung", "Jahresbericht"]
PLACES = ["Kiel", "Lübeck", "Flensburg", "Neumünster", "Husum", "Heide", "Itzehoe", "Eutin"]
QUESTIONS = ["Wann ist das nächste Netzwerktreffen in Kiel?", "Wie hoch ist der "
             "Mitgliedsbeitrag für Start-ups?", "Was ist ein Cluster?", "Who do I ask about "
             "funding advice?", "Wo ist die Geschäftsstelle?", "Wie funktioniert Matchmaking?",
             "Gibt es einen Arbeitskreis Wasserstoff?", "Wie bekomme ich einen Laborplatz?"]


def cluster_records(count: int, seed: int = 3) -> list[ClusterRecord]:
    """Plausible cluster entries: a topic, a place, a number — each its own id."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        topic, place = TOPICS[number % len(TOPICS)], rng.choice(PLACES)
        title = f"{topic} {place} {number}"
        records.append(ClusterRecord(f"c_{number}", "cluster", "cluster", {
            "title": {"de": title, "en": f"{topic} {place} {number}"},
            "answer": {"de": f"Zum Thema {topic} in {place} hilft die Geschäftsstelle.",
                       "en": f"The office helps with {topic} in {place}."},
            "questions": {"de": [f"Wie ist das mit {topic} in {place}?",
                                 f"Was gilt für {topic} {number}?"],
                          "en": [f"What about {topic} in {place}?"]},
            "keywords": {"de": [topic], "en": [topic]}, "related": []}))
    return records


def timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def bench_rebuild_and_question() -> None:
    shipped = load_knowledge_base()
    Matcher(shipped)  # the language layer's lexicon loads once per process: not a rebuild
    for count in (35, 1000):
        records = cluster_records(count)
        knowledge = combine(shipped, records, (), ()).knowledge
        started = time.perf_counter(), time.process_time()
        matcher = Matcher(knowledge)
        wall = (time.perf_counter() - started[0]) * 1000
        cpu = (time.process_time() - started[1]) * 1000
        print(f"rebuild with {count:>5} cluster entries: {wall:7.0f} ms wall, {cpu:7.0f} ms CPU")
        for question in QUESTIONS:  # warm the caches once
            matcher.match(question, "de")
        walls, cpus = [], []
        for _ in range(60):
            for question in QUESTIONS:
                wall, cpu = timed(lambda q=question, m=matcher: m.match(q, "de"))
                walls.append(wall)
                cpus.append(cpu)
        print(f"  one question: p50 {percentile(cpus, 0.5):.2f} ms, p99 "
              f"{percentile(cpus, 0.99):.2f} ms CPU (wall p99 {percentile(walls, 0.99):.2f} ms)"
              f" over {len(cpus)} questions")


def bench_queue(services: Services, size: int = 10_000) -> None:
    rng = random.Random(5)
    with session_scope(services.engine) as session:
        for number in range(size):
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            text = rng.choice([f"Wie ist das mit {topic} in {place}?",
                               f"Gibt es {topic} {rng.randint(1, 4000)}?",
                               f"Wer kümmert sich um {topic} {number}?"])
            session.add(UnansweredQuestion(telegram_id=1000 + number % 300, language="de",
                                           text=text, score=10))
    manager = identify(services, user_id=42, chat_id=42, name="Bench", username=None,
                       language_code="de", role_override=Role.MANAGER)
    figures = [timed(lambda: queue_view(services, manager)) for _ in range(8)]
    # the first open after start works out every text's words (the running bot does that
    # at start-up, in the feature's on_start hook)
    cold, warm = figures[0], figures[1:]
    walls = sorted(w for w, _ in warm)
    cpus = sorted(c for _, c in warm)
    print(f"queue with {size:,} missed questions opens: first {cold[0]:.0f} ms wall, "
          f"{cold[1]:.0f} ms CPU; then median {walls[3]:.0f} ms wall, {cpus[3]:.0f} ms CPU "
          f"(max {walls[-1]:.0f} ms wall)")


def bench_save(services: Services) -> None:
    with session_scope(services.engine) as session:
        for record in cluster_records(35):
            save_entry(session=session, entry_id=record.id, chapter=record.chapter,
                       source=record.source, content=dict(record.content), by=42)
    wall, cpu = timed(lambda: changed(services))
    print(f"a change with 35 cluster entries in the database, rebuilt in-process: "
          f"{wall:.0f} ms wall, {cpu:.0f} ms CPU")


def main() -> None:
    bench_rebuild_and_question()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, database_url=f"sqlite:///{Path(folder) / 'b.sqlite3'}",
                                 manager_ids="42")
        services = build_services(settings, registry())
        try:
            bench_queue(services)
            bench_save(services)
        finally:
            services.close()


if __name__ == "__main__":
    main()
