"""The health evidence in words: one short line per check, naming the action plan's items
behind a finding (at most MAX_IDS ids, then "and 3 more") and saying why.

Every line is tagged with the check it belongs to, so the weekly digest can keep only the
lines that warn. The lines are HTML-safe: they carry numbers, ids and years only.
"""

from __future__ import annotations

from typing import Any

from core.i18n import t
from core.locale import format_number
from core.pitfalls import health_rules as rules
from core.pitfalls.formatting import euros, joined, percent

MAX_IDS = 5  # more ids than this read as noise in a chat line; the JSON has them all

Line = tuple[str, str]  # (check, text)


def item_ids(lang: str, ids: list[int]) -> str:
    """#3, #4 and #9 – or, from MAX_IDS + 2 on, #1, #2, #3, #4, #5 and 3 more."""
    if len(ids) <= MAX_IDS + 1:  # "and 1 more" would take the room of the id it hides
        return joined(lang, [f"#{number}" for number in ids])
    shown = [f"#{number}" for number in ids[:MAX_IDS]]
    return joined(lang, [*shown, t(lang, "pitfalls_more", count=len(ids) - MAX_IDS)])


def _named(lang: str, key: str, ids: list[int], total: int, **values: object) -> str:
    """A finding that names its items: '#3 and #9 are overdue – 2 of 5 open actions (40%)'."""
    if total == 1:
        return t(lang, f"pitfalls_ev_{key}_only", ids=item_ids(lang, ids), **values)
    return t(lang, f"pitfalls_ev_{key}", count=len(ids), ids=item_ids(lang, ids),
             total=format_number(total, lang), percent=percent(100 * len(ids) / total, lang),
             **values)


def _counted(lang: str, key: str, part: int, total: int, **values: object) -> str:
    """A share without names: '3 of 10 members have neither a profile …'."""
    if total == 1:
        return t(lang, f"pitfalls_ev_{key}_only", **values)
    return t(lang, f"pitfalls_ev_{key}", count=part, total=format_number(total, lang),
             percent=percent(100 * part / total, lang), **values)


def _fine(lang: str, key: str, total: int, **values: object) -> str:
    """Nothing found among `total` cases: 'none of the 5 open actions is overdue' (one and
    two cases read differently: 'the only open action', 'neither of the two')."""
    if total in (1, 2):
        suffix = "only" if total == 1 else "both"
        return t(lang, f"pitfalls_ev_{key}_none_{suffix}", **values)
    return t(lang, f"pitfalls_ev_{key}_none", count=total, **values)


def _of(lang: str, key: str, **values: object) -> str:
    return t(lang, f"pitfalls_ev_{key}", **values)


def _expectations(lang: str, e: dict[str, Any]) -> list[Line]:
    active, broad = e["active_items"], e["multi_group_items"]
    if not active:
        return [("overdue", _of(lang, "no_active_items"))]
    overdue, rushed = e["overdue_item_ids"], e["due_too_soon_item_ids"]
    lines = [("overdue", _named(lang, "overdue", overdue, active) if overdue
              else _fine(lang, "overdue", active))]
    months = rules.DAYS_PER_EXTRA_GROUP // 30
    if broad:
        lines.append(("rushed", _named(lang, "rushed", rushed, broad, months=months) if rushed
                      else _fine(lang, "rushed", broad)))
    return lines


def _monitoring(lang: str, e: dict[str, Any]) -> list[Line]:
    active, weeks = e["active_items"], e["update_limit_days"] // 7
    lines: list[Line] = []
    if not active:
        lines.append(("kpi", _of(lang, "no_active_items")))
    else:
        no_kpi, stale = e["no_kpi_item_ids"], e["no_update_item_ids"]
        lines.append(("kpi", _named(lang, "no_kpi", no_kpi, active) if no_kpi
                      else _fine(lang, "no_kpi", active)))
        lines.append(("stale", _named(lang, "stale", stale, active, weeks=weeks) if stale
                      else _fine(lang, "stale", active, weeks=weeks)))
    days = e["days_since_selfcheck"]
    if days is None:
        lines.append(("selfcheck", _of(lang, "selfcheck_never")))
    else:
        lines.append(("selfcheck", _of(lang, "selfcheck", count=days) if days else
                      _of(lang, "selfcheck_today")))
    return lines


def _funding(lang: str, e: dict[str, Any]) -> list[Line]:
    if not e["recorded_years"]:
        return [("funding", _of(lang, "funding_none"))]
    lines: list[Line] = []
    if e["year"] is not None and (e["cluster_year"] is None
                                  or e["recommended_public_percent"] is None):
        lines.append(("funding", _of(lang, "funding_no_founded", year=e["year"],
                                     share=percent(e["public_percent"], lang))))
    elif e["year"] is not None:
        lines.append(("funding", _of(lang, f"funding_{e['against_curve']}", year=e["year"],
                                     age=e["cluster_year"],
                                     share=percent(e["public_percent"], lang),
                                     target=percent(e["recommended_public_percent"], lang))))
    # years recorded as 0 € after the judged one (or all, when none has income) are named
    zero = [year for year in e["years_without_income"] if e["year"] is None or year > e["year"]]
    if zero:
        lines.append(("funding", _of(lang, "funding_zero", zero=euros(0, lang),
                                     years=joined(lang, [str(year) for year in zero]))))
    return lines


def _quantity(lang: str, e: dict[str, Any]) -> list[Line]:
    members = e["members"]
    lines: list[Line] = []
    if e.get("introductions", 0) >= rules.MIN_SAMPLE:  # issue #14: counted by the events
        lines.append(("conversion", t(lang, "pitfalls_health_conversion",
                                      count=e["introductions"],
                                      met=format_number(e["introductions_met"], lang),
                                      projects=format_number(e["introductions_projects"],
                                                             lang))))
    if not members:
        return [("passive", _of(lang, "no_members")), *lines]
    if e["passive"]:
        return [("passive", _counted(lang, "passive", e["passive"], members,
                                     profiles=format_number(e["with_profile"], lang))), *lines]
    return [("passive", _fine(lang, "passive", members)), *lines]


def _openness(lang: str, e: dict[str, Any]) -> list[Line]:
    lines: list[Line] = []
    profiles, grouped = e["profiles"], e["items_with_groups"]
    if profiles:
        lines.append(("hidden", _counted(lang, "hidden", e["hidden_profiles"], profiles)
                      if e["hidden_profiles"] else _fine(lang, "hidden", profiles)))
    if grouped:
        single = e["single_group_item_ids"]
        lines.append(("single_group", _named(lang, "single_group", single, grouped) if single
                      else _fine(lang, "single_group", grouped)))
    return lines or [("hidden", _of(lang, "openness_none"))]


_LINES = {"unrealistic_expectations": _expectations, "missing_monitoring": _monitoring,
          "unbalanced_funding": _funding, "quantity_over_quality": _quantity,
          "lack_of_openness": _openness}


def check_lines(lang: str, pitfall_id: str, evidence: dict[str, Any]) -> list[Line]:
    """The evidence of one pitfall as (check, sentence) pairs, in a fixed order."""
    return _LINES[pitfall_id](lang, evidence)


def needs_line(lang: str, missing: tuple[str, ...]) -> str:
    """'No verdict yet: for one I need at least 3 open actions …'."""
    needs = [t(lang, f"pitfalls_health_need_{need}", minimum=rules.MIN_SAMPLE)
             for need in missing]
    return t(lang, "pitfalls_health_needs", needs=joined(lang, needs))


def named_ids(evidence: dict[str, Any]) -> list[int]:
    """The plan item ids the evidence names, in order of appearance."""
    found: list[int] = []
    for key, value in evidence.items():
        if key.endswith("_item_ids"):
            found.extend(number for number in value if number not in found)
    return found
