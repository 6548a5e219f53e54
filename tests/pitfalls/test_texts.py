"""The pitfalls' texts as a native speaker reads them (issue #10): dates in sentences are
written out in each language, counts pick the right word, one term per idea."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from core.i18n import TEXTS_DIR, t
from core.locale import format_date, format_long_date
from core.pitfalls.summary import MIN_MEMBERS_FOR_SUMMARY
from core.router import run_command
from core.services import Services
from storage.clock import utcnow
from tests.conftest import actor
from tests.pitfalls.support import answer_all, values_for

CATALOGUE = tomllib.loads((TEXTS_DIR / "pitfalls.toml").read_text(encoding="utf-8"))


def forms(lang: str) -> list[tuple[str, str]]:
    """(key, text) for every form of every text in `lang`."""
    found = []
    for key, entry in CATALOGUE.items():
        value = entry[lang]
        found.extend((key, form) for form in (value.values() if isinstance(value, dict)
                                              else [value]))
    return found


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_selfcheck_result_is_dated_in_words_of_the_language(services: Services,
                                                              lang: str) -> None:
    today = utcnow().astimezone(services.settings.tz).date()
    result = answer_all(services, actor(services, 7, language_code=lang),
                        values_for("lack_of_openness"))
    title = result.text.split("\n")[0]
    assert format_long_date(today, lang) in title  # "1 December 2026", "1. Dezember 2026"
    assert format_date(today, lang) not in result.text
    again = answer_all(services, actor(services, 7, language_code=lang),
                       values_for("lack_of_openness"))
    assert t(lang, "pitfalls_change_note", date=format_long_date(today, lang)) in again.text


def test_health_is_dated_in_words(services: Services) -> None:
    today = utcnow().astimezone(services.settings.tz).date()
    reply = run_command(services, actor(services, 42, language_code="en"), "health", "")
    assert reply.text.split("\n")[0].endswith(f"(as of {format_long_date(today, 'en')})")


def test_summary_with_no_member_yet_says_no_member(services: Services) -> None:
    reply = run_command(services, actor(services, 42, language_code="en"),
                        "selfcheck_summary", "")
    assert reply.text == t("en", "pitfalls_summary_none", minimum=MIN_MEMBERS_FOR_SUMMARY)
    assert reply.text.startswith("No member has taken the self-check yet.")
    assert "0 members" not in reply.text
    assert t("de", "pitfalls_summary_none", minimum=3).startswith(
        "Bisher hat noch kein Mitglied den Selbstcheck gemacht.")


def test_german_texts_use_one_term_per_idea() -> None:
    """Items of the action plan are Aufgaben, as the plan itself calls them; pitfalls are
    Stolpersteine, buttons Schaltflächen; the talk's funding curve is the Kurve."""
    for key, text in forms("de"):
        words = re.findall(r"\w+", text)
        assert not [w for w in words if w.startswith("Aktion") and w != "Aktionsplan"], key
        assert "Stolperfalle" not in text and "Taste" not in text, key
        assert "Balance" not in text, key


def test_english_texts_use_one_term_per_idea() -> None:
    for key, text in forms("en"):
        assert not re.search(r"\b(tasks?|items?|balance)\b", text), key


def test_every_counted_text_reads_right_for_one_and_for_many() -> None:
    assert t("de", "pitfalls_ev_overdue", count=1, ids="#3", total=5, percent="20 %") == \
        "#3 ist überfällig – 1 von 5 offenen Aufgaben (20 %)"
    assert t("de", "pitfalls_ev_overdue", count=2, ids="#3 und #9", total=5,
             percent="40 %") == "#3 und #9 sind überfällig – 2 von 5 offenen Aufgaben (40 %)"
    assert t("en", "pitfalls_ev_no_kpi", count=1, ids="#5", total=4, percent="25 %") == \
        "#5 has no KPI – 1 of 4 open actions (25 %)"
    assert t("en", "pitfalls_funding_recorded_years", count=1, years="2024") == \
        "1 year is recorded: 2024."
    assert t("de", "pitfalls_funding_recorded_years", count=2, years="2023 und 2024") == \
        "Erfasst sind 2 Jahre: 2023 und 2024."


def test_no_text_is_left_over_from_the_old_catalogue() -> None:
    """Every key of pitfalls.toml is used by the code (a text nobody shows is never read)."""
    project = Path(__file__).resolve().parents[2]
    sources = "\n".join(path.read_text(encoding="utf-8") for root in ("core", "bot")
                        for path in (project / root).rglob("*.py"))
    dynamic = ("pitfalls_ev_", "pitfalls_scale_", "pitfalls_source_", "pitfalls_health_need_",
               "pitfalls_health_status_", "pitfalls_funding_ask_", "pitfalls_funding_stand_",
               "pitfalls_funding_title_", "cmd_")
    unused = [key for key in CATALOGUE
              if not key.startswith(dynamic) and f'"{key}"' not in sources
              and f"'{key}'" not in sources]
    assert unused == []
