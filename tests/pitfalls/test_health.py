"""Health from data: each pitfall reaches ok, warn, alert and unknown on prepared databases
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set), plus the /health reply, the weekly
digest lines and `cluster-advisor health --json` (the pure rules: test_health_rules.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from core.action_plan.notify import digest  # the action plan's digest shows our lines
from core.action_plan.schedule import Clock
from core.i18n import t
from core.pitfalls import health_rules as rules
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.health import as_json, assess, digest_lines, evidence_lines
from core.router import run_command
from core.services import Services
from tests.conftest import actor, clean_env
from tests.pitfalls.health_support import NOW, Cluster, item, member, plan_ids

UNKNOWN, OK, WARN, ALERT = rules.UNKNOWN, rules.OK, rules.WARN, rules.ALERT


def statuses(services: Services) -> dict[str, str]:
    return {h.id: h.status for h in assess(services, NOW)}


def test_empty_database_is_unknown_everywhere_never_ok(prepared) -> None:
    services = prepared(Cluster())
    assert set(statuses(services).values()) == {UNKNOWN}
    assert digest_lines(services, "de", NOW) == []
    assert services.registry.digest_lines(services, "de", NOW) == []


HEALTHY_MEMBERS = [member(100 + i) for i in range(4)]
HEALTHY = Cluster(items=[item() for _ in range(4)], members=HEALTHY_MEMBERS,
                  funding=[(2026, 45)], founded=2021, selfchecks=[(100, 30)])


def test_healthy_cluster_is_ok_everywhere_and_the_digest_is_empty(prepared) -> None:
    services = prepared(HEALTHY)
    assert statuses(services) == dict.fromkeys(PITFALL_IDS, OK)
    assert digest_lines(services, "en", NOW) == []


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
    first, second, *_ = plan_ids(services)
    assert f"#{first} has no KPI – 1 of 4 open actions (25 %)" in reply.text
    assert f"#{second} is overdue – 1 of 4 open actions (25 %)" in reply.text
    assert "2024 (year 4): public share 82 %, above the talk's curve (about 70 %)" in reply.text
    lines = digest_lines(services, "en", NOW)
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
    services = prepared(Cluster(funding=[(2024, 95)], founded=2021))
    settings = services.settings
    reply = digest(services, "en", Clock.of(NOW, settings.tz, settings.reminder_time,
                                            settings.reminder_offsets))
    assert digest_lines(services, "en", NOW) == [
        "🔴 Unbalanced funding concept: 2024 (year 4): public share 95 %, above the talk's "
        "curve (about 70 %)"]
    assert digest_lines(services, "en", NOW)[0] in reply.text


def test_digest_lines_are_computed_for_the_moment_given(prepared) -> None:
    """The digest's `at` decides: an action due in ten days is overdue in a month."""
    soon = item(due_in=10, age=85, updated=5)  # planned with enough time for two groups
    services = prepared(Cluster(items=[soon, soon, item(due_in=100)], selfchecks=[(1, 3)]))
    assert services.registry.digest_lines(services, "en", NOW) == []
    later = services.registry.digest_lines(services, "en", NOW + timedelta(days=30))
    title = load_content().pitfall("unrealistic_expectations").title["en"]
    assert len(later) == 1
    first, second, _ = plan_ids(services)
    assert later == [f"🔴 {title}: #{first} and #{second} are overdue – 2 of 3 open actions "
                     "(67 %)"]


def test_selfcheck_evidence_counts_days_in_both_languages(prepared) -> None:
    services = prepared(Cluster(items=[item() for _ in range(3)], selfchecks=[(1, 1)]))
    monitoring = next(h for h in assess(services, NOW) if h.id == "missing_monitoring")
    assert "last self-check in the cluster 1 day ago" in evidence_lines("en", monitoring)
    assert "letzter Selbstcheck im Cluster vor 1 Tag" in evidence_lines("de", monitoring)
    today = next(h for h in assess(services, NOW - timedelta(hours=23))
                 if h.id == "missing_monitoring")
    assert t("en", "pitfalls_ev_selfcheck_today") in evidence_lines("en", today)
