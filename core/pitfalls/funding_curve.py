"""The talk's funding balance (slide 16) and where a cluster stands against it; pure functions.

The talk's chart over years 1-10 of the life cycle: the public share falls 80, 80, 75, 70,
60, 50, 40, 30, 30 % and stays at about 30 %; the own share (fees, services, projects) is the
rest. Break-even here means own income carries at least half (own share >= 50 %): on the
talk's curve in year 6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.parsing import is_number

RECOMMENDED_PUBLIC_SHARE = (80, 80, 75, 70, 60, 50, 40, 30, 30)  # years 1-9 of the talk
LATE_PUBLIC_SHARE = 30  # year 10 and later: "about 30 %"
BREAK_EVEN_OWN_SHARE = 50  # own income carries at least half of the budget
# Within ±5 percentage points of the curve counts as "on the curve": the talk's figures are
# rounded to 5 % steps, so smaller differences are noise, not a finding.
CURVE_TOLERANCE_POINTS = 5
MIN_YEAR = 1900  # the same bounds as the CLUSTER_FOUNDED setting
MAX_AMOUNT = 1_000_000_000  # one billion euros per source: far above any cluster budget
SOURCES = ("membership_fees", "public_funding", "services", "projects")


def cluster_age(year: int, founded: int) -> int:
    """Year of the life cycle: the founding year is year 1 (0 or less: before founding)."""
    return year - founded + 1


def recommended_public_share(age: int) -> int | None:
    """The talk's public share for a year of the life cycle (None before founding)."""
    if age < 1:
        return None
    if age <= len(RECOMMENDED_PUBLIC_SHARE):
        return RECOMMENDED_PUBLIC_SHARE[age - 1]
    return LATE_PUBLIC_SHARE


def curve_break_even_age() -> int:
    """First year of the life cycle in which the talk's own share reaches break-even."""
    age = 1
    while 100 - (recommended_public_share(age) or 0) < BREAK_EVEN_OWN_SHARE:
        age += 1
    return age


def public_share(amounts: dict[str, int]) -> float | None:
    """Public funding as a percentage of all income (None when nothing is recorded)."""
    total = sum(amounts[source] for source in SOURCES)
    return None if total == 0 else 100 * amounts["public_funding"] / total


def compare(share: float, target: int) -> str:
    """'above', 'on' or 'below' the curve, with CURVE_TOLERANCE_POINTS of slack."""
    if share > target + CURVE_TOLERANCE_POINTS:
        return "above"
    if share < target - CURVE_TOLERANCE_POINTS:
        return "below"
    return "on"


@dataclass(frozen=True)
class YearShares:
    year: int
    total: int
    public: float | None  # None: all amounts are zero
    age: int | None  # None: founding year unknown
    target: int | None  # the talk's public share for that age


def year_shares(year: int, amounts: dict[str, int], founded: int | None) -> YearShares:
    age = cluster_age(year, founded) if founded is not None else None
    target = recommended_public_share(age) if age is not None else None
    return YearShares(year, sum(amounts[s] for s in SOURCES), public_share(amounts), age,
                      target)


def cluster_break_even_year(shares: list[YearShares]) -> int | None:
    """The first recorded year in which the own share reached break-even."""
    return next((s.year for s in shares if s.public is not None
                 and 100 - s.public >= BREAK_EVEN_OWN_SHARE), None)


# --------------------------------------------------------------------------------- input
class InputError(ValueError):
    """Bad user input; `key` is the text key explaining it, `values` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


_GROUPED = re.compile(r"^\d{1,3}(?:([.,' ])\d{3})(?:\1\d{3})*$")


def parse_amount(text: str) -> int:
    """Whole euros: '12000', '12.000', '12,000', '12 000 €'; refuse negatives and decimals."""
    value = text.strip().removesuffix("€").removesuffix("EUR").removesuffix("eur").strip()
    value = value.removeprefix("€").strip()
    if value.startswith(("-", "−")) and value[1:].strip()[:1].isdigit():
        raise InputError("pitfalls_funding_negative")
    digits = re.sub(r"\D", "", value)
    if len(digits) > len(str(MAX_AMOUNT)) and re.fullmatch(r"[\d.,' ]+", value):
        raise InputError("pitfalls_funding_too_large", maximum=MAX_AMOUNT)
    if is_number(value, 15):
        amount = int(value)
    elif _GROUPED.match(value):
        amount = int(re.sub(r"\D", "", value))
    elif re.match(r"^[\d.,' ]*\d[.,]\d{1,2}$", value):
        raise InputError("pitfalls_funding_whole_euros")
    else:
        raise InputError("pitfalls_funding_not_a_number", text=text.strip()[:40])
    if amount > MAX_AMOUNT:
        raise InputError("pitfalls_funding_too_large", maximum=MAX_AMOUNT)
    return amount


def parse_year_word(text: str) -> int:
    """Four ASCII digits (a year as typed; '²⁰²⁵' or '25' are not one)."""
    value = text.strip()
    if not is_number(value, 4) or len(value) != 4:
        raise InputError("pitfalls_funding_bad_year", text=value[:20])
    return int(value)


def parse_year(text: str, *, this_year: int, founded: int | None = None,
               founding: bool = False) -> int:
    """A funding year (MIN_YEAR .. next year, not before founding) or a founding year."""
    year = parse_year_word(text)
    latest = this_year if founding else this_year + 1  # next year's budget may be known
    if not MIN_YEAR <= year <= latest:
        raise InputError("pitfalls_funding_year_range", first=MIN_YEAR, last=latest)
    if not founding and founded is not None and year < founded:
        raise InputError("pitfalls_funding_before_founding", founded=founded)
    return year
