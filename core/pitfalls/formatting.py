"""Small shared formatting helpers: dates, euros, score changes (German and English)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def day(moment: datetime, lang: str, tz: ZoneInfo) -> str:
    """A date in the cluster's time zone: 26.11.2026 or 26 Nov 2026."""
    local = moment.astimezone(tz)
    return local.strftime("%d.%m.%Y") if lang == "de" else local.strftime("%d %b %Y")


def number(value: int, lang: str) -> str:
    """12.345 (German) or 12,345 (English)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "de" else text


def euros(value: int, lang: str) -> str:
    return f"{number(value, lang)} €" if lang == "de" else f"€{number(value, lang)}"


def delta(value: int) -> str:
    """+5, -3 or ±0."""
    return "±0" if value == 0 else f"{value:+d}"


def percent(value: float) -> str:
    return f"{round(value)} %"
