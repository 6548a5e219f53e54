"""Health warnings name the items behind them and say why (issue #10): in /health, in
`cluster-advisor health` (text and JSON) and in the digest lines; at most five ids, then
"and N more"; and no "OK" where there is too little data to judge."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from core.i18n import t
from core.pitfalls import health_rules as rules
from core.pitfalls.content import PITFALL_IDS, load_content
from core.pitfalls.health import as_json, assess, digest_lines
from core.pitfalls.health_text import MAX_IDS, item_ids
from core.reply import to_plain_text
from core.router import run_command
from core.services import Services
from tests.conftest import actor, clean_env
from tests.pitfalls.health_support import NOW, Cluster, databases, item, member, plan_ids

FIVE_GROUPS = ("companies", "research", "politics", "public_sector", "cluster")
MEMBERS = [member(100 + i) for i in range(4)]


def health_text(services: Services, lang: str) -> str:
    """/health as the manager sees it in `lang`, through the router."""
    manager = replace(actor(services, 42, language_code=lang), language=lang)
    return to_plain_text(run_command(services, manager, "health", "").text)


def by_id(services: Services) -> dict[str, rules.Finding]:
    return {h.id: rules.Finding(h.status, h.evidence, h.checks, h.missing)
            for h in assess(services, NOW)}


# ------------------------------------------------------------------------------ the ids
@pytest.mark.parametrize(("lang", "ids", "text"), [
    ("en", [4], "#4"),
    ("en", [4, 7], "#4 and #7"),
    ("de", [3, 4, 9], "#3, #4 und #9"),
    ("en", [1, 2, 3, 4, 5, 6], "#1, #2, #3, #4, #5 and #6"),  # "and 1 more" would hide one
    ("en", list(range(1, 9)), "#1, #2, #3, #4, #5 and 3 more"),
    ("de", list(range(1, 1001)), "#1, #2, #3, #4, #5 und 995 weitere"),
])
def test_ids_are_listed_up_to_five_then_counted(lang: str, ids: list[int], text: str) -> None:
    assert item_ids(lang, ids) == text


CLUSTER = Cluster(
    items=[item(due_in=-3),  # 1: overdue
           item(kpi=""),  # 2: no KPI
           item(groups=FIVE_GROUPS, age=0, due_in=30),  # 3: five groups, one month
           item(age=100, updated=70),  # 4: no status update for ten weeks
           item(groups=("companies",)),  # 5: one group only
           item(), item(), item(), item(), item()],
    members=MEMBERS, funding=[(2024, 70)], founded=2021, selfchecks=[(100, 30)])


def test_health_names_the_items_behind_each_finding_and_says_why(prepared) -> None:
    services = prepared(CLUSTER)
    overdue, no_kpi, rushed, stale, single, *_ = plan_ids(services)
    english = health_text(services, "en")
    assert f"#{overdue} is overdue – 1 of 10 open actions (10 %)" in english
    assert f"#{no_kpi} has no KPI – 1 of 10 open actions (10 %)" in english
    assert (f"#{rushed} is due sooner than its scope allows – 1 of 8 open actions with several "
            "participant groups (each extra group needs about 3 more months)") in english
    assert (f"#{stale} has had no status update for more than 8 weeks – 1 of 10 open "
            "actions (10 %)") in english
    assert (f"#{single} has participants from one group only – 1 of 10 open actions with "
            "participant groups (10 %)") in english
    assert f"/plan {overdue}" in english  # how to open a named action
    german = health_text(services, "de")
    assert f"#{overdue} ist überfällig – 1 von 10 offenen Aufgaben (10 %)" in german
    assert f"#{no_kpi} hat keinen KPI – 1 von 10 offenen Aufgaben (10 %)" in german
    assert f"#{rushed} ist knapper terminiert, als ihr Umfang erlaubt" in german
    assert f"#{stale} hat seit über 8 Wochen keine Statusmeldung" in german
    assert f"#{single} hat Beteiligte aus nur einer Gruppe" in german


def test_json_evidence_lists_every_id_behind_a_finding(prepared) -> None:
    services = prepared(CLUSTER)
    overdue, no_kpi, rushed, stale, single, *_ = plan_ids(services)
    evidence = {p["id"]: p["evidence"] for p in as_json(services, "en")["pitfalls"]}
    assert evidence["unrealistic_expectations"]["overdue_item_ids"] == [overdue]
    assert evidence["unrealistic_expectations"]["due_too_soon_item_ids"] == [rushed]
    assert evidence["missing_monitoring"]["no_kpi_item_ids"] == [no_kpi]
    assert evidence["missing_monitoring"]["no_update_item_ids"] == [stale]
    assert evidence["lack_of_openness"]["single_group_item_ids"] == [single]


def test_many_overdue_items_show_five_ids_and_how_many_more(prepared) -> None:
    services = prepared(Cluster(items=[*[item(due_in=-5) for _ in range(8)], item()],
                                members=MEMBERS))
    ids = plan_ids(services)
    first_five = ", ".join(f"#{i}" for i in ids[:5])
    assert f"{first_five} and 3 more are overdue – 8 of 9 open actions (89 %)" in health_text(
        services, "en")
    assert "und 3 weitere sind überfällig – 8 von 9 offenen Aufgaben (89 %)" in health_text(
        services, "de")
    evidence = next(p for p in as_json(services, "en")["pitfalls"]
                    if p["id"] == "unrealistic_expectations")["evidence"]
    assert evidence["overdue_item_ids"] == ids[:8] and len(ids[:8]) > MAX_IDS


def test_digest_names_the_items_and_only_the_checks_that_warn(prepared) -> None:
    services = prepared(Cluster(items=[item(kpi=""), item(), item(), item()],
                                members=MEMBERS, funding=[(2024, 70)], founded=2021,
                                selfchecks=[(100, 30)]))
    no_kpi = plan_ids(services)[0]
    title = load_content().pitfall("missing_monitoring").title["en"]
    assert digest_lines(services, "en", NOW) == [
        f"🟡 {title}: #{no_kpi} has no KPI – 1 of 4 open actions (25 %)"]
    assert services.registry.digest_lines(services, "de", NOW) == [
        f"🟡 {load_content().pitfall('missing_monitoring').title['de']}: #{no_kpi} hat keinen "
        "KPI – 1 von 4 offenen Aufgaben (25 %)"]


# ------------------------------------------------------------------------------ no made-up OK
def test_a_cluster_in_its_first_week_gets_no_verdict_instead_of_ok(prepared) -> None:
    """Two actions planned well, two visible profiles and a self-check are not enough for
    'OK': each pitfall says what it still needs."""
    services = prepared(Cluster(items=[item(), item()], members=MEMBERS[:2],
                                selfchecks=[(100, 1)]))
    found = by_id(services)
    assert {p: f.status for p, f in found.items()} == dict.fromkeys(PITFALL_IDS,
                                                                   rules.UNKNOWN)
    english = health_text(services, "en")
    assert f"– {t('en', 'pitfalls_health_status_ok')}" not in english and "✅" not in english
    assert "For a verdict I need at least 3 open actions in the action plan." in english
    assert ("For a verdict I need at least 3 member profiles and at least 3 open actions "
            "with participant groups.") in english
    assert "neither of the two open actions is overdue" in english
    german = health_text(services, "de")
    assert "in Ordnung" not in german and "noch kein Urteil" in german
    assert "keine der beiden offenen Aufgaben ist überfällig" in german


@pytest.mark.parametrize(("cluster", "pitfall"), [
    # visible profiles alone: the actions' participant groups are not judged yet
    (Cluster(members=MEMBERS), "lack_of_openness"),
    # a recent self-check alone does not make an empty action plan well monitored
    (Cluster(selfchecks=[(100, 1)], members=MEMBERS), "missing_monitoring"),
    # one broad action planned well is not a pattern of realistic expectations
    (Cluster(items=[item()]), "unrealistic_expectations"),
    (Cluster(members=MEMBERS[:2]), "quantity_over_quality"),
    (Cluster(funding=[(2024, 70)]), "unbalanced_funding"),  # no founding year, no curve
])
def test_no_check_says_ok_without_the_data_to_judge(prepared, cluster: Cluster,
                                                    pitfall: str) -> None:
    assert by_id(prepared(cluster))[pitfall].status == rules.UNKNOWN


def test_a_warning_stands_even_when_other_checks_lack_data(prepared) -> None:
    services = prepared(Cluster(items=[item(kpi="")]))  # one action, without KPI
    monitoring = by_id(services)["missing_monitoring"]
    assert monitoring.status == rules.WARN and monitoring.checks["stale"] == rules.UNKNOWN
    only = plan_ids(services)[0]
    assert f"#{only} has no KPI – the only open action" in health_text(services, "en")


# ------------------------------------------------------------------------------ CLI
def test_cli_health_names_the_items_in_text_and_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    fills = databases(url)
    services = next(fills)(Cluster(items=[item(due_in=-3), item(due_in=-9), item(), item()]))
    first, second, *_ = plan_ids(services)
    fills.close()
    env = clean_env(DATABASE_URL=url)
    run = [sys.executable, "-m", "bot.cli", "health"]
    data = subprocess.run([*run, "--json"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert data.returncode == 0, data.stderr
    expectations = next(p for p in json.loads(data.stdout)["pitfalls"]
                        if p["id"] == "unrealistic_expectations")
    assert expectations["status"] == "alert"
    assert expectations["evidence"]["overdue_item_ids"] == [first, second]
    text = subprocess.run([*run, "--lang", "en"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert f"#{first} and #{second} are overdue – 2 of 4 open actions (50 %)" in text.stdout
    assert "<" not in text.stdout  # plain text, no HTML tags
