"""Deadlines as people type them (German and English), read as of a fixed "now"."""

from __future__ import annotations

from datetime import date

import pytest

from core.action_plan.dates import parse_deadline
from core.locale import format_date
from tests.action_plan.support import BERLIN, berlin

NOW = berlin(2026, 11, 26, 10)  # a Thursday

CASES = [
    # typed, expected date
    ("31.12.2026", date(2026, 12, 31)),
    ("2026-12-31", date(2026, 12, 31)),
    ("31.12.", date(2026, 12, 31)),
    ("31.12", date(2026, 12, 31)),
    ("1.3.", date(2027, 3, 1)),  # next occurrence: March has passed this year
    ("26.11.", date(2026, 11, 26)),  # today still counts
    ("25.11.", date(2027, 11, 25)),  # yesterday: next year
    ("1.3.27", date(2027, 3, 1)),
    ("in 3 Monaten", date(2027, 2, 26)),
    ("in 3 months", date(2027, 2, 26)),
    ("36 Monate", date(2029, 11, 26)),
    ("36 months", date(2029, 11, 26)),
    ("in einem Monat", date(2026, 12, 26)),
    ("in 2 Wochen", date(2026, 12, 10)),
    ("2 Jahre", date(2028, 11, 26)),
    ("10 Tage", date(2026, 12, 6)),
    ("Ende März", date(2027, 3, 31)),
    ("ende maerz", date(2027, 3, 31)),
    ("Ende Februar 2028", date(2028, 2, 29)),
    ("end of March", date(2027, 3, 31)),
    ("Ende November", date(2026, 11, 30)),  # this month is not over yet
    ("Mitte Januar", date(2027, 1, 15)),
    ("Anfang Mai", date(2027, 5, 1)),
    ("Monatsende", date(2026, 11, 30)),
    ("Jahresende", date(2026, 12, 31)),
    ("next Friday", date(2026, 11, 27)),
    ("nächsten Freitag", date(2026, 11, 27)),
    ("kommenden Montag", date(2026, 11, 30)),
    ("next Thursday", date(2026, 12, 3)),  # today is Thursday: the next one
    ("morgen", date(2026, 11, 27)),
    ("tomorrow", date(2026, 11, 27)),
    ("heute", date(2026, 11, 26)),
    ("1. März 2027", date(2027, 3, 1)),
    ("March 1st 2027", date(2027, 3, 1)),
    ("31/12/2026", date(2026, 12, 31)),  # day above 12: not ambiguous
    ("12/31/2026", date(2026, 12, 31)),
    ("05/05/2027", date(2027, 5, 5)),  # both readings are the same day
    ("  31.12.2026  ", date(2026, 12, 31)),
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_deadline_is_read_as_people_type_it(typed: str, expected: date) -> None:
    answer = parse_deadline(typed, now=NOW, tz=BERLIN)
    assert answer.ok, (typed, answer)
    assert answer.value == expected


PROBLEMS = [
    ("03/04/2027", "ambiguous"),
    ("3/4", "ambiguous"),
    ("01.01.2020", "past"),
    ("2025-12-31", "past"),
    ("gestern", "past"),
    ("31.02.2027", "invalid"),
    ("2027-13-01", "invalid"),
    ("30.02.", "invalid"),
    ("irgendwann", "unknown"),
    ("<b>bald</b>", "unknown"),
    ("", "empty"),
    ("   ", "empty"),
    ("9999 Jahre", "too_far"),
    ("x" * 500, "unknown"),
]


@pytest.mark.parametrize(("typed", "problem"), PROBLEMS)
def test_unclear_or_past_deadline_is_asked_back(typed: str, problem: str) -> None:
    answer = parse_deadline(typed, now=NOW, tz=BERLIN)
    assert not answer.ok and answer.problem == problem, (typed, answer)


def test_ambiguous_date_offers_both_readings() -> None:
    answer = parse_deadline("03/04/2027", now=NOW, tz=BERLIN)
    assert answer.options == (date(2027, 4, 3), date(2027, 3, 4))


def test_today_is_taken_in_the_cluster_time_zone() -> None:
    late_evening_utc = berlin(2026, 12, 31, 23, 30)  # still 31 Dec in Berlin, 1 Jan nowhere
    assert parse_deadline("31.12.2026", now=late_evening_utc, tz=BERLIN).ok
    just_after_midnight = berlin(2027, 1, 1, 0, 30)  # 31 Dec 23:30 UTC, but 1 Jan in Berlin
    assert parse_deadline("31.12.2026", now=just_after_midnight, tz=BERLIN).problem == "past"


def test_dates_are_shown_german_and_iso() -> None:
    assert format_date(date(2026, 12, 31), "de") == "31.12.2026"
    assert format_date(date(2026, 12, 31), "en") == "2026-12-31"
