"""The cluster's funding as managers see it: recorded years, shares against the talk's
curve, the one sentence on where the cluster stands, and the chart (entry: funding_entry).

Founding year: the CLUSTER_FOUNDED setting wins when it is set; otherwise the year stored
with `/funding founded YEAR` (or the CLI) is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from core.i18n import t
from core.pitfalls.charts import FundingBar, FundingLabels, funding_chart
from core.pitfalls.formatting import euros, percent
from core.pitfalls.funding_curve import (
    SOURCES,
    YearShares,
    cluster_age,
    cluster_break_even_year,
    compare,
    curve_break_even_age,
    recommended_public_share,
    year_shares,
)
from core.reply import Attachment, Choice, Reply, rows
from core.services import Services
from storage.engine import session_scope
from storage.pitfall_data import (
    Funding,
    funding_years,
    save_funding,
    stored_founded_year,
)

logger = logging.getLogger(__name__)

YEARS_LISTED = 10  # the text lists the latest ten years; the chart shows up to CHART_YEARS
CHART_YEARS = 15
TALK_YEARS = 10  # the talk's chart spans years 1-10: the chart shows at least those


@dataclass(frozen=True)
class Founded:
    year: int | None
    source: str  # "setting", "stored" or "none"


def founded(services: Services) -> Founded:
    """The founding year: the CLUSTER_FOUNDED setting wins, else the stored one."""
    if services.settings.cluster_founded is not None:
        return Founded(services.settings.cluster_founded, "setting")
    with session_scope(services.engine) as session:
        stored = stored_founded_year(session=session)
    return Founded(stored, "stored" if stored is not None else "none")


def this_year(services: Services) -> int:
    return datetime.now(services.settings.tz).year


def amounts_of(row: Funding) -> dict[str, int]:
    return {source: int(getattr(row, source)) for source in SOURCES}


def all_shares(services: Services) -> tuple[list[tuple[Funding, YearShares]], Founded]:
    """Every recorded year with its shares, oldest first, and the founding year."""
    start = founded(services)
    with session_scope(services.engine) as session:
        records = funding_years(session=session)
    return [(r, year_shares(r.year, amounts_of(r), start.year)) for r in records], start


# ---------------------------------------------------------------------------------- views
def stand_sentence(lang: str, shares: list[YearShares]) -> str:
    """One sentence: where the latest year with amounts stands against the curve."""
    latest = next((s for s in reversed(shares) if s.public is not None), None)
    if latest is None or latest.public is None:
        return t(lang, "pitfalls_funding_stand_none")
    if latest.age is None or latest.target is None:
        return t(lang, "pitfalls_funding_stand_no_founded", year=latest.year,
                 share=percent(latest.public))
    return t(lang, f"pitfalls_funding_stand_{compare(latest.public, latest.target)}",
             age=latest.age, year=latest.year, share=percent(latest.public),
             target=percent(latest.target))


def _year_line(lang: str, row: Funding, shares: YearShares) -> str:
    age = (t(lang, "pitfalls_funding_age", age=shares.age) if shares.age and shares.age > 0
           else t(lang, "pitfalls_funding_before") if shares.age is not None else "")
    age = f" ({age})" if age else ""
    if shares.public is None:
        head = t(lang, "pitfalls_funding_row_empty", year=row.year, age=age)
    else:
        curve = (t(lang, "pitfalls_funding_row_curve", target=percent(shares.target))
                 if shares.target is not None else "")
        head = t(lang, "pitfalls_funding_row", year=row.year, age=age,
                 total=euros(shares.total, lang), public=percent(shares.public),
                 own=percent(100 - shares.public), curve=curve)
    sources = " · ".join(f"{t(lang, f'pitfalls_source_{s}')} {euros(getattr(row, s), lang)}"
                         for s in SOURCES)
    return f"{head}\n   {sources}"


def _chart(lang: str, years: list[YearShares], start: Founded) -> Attachment | None:
    first = years[0].year
    last = years[-1].year
    if start.year is not None:
        first = min(first, start.year)
        last = max(last, start.year + TALK_YEARS - 1)
    first = max(first, last - CHART_YEARS + 1)
    by_year = {s.year: s for s in years}
    bars = []
    for year in range(first, last + 1):
        age = cluster_age(year, start.year) if start.year is not None else None
        tick = (str(year) if age is None or age < 1
                else f"{year}\n{t(lang, 'pitfalls_funding_age', age=age)}")
        recorded = by_year.get(year)
        bars.append(FundingBar(year, recorded.public if recorded else None,
                               recommended_public_share(age) if age is not None else None,
                               tick))
    curve_year = (start.year + curve_break_even_age() - 1) if start.year is not None else None
    labels = FundingLabels(
        title=t(lang, "pitfalls_funding_chart_title"),
        public=t(lang, "pitfalls_funding_chart_public"), own=t(lang, "pitfalls_funding_chart_own"),
        curve=t(lang, "pitfalls_funding_chart_curve"),
        break_even=t(lang, "pitfalls_funding_chart_break_even"),
        cluster_break_even=t(lang, "pitfalls_funding_chart_cluster_break_even"),
        axis=t(lang, "pitfalls_funding_chart_axis"))
    try:
        png = funding_chart(bars, labels, curve_break_even_year=curve_year,
                            cluster_break_even_year=cluster_break_even_year(years))
    except Exception:  # the text overview stands without the picture
        logger.exception("Could not draw the funding chart")
        return None
    return Attachment("funding.png", png, kind="photo")


def overview(services: Services, lang: str, *, first_line: str = "") -> Reply:
    """Recorded years, the sentence on where the cluster stands, the chart and buttons."""
    records, start = all_shares(services)
    lines = [first_line] if first_line else []
    if start.year is not None:
        lines.append(t(lang, f"pitfalls_funding_title_{start.source}", founded=start.year))
    else:
        lines.append(t(lang, "pitfalls_funding_title_none"))
    buttons = [Choice(t(lang, "pitfalls_funding_button_add"), "funding:add")]
    if start.source != "setting":
        buttons.append(Choice(t(lang, "pitfalls_funding_button_founded"), "funding:founded"))
    if not records:
        lines.append(t(lang, "pitfalls_funding_empty"))
        return Reply("\n\n".join(lines), rows(buttons))
    lines.append("\n".join(_year_line(lang, row, shares)
                           for row, shares in records[-YEARS_LISTED:]))
    shares = [s for _, s in records]
    lines.append(stand_sentence(lang, shares))
    picture = _chart(lang, shares, start)
    return Reply("\n\n".join(lines), rows(buttons), attachments=(picture,) if picture else ())


def save_year(services: Services, year: int, amounts: dict[str, int], by: int | None) -> None:
    with session_scope(services.engine) as session:
        save_funding(session=session, year=year, updated_by=by, **amounts)


def funding_shares(services: Services) -> list[YearShares]:
    """Every recorded year's shares, oldest first (for the health rule)."""
    return [s for _, s in all_shares(services)[0]]

