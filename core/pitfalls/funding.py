"""The cluster's funding as managers see it: recorded years, shares against the talk's
curve, the one sentence on where the cluster stands, the chart, and the buttons (ACTIONS:
add = record a year, founded = the founding year, which open the entry dialog DIALOG whose
steps live in funding_entry; delete / keep = the answers to `/funding delete YEAR`).

A year recorded as 0 € in every source is a recorded year like any other: it is listed
with 0 €, it only has no public share to compare with the curve.

Founding year: the CLUSTER_FOUNDED setting wins when it is set; otherwise the year stored
with `/funding founded YEAR` (or the CLI) is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from core import dialogs
from core.actor import Actor, Role
from core.feature import Action, Actions, integer
from core.i18n import t
from core.pitfalls.charts import FundingBar, FundingLabels, funding_chart
from core.pitfalls.formatting import euros, joined, percent
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
from core.reply import Attachment, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.funding import (
    delete_funding,
    funding_years,
    save_funding,
    stored_founded_year,
)
from storage.pitfalls.tables import Funding

logger = logging.getLogger(__name__)

YEARS_LISTED = 10  # the text lists the latest ten years; the chart shows up to CHART_YEARS
CHART_YEARS = 15
TALK_YEARS = 10  # the talk's chart spans years 1-10: the chart shows at least those
DIALOG = "funding"  # the guided entry (steps in funding_entry)
STEP_FOUNDED = "founded"
STEP_YEAR = "year"
# the remaining steps are named after the sources, asked in SOURCES order


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
    """One sentence: where the latest year with income stands against the curve."""
    latest = next((s for s in reversed(shares) if s.public is not None), None)
    if latest is None or latest.public is None:
        years = [str(s.year) for s in shares]
        return t(lang, "pitfalls_funding_stand_zero", count=len(years),
                 years=joined(lang, years), zero=euros(0, lang))
    if latest.age is None or latest.target is None:
        return t(lang, "pitfalls_funding_stand_no_founded", year=latest.year,
                 share=percent(latest.public, lang))
    return t(lang, f"pitfalls_funding_stand_{compare(latest.public, latest.target)}",
             age=latest.age, year=latest.year, share=percent(latest.public, lang),
             target=percent(latest.target, lang))


def year_line(lang: str, row: Funding, shares: YearShares) -> str:
    """The year, its total and shares, and the amount of each source on a second line."""
    age = (t(lang, "pitfalls_funding_age", age=shares.age) if shares.age and shares.age > 0
           else t(lang, "pitfalls_funding_before") if shares.age is not None else "")
    age = f" ({age})" if age else ""
    if shares.public is None:
        head = t(lang, "pitfalls_funding_row_zero", year=row.year, age=age,
                 total=euros(0, lang))
    else:
        curve = (t(lang, "pitfalls_funding_row_curve", target=percent(shares.target, lang))
                 if shares.target is not None else "")
        head = t(lang, "pitfalls_funding_row", year=row.year, age=age,
                 total=euros(shares.total, lang), public=percent(shares.public, lang),
                 own=percent(100 - shares.public, lang), curve=curve)
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
                               tick, zero=recorded is not None and recorded.public is None))
    curve_year = (start.year + curve_break_even_age() - 1) if start.year is not None else None
    labels = FundingLabels(
        title=t(lang, "pitfalls_funding_chart_title"),
        public=t(lang, "pitfalls_funding_chart_public"), own=t(lang, "pitfalls_funding_chart_own"),
        curve=t(lang, "pitfalls_funding_chart_curve"),
        break_even=t(lang, "pitfalls_funding_chart_break_even"),
        cluster_break_even=t(lang, "pitfalls_funding_chart_cluster_break_even"),
        axis=t(lang, "pitfalls_funding_chart_axis"), zero=euros(0, lang))
    try:
        png = funding_chart(bars, labels, curve_break_even_year=curve_year,
                            cluster_break_even_year=cluster_break_even_year(years))
    except Exception:  # the text overview stands without the picture
        logger.exception("Could not draw the funding chart")
        return None
    return Attachment("funding.png", png, kind="photo")


def overview(services: Services, lang: str, *, first_line: str = "",
             edit: bool = False) -> Reply:
    """Recorded years, the sentence on where the cluster stands, the chart and buttons."""
    records, start = all_shares(services)
    lines = [first_line] if first_line else []
    if start.year is not None:
        lines.append(t(lang, f"pitfalls_funding_title_{start.source}", founded=start.year))
    else:
        lines.append(t(lang, "pitfalls_funding_title_none"))
    buttons = [ACTIONS.button(t(lang, "pitfalls_funding_button_add"), "add")]
    if start.source != "setting":
        buttons.append(ACTIONS.button(t(lang, "pitfalls_funding_button_founded"), "founded"))
    if not records:
        lines.append(t(lang, "pitfalls_funding_empty"))
        return Reply("\n\n".join(lines), rows(buttons), edit=edit)
    lines.append("\n".join(year_line(lang, row, shares)
                           for row, shares in records[-YEARS_LISTED:]))
    shares = [s for _, s in records]
    lines.append(stand_sentence(lang, shares))
    lines.append(t(lang, "pitfalls_funding_hint", year=records[-1][0].year))
    picture = _chart(lang, shares, start)
    return Reply("\n\n".join(lines), rows(buttons), attachments=(picture,) if picture else (),
                 edit=edit)


def save_year(services: Services, year: int, amounts: dict[str, int], by: int | None) -> None:
    with session_scope(services.engine) as session:
        save_funding(session=session, year=year, updated_by=by, **amounts)


def funding_shares(services: Services) -> list[YearShares]:
    """Every recorded year's shares, oldest first (for the health rule)."""
    return [s for _, s in all_shares(services)[0]]


# --------------------------------------------------------------------------------- buttons
def press_add(services: Services, actor: Actor) -> Reply:
    """The overview's "record a year" button: ask which year (private chat only)."""
    lang = actor.language
    if not actor.is_private_chat:
        return refused_press(t(lang, "pitfalls_private_only"))
    dialogs.begin(services, actor, DIALOG, STEP_YEAR, {})
    return Reply(t(lang, "pitfalls_funding_ask_year", year=this_year(services) - 1))


def press_founded(services: Services, actor: Actor) -> Reply:
    """The overview's "founding year" button: ask for it, unless the setting decides it."""
    lang = actor.language
    if not actor.is_private_chat:
        return refused_press(t(lang, "pitfalls_private_only"))
    start = founded(services)
    if start.source == "setting":
        return refused_press(t(lang, "pitfalls_funding_founded_by_setting",
                               founded=start.year))
    dialogs.begin(services, actor, DIALOG, STEP_FOUNDED, {})
    return Reply(t(lang, "pitfalls_funding_ask_founded"))


def delete_question(services: Services, lang: str, year: int) -> Reply:
    """`/funding delete YEAR`: what is recorded for the year, and a button to confirm."""
    records, _ = all_shares(services)
    found = next(((row, shares) for row, shares in records if row.year == year), None)
    if found is None:
        return Reply(_nothing_recorded(lang, year, [row.year for row, _ in records]))
    text = t(lang, "pitfalls_funding_delete_question", year=year,
             record=year_line(lang, *found))
    return Reply(text, ((ACTIONS.button(t(lang, "pitfalls_funding_button_delete", year=year),
                                        "delete", year),
                         ACTIONS.button(t(lang, "pitfalls_button_cancel"), "keep", year)),))


def _nothing_recorded(lang: str, year: int, recorded: list[int]) -> str:
    listed = (t(lang, "pitfalls_funding_recorded_years", count=len(recorded),
                years=joined(lang, [str(y) for y in recorded])) if recorded
              else t(lang, "pitfalls_funding_no_years"))
    return t(lang, "pitfalls_funding_delete_missing", year=year) + " " + listed


def press_delete(services: Services, actor: Actor, year: int) -> Reply:
    """The confirmation button: delete the year, then show the overview in its place."""
    lang = actor.language
    if not actor.is_private_chat:
        return refused_press(t(lang, "pitfalls_private_only"))
    with session_scope(services.engine) as session:
        deleted = delete_funding(session=session, year=year)
        recorded = [row.year for row in funding_years(session=session)]
    if not deleted:  # pressed twice, deleted meanwhile, or forged
        return refused_press(_nothing_recorded(lang, year, recorded))
    return overview(services, lang, edit=True,
                    first_line=t(lang, "pitfalls_funding_deleted", year=year))


def press_keep(services: Services, actor: Actor, year: int) -> Reply:
    """The cancel button under the question: nothing is deleted."""
    return Reply(t(actor.language, "pitfalls_funding_delete_kept", year=year), edit=True)


ACTIONS = Actions("funding", Role.MANAGER, (
    Action("add", press_add),
    Action("founded", press_founded),
    Action("delete", press_delete, (integer,)),
    Action("keep", press_keep, (integer,)),
))
