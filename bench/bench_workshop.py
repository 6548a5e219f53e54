"""Workshop at scale: a round with 200 members and 2,000 statements (German and English,
a tenth of them near-duplicates of another), in a SQLite file.

Goals (issue #13): the merging proposals in <= 1 s; a summary chart in <= 1 s. Prints wall
and CPU time (the machine is shared), the median of RUNS warm runs and the first (cold) run,
which also pays the language layer's look-ups and the matplotlib import.

    .venv/bin/python bench/bench_workshop.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMBERS = 200
STATEMENTS = 2_000
RUNS = 5

GERMAN = ("Ladeinfrastruktur Batterietechnik Wasserstoff Fachkräfte Kooperation Forschung "
          "Unternehmen Region Förderung Digitalisierung Logistik Leichtbau Mobilität "
          "Netzwerk Hochschule Zulieferer Energie Speicher Software Weiterbildung").split()
ENGLISH = ("charging infrastructure battery technology hydrogen skilled workers cooperation "
           "research companies region funding digitalisation logistics lightweight "
           "mobility network university suppliers energy storage software training").split()
VERBS_DE = ("ausbauen", "stärken", "verbessern", "vermeiden", "entwickeln", "erhalten")
VERBS_EN = ("expand", "strengthen", "improve", "avoid", "develop", "keep")


def statements(rng: random.Random) -> list[tuple[str, str]]:
    """(text, SWOT field) pairs; every tenth one nearly repeats an earlier one."""
    made: list[tuple[str, str]] = []
    for n in range(STATEMENTS):
        if n and n % 10 == 0:
            text, field = made[rng.randrange(len(made))]
            made.append((text.replace(" die ", " unsere ") + "!", field))
            continue
        german = rng.random() < 0.6
        nouns = rng.sample(GERMAN if german else ENGLISH, 3)
        verb = rng.choice(VERBS_DE if german else VERBS_EN)
        text = (f"{nouns[0]} und {nouns[1]} in der Region {verb}, die {nouns[2]} zählt"
                if german else f"{verb} {nouns[0]} and {nouns[1]} with {nouns[2]} here")
        made.append((text, rng.choice("SWOT")))
    return made


def timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    from bot.features import registry
    from core.services import build_services
    from core.settings import load_settings
    from core.workshop.curate import round_proposals
    from core.workshop.summary import summary, swot_png, votes_png
    from storage.engine import session_scope
    from storage.members.profiles import save_profile
    from storage.workshop.contributions import add_contribution, contributions, vote_counts
    from storage.workshop.rounds import add_participants, create_round, set_step
    from storage.workshop.tables import WorkshopContribution, WorkshopVote

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, database_url=f"sqlite:///{Path(folder) / 'b.sqlite3'}")
        services = build_services(settings, registry())
        started = time.perf_counter()
        with session_scope(services.engine) as session:
            found = create_round(session=session, title="E-Mobilität 2027", keywords=[],
                                 deadlines={str(s): "2027-12-31" for s in range(1, 5)},
                                 created_by=1)
            assert found.id is not None
            round_id = found.id
            add_participants(session=session, round_id=round_id,
                             people={1000 + n: [] for n in range(MEMBERS)})
            for n in range(MEMBERS):
                save_profile(session=session, telegram_id=1000 + n, name=f"Member {n}",
                             organization="Org", kind="company", city="Bochum",
                             offers=rng.sample(GERMAN, 2), needs=rng.sample(ENGLISH, 2),
                             description="", visible=True)
            ids = []
            for n, (text, field) in enumerate(statements(rng)):
                ids.append(add_contribution(session=session, round_id=round_id, step=2,
                                            author_id=1000 + n % MEMBERS, text=text,
                                            lang="de", swot_field=field,
                                            actor_group="companies").id)
            for n in range(MEMBERS * 5):
                session.add(WorkshopVote(contribution_id=ids[n % len(ids)],
                                         voter_id=1000 + n % MEMBERS))
            set_step(session=session, found=found, step=2)
        print(f"set-up: {MEMBERS} members, {STATEMENTS} statements in "
              f"{time.perf_counter() - started:.1f} s")

        def merging() -> None:
            round_proposals(services, round_id)

        def items() -> tuple[list[WorkshopContribution], dict[int, int]]:
            with session_scope(services.engine) as session:
                return (contributions(session=session, round_id=round_id, step=2),
                        vote_counts(session=session, round_id=round_id))

        def swot() -> None:
            swot_png(*items(), "de", "E-Mobilität 2027")

        def votes() -> None:
            votes_png(*items(), "de", "E-Mobilität 2027")

        def whole() -> None:
            summary(services, found, 2, "de")

        for name, run in (("merging proposals", merging), ("SWOT four-field chart", swot),
                          ("votes-per-statement chart", votes),
                          ("whole step-2 summary (text + both charts)", whole)):
            first = timed(run)
            warm = [timed(run) for _ in range(RUNS)]
            print(f"{name}: first {first[0]:.0f} ms wall / {first[1]:.0f} ms CPU; "
                  f"warm median {statistics.median(w for w, _ in warm):.0f} ms wall / "
                  f"{statistics.median(c for _, c in warm):.0f} ms CPU (goal <= 1000 ms)")
        found_now, _ = round_proposals(services, round_id)
        print(f"proposals found: {len(found_now)} (shown 6 at a time, at most 50 computed)")
        services.close()


if __name__ == "__main__":
    main()
