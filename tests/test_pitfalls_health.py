"""Health rules: each pitfall reaches ok, warn, alert and unknown — first as pure rules on
counts, then on prepared databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
plus the /health reply, the weekly digest lines and `cluster-advisor health --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table, to empty them)
from core.commands import run_command
from core.i18n import t
from core.pitfalls import digest_lines
from core.pitfalls import health_rules as rules
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.funding_curve import year_shares
from core.pitfalls.health import as_json, assess
from core.services import Services, build_services
from storage.community import Profile
from storage.engine import session_scope
from storage.models import Member, utcnow
from storage.pitfall_data import add_result, save_funding, store_founded_year
from storage.pitfall_health import MemberCounts, PlanCounts, ProfileCounts, SelfCheckInfo
from storage.plan import PlanHistory, PlanItem
from tests.conftest import actor, clean_env, make_settings

NOW = utcnow()  # /health itself uses the real clock
TODAY = NOW.date()
UNKNOWN, OK, WARN, ALERT = rules.UNKNOWN, rules.OK, rules.WARN, rules.ALERT


# ------------------------------------------------------------------------------ pure rules
def plan(**counts: int) -> PlanCounts:
    return PlanCounts(**counts)


RECENT = SelfCheckInfo(NOW - timedelta(days=20), NOW - timedelta(days=400))
NO_SELFCHECK_NEW_BOT = SelfCheckInfo(None, NOW - timedelta(days=30))


@pytest.mark.parametrize(("counts", "status"), [
    (plan(), UNKNOWN),
    (plan(items=4, active=0), UNKNOWN),  # everything done: nothing open to judge
    (plan(items=2, active=2, overdue=2), UNKNOWN),  # two items are an anecdote
    (plan(items=5, active=5, overdue=0), OK),
    (plan(items=5, active=5, overdue=1), WARN),
    (plan(items=5, active=5, overdue=2), ALERT),
    (plan(items=3, active=3, broad=2, rushed=1), WARN),
    (plan(items=1, active=1, broad=1, rushed=0), OK),
])
def test_unrealistic_expectations_rule(counts: PlanCounts, status: str) -> None:
    assert rules.expectations(counts).status == status


@pytest.mark.parametrize(("counts", "info", "status"), [
    (plan(), NO_SELFCHECK_NEW_BOT, UNKNOWN),
    (plan(items=4, active=4), RECENT, OK),
    (plan(items=1, active=1, without_kpi=1), NO_SELFCHECK_NEW_BOT, WARN),
    (plan(items=4, active=4, without_kpi=2), RECENT, ALERT),
    (plan(items=4, active=4, stale=1), RECENT, WARN),
    (plan(items=4, active=4, stale=2), RECENT, ALERT),
    (plan(items=4, active=4), SelfCheckInfo(NOW - timedelta(days=200), None), WARN),
    (plan(), SelfCheckInfo(None, NOW - timedelta(days=200)), WARN),
    (plan(), RECENT, OK),
])
def test_missing_monitoring_rule(counts: PlanCounts, info: SelfCheckInfo, status: str) -> None:
    assert rules.monitoring(counts, info, NOW).status == status


def funding_amounts(public: int) -> dict[str, int]:
    return {"membership_fees": 100 - public, "public_funding": public, "services": 0,
            "projects": 0}


@pytest.mark.parametrize(("years", "founded", "status"), [
    ([], 2021, UNKNOWN),
    ([(2024, 82)], None, UNKNOWN),  # no founding year: no curve to compare with
    ([(2024, 70)], 2021, OK),
    ([(2024, 75)], 2021, OK),  # within the tolerance of the curve (70 %)
    ([(2024, 82)], 2021, WARN),
    ([(2024, 90)], 2021, ALERT),
    ([(2024, 30)], 2021, OK),  # below the curve is good
    ([(2023, 95), (2024, 70)], 2021, OK),  # the latest year counts
])
def test_unbalanced_funding_rule(years: list[tuple[int, int]], founded: int | None,
                                 status: str) -> None:
    shares = [year_shares(year, funding_amounts(public), founded) for year, public in years]
    assert rules.funding(shares, founded).status == status


@pytest.mark.parametrize(("counts", "status"), [
    (MemberCounts(), UNKNOWN),
    (MemberCounts(members=2, passive=2), UNKNOWN),
    (MemberCounts(members=10, with_profile=8, with_activity=5, passive=2), OK),
    (MemberCounts(members=10, with_profile=7, with_activity=5, passive=3), WARN),
    (MemberCounts(members=4, with_profile=2, passive=2), ALERT),
])
def test_quantity_over_quality_rule(counts: MemberCounts, status: str) -> None:
    assert rules.quantity(counts).status == status


@pytest.mark.parametrize(("profiles", "counts", "status"), [
    (ProfileCounts(), plan(), UNKNOWN),
    (ProfileCounts(profiles=4, hidden=0), plan(), OK),
    (ProfileCounts(profiles=10, hidden=3), plan(), WARN),
    (ProfileCounts(profiles=4, hidden=2), plan(), ALERT),
    (ProfileCounts(), plan(active=5, with_groups=5, single_group=2), WARN),
    (ProfileCounts(), plan(active=5, with_groups=5, single_group=3), ALERT),
    (ProfileCounts(profiles=4), plan(active=5, with_groups=5, single_group=0), OK),
])
def test_lack_of_openness_rule(profiles: ProfileCounts, counts: PlanCounts,
                               status: str) -> None:
    assert rules.openness(profiles, counts).status == status


# ------------------------------------------------------------------------------ databases
@dataclass
class Cluster:
    """What to put into a prepared database."""

    items: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    funding: list[tuple[int, int]] = field(default_factory=list)  # (year, public %)
    founded: int | None = None
    selfchecks: list[tuple[int, int]] = field(default_factory=list)  # (telegram id, days ago)


def item(*, due_in: int = 100, kpi: str = "participants", groups: tuple[str, ...] = (
         "companies", "research"), status: str = "open", age: int = 10,
         updated: int | None = None) -> dict:
    """An action created `age` days ago, due in `due_in` days, last update `updated` days ago."""
    return {"due_in": due_in, "kpi": kpi, "groups": list(groups), "status": status,
            "age": age, "updated": age if updated is None else updated}


def member(telegram_id: int, *, role: str = "member", profile: bool = True,
           visible: bool = True, age: int = 30) -> dict:
    return {"telegram_id": telegram_id, "role": role, "profile": profile, "visible": visible,
            "age": age}


@pytest.fixture
def prepared(database_url: str) -> Iterator[callable]:
    """Build services on a fresh database and fill it with a Cluster."""
    built: list[Services] = []

    def fill(cluster: Cluster) -> Services:
        services = build_services(make_settings(database_url, manager_ids="42"))
        built.append(services)
        with services.engine.begin() as connection:  # PostgreSQL is shared by the session
            for table in reversed(SQLModel.metadata.sorted_tables):
                connection.execute(table.delete())
        with session_scope(services.engine) as session:
            for spec in cluster.members:
                session.add(Member(telegram_id=spec["telegram_id"], role=spec["role"],
                                   name=f"M{spec['telegram_id']}",
                                   created_at=NOW - timedelta(days=spec["age"])))
                if spec["profile"]:
                    session.add(Profile(member_telegram_id=spec["telegram_id"], name="x",
                                        visible=spec["visible"]))
            for spec in cluster.items:
                created = NOW - timedelta(days=spec["age"])
                row = PlanItem(topic="Topic", action="Action", status=spec["status"],
                               deadline=TODAY + timedelta(days=spec["due_in"]),
                               kpi=spec["kpi"], participant_groups=spec["groups"],
                               created_at=created, updated_at=created, planned_from=created)
                session.add(row)
                session.flush()
                assert row.id is not None
                session.add(PlanHistory(item_id=row.id, to_status=spec["status"],
                                        at=NOW - timedelta(days=spec["updated"])))
            for year, public in cluster.funding:
                save_funding(session=session, year=year, updated_by=42,
                             **funding_amounts(public))
            if cluster.founded:
                store_founded_year(session=session, year=cluster.founded)
            for telegram_id, days in cluster.selfchecks:
                add_result(session=session, telegram_id=telegram_id, role="member",
                           scores=dict.fromkeys(PITFALL_IDS, 50), answers={},
                           taken_at=NOW - timedelta(days=days))
        return services

    yield fill
    for services in built:
        services.close()


def statuses(services: Services) -> dict[str, str]:
    return {h.id: h.status for h in assess(services, NOW)}


def test_empty_database_is_unknown_everywhere_never_ok(prepared) -> None:
    services = prepared(Cluster())
    assert set(statuses(services).values()) == {UNKNOWN}
    assert digest_lines(services, "de") == []


HEALTHY_MEMBERS = [member(100 + i) for i in range(4)]
HEALTHY = Cluster(items=[item() for _ in range(4)], members=HEALTHY_MEMBERS,
                  funding=[(2026, 45)], founded=2021, selfchecks=[(100, 30)])


def test_healthy_cluster_is_ok_everywhere_and_the_digest_is_empty(prepared) -> None:
    services = prepared(HEALTHY)
    assert statuses(services) == dict.fromkeys(PITFALL_IDS, OK)
    assert digest_lines(services, "en") == []


@pytest.mark.parametrize(("pitfall", "cluster", "status"), [
    ("unrealistic_expectations",
     Cluster(items=[item(due_in=-3), *[item() for _ in range(4)]]), WARN),
    ("unrealistic_expectations",
     Cluster(items=[item(due_in=-3), item(due_in=-40), item(), item()]), ALERT),
    ("unrealistic_expectations",  # five groups, created today, due in a month
     Cluster(items=[item(groups=("companies", "research", "politics", "public_sector",
                                 "cluster"), age=0, due_in=30), item(), item()]), WARN),
    ("missing_monitoring",
     Cluster(items=[item(kpi=""), item(), item(), item()], selfchecks=[(1, 3)]), WARN),
    ("missing_monitoring",
     Cluster(items=[item(kpi=" "), item(kpi=""), item(), item()], selfchecks=[(1, 3)]), ALERT),
    ("missing_monitoring",  # two of four without an update for more than eight weeks
     Cluster(items=[item(age=100, updated=70), item(age=90, updated=60), item(), item()],
             selfchecks=[(1, 3)]), ALERT),
    ("missing_monitoring",
     Cluster(items=[item() for _ in range(4)], selfchecks=[(1, 250)]), WARN),
    ("missing_monitoring",  # in use for a year, never a self-check
     Cluster(members=[member(1, age=365)]), WARN),
    ("unbalanced_funding", Cluster(funding=[(2024, 82)], founded=2021), WARN),
    ("unbalanced_funding", Cluster(funding=[(2024, 95)], founded=2021), ALERT),
    ("unbalanced_funding", Cluster(funding=[(2024, 95)]), UNKNOWN),
    ("quantity_over_quality",
     Cluster(members=[member(1, profile=False), *HEALTHY_MEMBERS[:2]]), WARN),
    ("quantity_over_quality",
     Cluster(members=[member(1, profile=False), member(2, profile=False),
                      *HEALTHY_MEMBERS[:2]]), ALERT),
    ("quantity_over_quality",  # visitors do not count as members
     Cluster(members=[member(1, role="visitor", profile=False), *HEALTHY_MEMBERS[:3]]), OK),
    ("lack_of_openness",
     Cluster(members=[member(1, visible=False), *HEALTHY_MEMBERS[:2]]), WARN),
    ("lack_of_openness",
     Cluster(members=[member(1, visible=False), member(2, visible=False),
                      *HEALTHY_MEMBERS[:2]]), ALERT),
    ("lack_of_openness",
     Cluster(items=[item(groups=("companies",)), item(groups=("research",)),
                    item(groups=("companies",)), item()]), ALERT),
])
def test_each_status_is_reached_from_prepared_data(prepared, pitfall: str, cluster: Cluster,
                                                   status: str) -> None:
    services = prepared(cluster)
    assert statuses(services)[pitfall] == status, assess(services, NOW)


def test_done_and_cancelled_items_are_not_judged(prepared) -> None:
    services = prepared(Cluster(items=[item(status="done", due_in=-30, kpi=""),
                                       item(status="cancelled", due_in=-30, kpi="")]))
    result = statuses(services)
    assert result["unrealistic_expectations"] == UNKNOWN
    assert result["missing_monitoring"] == UNKNOWN


def test_member_with_activity_but_no_profile_is_not_passive(prepared) -> None:
    services = prepared(Cluster(members=[member(1, profile=False), member(2, profile=False),
                                         member(3, profile=False)],
                                selfchecks=[(1, 3), (2, 3), (3, 3)]))
    evidence = next(h for h in assess(services, NOW) if h.id == "quantity_over_quality")
    assert evidence.status == OK
    assert evidence.evidence["passive"] == 0 and evidence.evidence["with_profile"] == 0


# ------------------------------------------------------------------------------ outputs
def test_health_reply_shows_status_evidence_and_advice(prepared) -> None:
    services = prepared(Cluster(items=[item(kpi=""), item(due_in=-3), item(), item()],
                                funding=[(2024, 82)], founded=2021))
    reply = run_command(services, actor(services, 42, language_code="en"), "health", "")
    content = load_content()
    for pitfall in content.pitfalls:
        assert pitfall.title["en"] in reply.text and pitfall.health_advice["en"] in reply.text
    assert "1 of 4 open actions without a KPI" in reply.text
    assert "1 of 4 open actions overdue (25 %)" in reply.text
    assert "2024 (year 4): public share 82 %, the talk's curve suggests about 70 %" in reply.text
    lines = digest_lines(services, "en")
    assert len(lines) == 3 and all(line.startswith("🟡 ") for line in lines), lines
    refused = run_command(services, actor(services, 7), "health", "")
    assert refused.text == t("de", "not_allowed_manager", command="health")


def test_json_has_the_documented_shape(prepared) -> None:
    services = prepared(HEALTHY)
    data = as_json(services, "en")
    assert list(data) == ["pitfalls"]
    assert [p["id"] for p in data["pitfalls"]] == list(PITFALL_IDS)
    for entry in data["pitfalls"]:
        assert set(entry) == {"id", "status", "evidence", "advice"}
        assert entry["status"] in ("ok", "warn", "alert", "unknown")
        assert isinstance(entry["evidence"], dict) and entry["evidence"]
        assert entry["advice"] == load_content().pitfall(entry["id"]).health_advice["en"]
    json.dumps(data)  # plain JSON values only


def test_cli_health_json_and_text(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'h.sqlite3'}", CLUSTER_FOUNDED="2021")
    run = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*run, "funding", "set", "2024", "--public", "90000", "--fees", "10000"],
                   cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run([*run, "health", "--json", "--lang", "en"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    funding = next(p for p in data["pitfalls"] if p["id"] == "unbalanced_funding")
    assert funding["status"] == "alert"
    assert funding["evidence"]["public_percent"] == 90
    assert funding["evidence"]["recommended_public_percent"] == 70
    assert funding["advice"].startswith("Raise the own share")
    assert {p["status"] for p in data["pitfalls"] if p["id"] != "unbalanced_funding"} == {
        "unknown"}
    text = subprocess.run([*run, "health"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert text.returncode == 0 and "Alarm" in text.stdout and "<b>" not in text.stdout
    bad = subprocess.run([*run, "health", "--lang", "fr"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--lang" in bad.stderr


def test_weekly_digest_of_the_action_plan_includes_the_warnings(prepared) -> None:
    from core.action_plan.notify import digest
    from core.action_plan.schedule import Clock

    services = prepared(Cluster(funding=[(2024, 95)], founded=2021))
    settings = services.settings
    reply = digest(services, "en", Clock.of(NOW, settings.tz, settings.reminder_time,
                                            settings.reminder_offsets))
    assert digest_lines(services, "en") == [
        "🔴 Unbalanced funding concept: 2024 (year 4): public share 95 %, the talk's curve "
        "suggests about 70 %"]
    assert digest_lines(services, "en")[0] in reply.text
