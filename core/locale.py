"""Dates, numbers and plural forms in German and English, in one place (Babel, CLDR data).

German readers expect `31.12.2026` and `1.234`, English ones `2026-12-31` (unambiguous
for an international cluster) and `1,234`; long dates read "31. Dezember 2026" and
"31 December 2026". Plural categories come from CLDR through Babel instead of
hand-written rules, so "1 Tag / 3 Tage" and "1 day / 3 days" stay right.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import cache

from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

BABEL_LOCALE = {"de": "de_DE", "en": "en_GB"}  # British English: day-month order in prose
SHORT_DATE = {"de": "dd.MM.yyyy", "en": "yyyy-MM-dd"}
TIME = "HH:mm"


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALE.get(lang, BABEL_LOCALE["de"]))


def plural_category(lang: str, count: int | float) -> str:
    """CLDR's plural category ("one", "other") of `count` in `lang`."""
    return _locale(lang).plural_form(abs(count))


def format_date(value: date, lang: str) -> str:
    """31.12.2026 in German, 2026-12-31 in English."""
    return babel_date(value, SHORT_DATE.get(lang, SHORT_DATE["de"]), locale=_locale(lang))


def format_long_date(value: date, lang: str) -> str:
    """31. Dezember 2026 / 31 December 2026."""
    return babel_date(value, "long", locale=_locale(lang))


def format_datetime(value: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """Date and time in the cluster's time zone: 31.12.2026 09:00 / 2026-12-31 09:00."""
    local = value.astimezone(tz) if tz is not None else value
    return f"{format_date(local.date(), lang)} {local.strftime('%H:%M')}"


def format_number(value: int | float, lang: str) -> str:
    """1.234 / 1,234 (and decimals with the language's separator)."""
    return format_decimal(value, locale=_locale(lang))
