"""Deadlines as people type them, in German and English.

Explicit forms (`31.12.2026`, `2026-12-31`, `31.12.`, `03/04/2027`), time horizons
(`36 Monate`, `in 3 Monaten`, `2 years`), `Ende März` / `end of March`, `nächsten Freitag`
are read here; everything else goes to dateparser (languages de and en, future preferred,
relative to the injected "now" in the cluster's time zone). A date that could be read two
ways, or lies in the past, is not guessed: the caller asks back. Dates are shown through
`core.locale` (31.12.2026 / 2026-12-31).
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.action_plan.fields import fold
from core.i18n import t
from core.locale import format_date
from core.parsing import is_number

MAX_YEARS_AHEAD = 50


@dataclass(frozen=True)
class DateAnswer:
    """A parsed deadline, or why there is none (`problem`), with the readings to offer."""

    value: date | None = None
    problem: str | None = None  # empty | unknown | invalid | ambiguous | past | too_far
    options: tuple[date, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None and self.problem is None


_MONTHS = {
    "januar": 1, "jan": 1, "january": 1, "jaenner": 1,
    "februar": 2, "feb": 2, "february": 2,
    "maerz": 3, "marz": 3, "mrz": 3, "maer": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "montag": 0, "monday": 0, "dienstag": 1, "tuesday": 1, "mittwoch": 2, "wednesday": 2,
    "donnerstag": 3, "thursday": 3, "freitag": 4, "friday": 4, "samstag": 5, "sonnabend": 5,
    "saturday": 5, "sonntag": 6, "sunday": 6,
}
_NUMBER_WORDS = {
    "ein": 1, "eine": 1, "einem": 1, "einer": 1, "einen": 1, "a": 1, "an": 1, "one": 1,
    "zwei": 2, "two": 2, "drei": 3, "three": 3, "vier": 4, "four": 4, "fuenf": 5, "five": 5,
    "sechs": 6, "six": 6, "sieben": 7, "seven": 7, "acht": 8, "eight": 8, "neun": 9,
    "nine": 9, "zehn": 10, "ten": 10, "elf": 11, "eleven": 11, "zwoelf": 12, "twelve": 12,
}
_UNITS = {
    "tag": "days", "tage": "days", "tagen": "days", "day": "days", "days": "days",
    "woche": "weeks", "wochen": "weeks", "week": "weeks", "weeks": "weeks",
    "monat": "months", "monate": "months", "monaten": "months", "month": "months",
    "months": "months", "jahr": "years", "jahre": "years", "jahren": "years", "year": "years",
    "years": "years",
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})$")
_DOTTED_NO_YEAR = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.?$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?$")
_HORIZON = re.compile(r"^(?:in\s+)?(\d{1,4}|[a-z]+)\s+([a-z]+)$")
_PART_OF_MONTH = re.compile(
    r"^(anfang|mitte|ende|beginning of|start of|mid|middle of|end of)\s+([a-z]+)\.?"
    r"(?:\s+(\d{4}))?$")
_END_OF = re.compile(r"^(?:ende\s+(?:des|dieses)\s+(monats|jahres)|(monats|jahres)ende|"
                     r"end\s+of\s+(?:the\s+|this\s+)?(month|year))$")
_NEXT_WEEKDAY = re.compile(r"^(?:(?:am\s+)?(?:naechste[nrs]?|kommende[nrs]?)|next|this|"
                           r"coming)\s+([a-z]+)$")


def _full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_period(start: date, unit: str, amount: int) -> date:
    """start + amount days/weeks/months/years; 31 Jan + 1 month = 28/29 Feb."""
    if unit in ("days", "weeks"):
        return start + timedelta(days=amount * (7 if unit == "weeks" else 1))
    months = start.month - 1 + amount * (12 if unit == "years" else 1)
    year, month = start.year + months // 12, months % 12 + 1
    if year > 9999:
        year = 9999
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _next_occurrence(month: int, day: int, today: date) -> date | None:
    """The next (month, day) on or after today; None when it never exists (31.02.)."""
    for year in range(today.year, today.year + 5):
        candidate = _make(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _month_part(part: str, month: int, year: int | None, today: date) -> date:
    def pick(y: int) -> date:
        last = calendar.monthrange(y, month)[1]
        if part in ("anfang", "beginning of", "start of"):
            return date(y, month, 1)
        if part in ("mitte", "mid", "middle of"):
            return date(y, month, 15)
        return date(y, month, last)

    if year is not None:
        return pick(year)
    chosen = pick(today.year)
    return chosen if chosen >= today else pick(today.year + 1)


def _explicit(text: str, today: date) -> DateAnswer | None:
    """The forms read here; None hands the text on to dateparser."""
    if match := _ISO.match(text):
        value = _make(int(match[1]), int(match[2]), int(match[3]))
        return DateAnswer(value) if value else DateAnswer(problem="invalid")
    if match := _DOTTED.match(text):
        value = _make(_full_year(match[3]), int(match[2]), int(match[1]))
        return DateAnswer(value) if value else DateAnswer(problem="invalid")
    if match := _DOTTED_NO_YEAR.match(text):
        value = _next_occurrence(int(match[2]), int(match[1]), today)
        return DateAnswer(value) if value else DateAnswer(problem="invalid")
    if match := _SLASHED.match(text):
        return _slashed(int(match[1]), int(match[2]), match[3], today)
    folded = fold(text)
    if match := _HORIZON.match(folded):
        amount = int(match[1]) if is_number(match[1], 4) else _NUMBER_WORDS.get(match[1])
        unit = _UNITS.get(match[2])
        if amount is not None and unit is not None:
            return DateAnswer(add_period(today, unit, amount))
    if match := _PART_OF_MONTH.match(folded):
        month = _MONTHS.get(match[2])
        if month is not None:
            year = int(match[3]) if match[3] else None
            return DateAnswer(_month_part(match[1], month, year, today))
    if match := _END_OF.match(folded):
        if (match[1] or match[2] or match[3]) in ("monats", "month"):
            return DateAnswer(date(today.year, today.month,
                                   calendar.monthrange(today.year, today.month)[1]))
        return DateAnswer(date(today.year, 12, 31))
    if (match := _NEXT_WEEKDAY.match(folded)) and match[1] in _WEEKDAYS:
        ahead = (_WEEKDAYS[match[1]] - today.weekday() - 1) % 7 + 1
        return DateAnswer(today + timedelta(days=ahead))
    return None


def _slashed(first: int, second: int, year_text: str | None, today: date) -> DateAnswer:
    """03/04/2027: day/month or month/day? Only certain when one of them is above 12."""
    readings: list[date] = []
    for day, month in ((first, second), (second, first)):
        if year_text:
            value = _make(_full_year(year_text), month, day)
        else:
            value = _next_occurrence(month, day, today)
        if value is not None and value not in readings:
            readings.append(value)
    if not readings:
        return DateAnswer(problem="invalid")
    if len(readings) == 1:
        return DateAnswer(readings[0])
    return DateAnswer(problem="ambiguous", options=tuple(readings))


def _with_dateparser(text: str, local_now: datetime) -> date | None:
    import dateparser  # slow to import (language data): only when needed

    parsed = dateparser.parse(text, languages=["de", "en"], settings={
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })
    return parsed.date() if parsed is not None else None


def parse_deadline(text: str, *, now: datetime, tz: ZoneInfo) -> DateAnswer:
    """Read a deadline typed by a person, as of `now`; say what is wrong when it can't be."""
    text = " ".join(text.split()).strip().rstrip(",;")
    if not text:
        return DateAnswer(problem="empty")
    local_now = now.astimezone(tz)
    today = local_now.date()
    answer = _explicit(text, today)
    if answer is None:
        value = _with_dateparser(text, local_now) if len(text) <= 60 else None
        answer = DateAnswer(value) if value else DateAnswer(problem="unknown")
    if answer.problem is not None or answer.value is None:
        return answer
    if answer.value < today:
        return DateAnswer(answer.value, problem="past")
    if answer.value.year > today.year + MAX_YEARS_AHEAD:
        return DateAnswer(answer.value, problem="too_far")
    return answer


def relative_days(value: date, today: date, lang: str) -> str:
    """'heute', 'in 3 Tagen', 'seit 2 Tagen überfällig' ..."""
    days = (value - today).days
    if days == 0:
        return t(lang, "plan_due_today")
    if days == 1:
        return t(lang, "plan_due_tomorrow")
    if days > 1:
        return t(lang, "plan_due_in", count=days)
    return t(lang, "plan_overdue_by", count=-days)


def problem_text(answer: DateAnswer, typed: str, lang: str) -> str:
    """The question to ask back for a deadline that could not be taken as typed."""
    shown = html.escape(typed.strip()[:60])
    if answer.problem == "past" and answer.value is not None:
        return t(lang, "plan_date_past", date=format_date(answer.value, lang), typed=shown)
    if answer.problem == "ambiguous":
        return t(lang, "plan_date_ambiguous", typed=shown)
    if answer.problem == "too_far" and answer.value is not None:
        return t(lang, "plan_date_too_far", date=format_date(answer.value, lang))
    if answer.problem == "invalid":
        return t(lang, "plan_date_invalid", typed=shown)
    if answer.problem == "empty":
        return t(lang, "plan_date_empty")
    return t(lang, "plan_date_unknown", typed=shown)
