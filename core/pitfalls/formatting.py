"""Small shared formatting helpers on top of core.locale: dates, euros, percent, changes,
lists."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from core.i18n import t
from core.locale import format_date, format_long_date, format_number


def _local(moment: datetime, tz: tzinfo) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz)


def day(moment: datetime, lang: str, tz: tzinfo) -> str:
    """The date in the cluster's time zone: 26.11.2026 / 2026-11-26 (naive = stored UTC)."""
    return format_date(_local(moment, tz).date(), lang)


def long_day(moment: datetime, lang: str, tz: tzinfo) -> str:
    """The date in a sentence: 26. November 2026 / 26 November 2026 (naive = stored UTC)."""
    return format_long_date(_local(moment, tz).date(), lang)


def euros(value: int, lang: str) -> str:
    """12.345 € (German) or €12,345 (English)."""
    amount = format_number(value, lang)
    return f"{amount} €" if lang == "de" else f"€{amount}"


def delta(value: int) -> str:
    """+5, -3 or ±0."""
    return "±0" if value == 0 else f"{value:+d}"


def percent(value: float, lang: str) -> str:
    """A share in whole percent: 82 % (with a space, as the knowledge base writes it in both
    languages)."""
    return f"{format_number(round(value), lang)} %"


def joined(lang: str, parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the language."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {t(lang, 'pitfalls_and')} {parts[-1]}"
