"""The health rules: small pure functions from counts to a status and its evidence.

Statuses: ok, warn, alert, or unknown when the data do not allow a verdict (never a made-up
ok). Each pitfall is judged by one or more checks. A warning needs only the check that found
it; an all-clear needs every check: a pitfall is ok only when no check lacks data. A check
that cannot apply yet (no action with several groups that could be rushed, a self-check not
due before six months) does not hold the verdict back. Shares are judged only from MIN_SAMPLE
cases on: fewer are anecdotes. `Finding.missing` says what a verdict still needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.pitfalls.funding_curve import CURVE_TOLERANCE_POINTS, YearShares, compare
from storage.events.kpis import Conversion
from storage.pitfalls.health import MemberCounts, PlanCounts, ProfileCounts, SelfCheckInfo

UNKNOWN, OK, WARN, ALERT = "unknown", "ok", "warn", "alert"
SEVERITY = (UNKNOWN, OK, WARN, ALERT)
NOT_DUE = "not_due"  # a check's status only: it cannot apply yet (not a pitfall status)

MIN_SAMPLE = 3  # a share of one or two items or members is an anecdote, not a pattern
# unrealistic expectations
OVERDUE_WARN, OVERDUE_ALERT = 20, 40  # % of open actions overdue: a pattern / the plan is unreal
DAYS_PER_EXTRA_GROUP = 90  # each participant group beyond the first needs ~3 months more
MAX_REQUIRED_DAYS = 365  # the talk's broad actions run 36 months; a year is a modest minimum
# missing monitoring
NO_KPI_ALERT = 50  # % without KPI; the talk wants a KPI for EVERY action, so one is a warn
STALE_AFTER_DAYS = 56  # eight weeks without a status update (issue #5)
STALE_WARN, STALE_ALERT = 25, 50  # % of open actions without a status update
SELFCHECK_MAX_AGE_DAYS = 183  # six months without a self-check in the cluster
# unbalanced funding: percentage points above the talk's curve (within the tolerance = ok)
FUNDING_ALERT_POINTS = 15  # three 5-%-steps of the talk's curve: years behind the plan
# quantity over quality
PASSIVE_WARN, PASSIVE_ALERT = 30, 50  # % of members with neither a profile nor activity
# introductions and meetings (3 months old) that led to a meeting / a project (issue #14)
MET_WARN, MET_ALERT = 40, 20  # % that met: below warns, far below alerts
PROJECT_WARN = 10  # % that became a project, from CONVERSION_SAMPLE occasions on
CONVERSION_SAMPLE = 10
# lack of openness
HIDDEN_WARN, HIDDEN_ALERT = 30, 50  # % of members' profiles hidden from matchmaking
SINGLE_GROUP_WARN, SINGLE_GROUP_ALERT = 30, 60  # % of actions with one participant group

# what a check lacking data needs (text keys pitfalls_health_need_<need>)
NEEDS = {"overdue": "active_items", "kpi": "active_items", "stale": "active_items",
         "passive": "members", "hidden": "profiles", "single_group": "items_with_groups"}


@dataclass(frozen=True)
class Finding:
    status: str
    evidence: dict[str, Any]
    checks: dict[str, str] = field(default_factory=dict)  # each check's own status
    missing: tuple[str, ...] = ()  # what a verdict still needs: keys of NEEDS' values


def worst(*statuses: str) -> str:
    """The most severe status; unknown parts are ignored unless all are unknown."""
    return max(statuses, key=SEVERITY.index, default=UNKNOWN)


def judged(checks: dict[str, str], evidence: dict[str, Any]) -> Finding:
    """A warning from any check; ok only when no check lacks data; else unknown."""
    statuses = [status for status in checks.values() if status != NOT_DUE]
    alarms = [status for status in statuses if status in (WARN, ALERT)]
    if alarms:
        status = worst(*alarms)
    elif statuses and all(status == OK for status in statuses):
        status = OK
    else:
        status = UNKNOWN
    missing = tuple(dict.fromkeys(NEEDS[name] for name, check in checks.items()
                                  if check == UNKNOWN and name in NEEDS))
    return Finding(status, evidence, checks, missing)


def share(part: int, whole: int) -> int | None:
    """part/whole in whole percent (None without a whole)."""
    return round(100 * part / whole) if whole else None


def by_share(part: int, whole: int, warn_from: int, alert_from: int) -> str:
    """Status of a share against thresholds in percent; unknown below MIN_SAMPLE."""
    if whole < MIN_SAMPLE:
        return UNKNOWN
    percent = 100 * part / whole
    if percent >= alert_from:
        return ALERT
    return WARN if percent >= warn_from else OK


def expectations(plan: PlanCounts) -> Finding:
    """Overdue actions, and broad actions due sooner than their scope allows."""
    checks = {
        "overdue": by_share(plan.overdue, plan.active, OVERDUE_WARN, OVERDUE_ALERT),
        # each rushed action is a finding in itself; without broad actions none can be rushed
        "rushed": NOT_DUE if plan.broad == 0 else WARN if plan.rushed else OK}
    return judged(checks, {
        "active_items": plan.active, "overdue_items": plan.overdue,
        "overdue_percent": share(plan.overdue, plan.active),
        "overdue_item_ids": list(plan.overdue_ids),
        "multi_group_items": plan.broad, "items_due_too_soon": plan.rushed,
        "due_too_soon_item_ids": list(plan.rushed_ids)})


def _selfcheck_status(info: SelfCheckInfo, now: datetime) -> tuple[str, int | None]:
    if info.last_taken is not None:
        days = (now - info.last_taken).days
        return (WARN if days > SELFCHECK_MAX_AGE_DAYS else OK), days
    if info.in_use_since is not None and (now - info.in_use_since).days > SELFCHECK_MAX_AGE_DAYS:
        return WARN, None  # the bot has been in use for six months, no self-check at all
    return NOT_DUE, None  # none yet, and none is due before six months of use


def monitoring(plan: PlanCounts, info: SelfCheckInfo, now: datetime) -> Finding:
    """Actions without KPI or without a status update for eight weeks; no recent self-check."""
    if plan.active == 0:
        kpi = UNKNOWN
    elif plan.without_kpi == 0:
        kpi = OK
    elif plan.active >= MIN_SAMPLE and 100 * plan.without_kpi / plan.active >= NO_KPI_ALERT:
        kpi = ALERT
    else:
        kpi = WARN  # every action needs a KPI: one without is a finding in itself
    selfcheck, days = _selfcheck_status(info, now)
    checks = {"kpi": kpi, "stale": by_share(plan.stale, plan.active, STALE_WARN, STALE_ALERT),
              "selfcheck": selfcheck}
    return judged(checks, {
        "active_items": plan.active, "items_without_kpi": plan.without_kpi,
        "no_kpi_item_ids": list(plan.without_kpi_ids),
        "items_without_update": plan.stale, "update_limit_days": STALE_AFTER_DAYS,
        "no_update_item_ids": list(plan.stale_ids),
        "last_selfcheck": info.last_taken.date().isoformat() if info.last_taken else None,
        "days_since_selfcheck": days})


def funding(shares: list[YearShares], founded: int | None) -> Finding:
    """The public share of the latest year with income against the curve for the cluster's
    age; years recorded as 0 € count as recorded but have no share to judge."""
    latest = next((s for s in reversed(shares) if s.public is not None), None)
    evidence: dict[str, Any] = {
        "founded": founded, "recorded_years": [s.year for s in shares],
        "years_without_income": [s.year for s in shares if s.public is None],
        "year": latest.year if latest else None,
        "cluster_year": latest.age if latest else None,
        "public_percent": round(latest.public) if latest and latest.public is not None else None,
        "recommended_public_percent": latest.target if latest else None,
        "points_above_curve": None, "against_curve": None}
    if latest is None or latest.public is None or latest.target is None:
        # the evidence line says what is missing (a year with income, the founding year)
        return Finding(UNKNOWN, evidence, {"funding": UNKNOWN})
    above = latest.public - latest.target
    evidence["points_above_curve"] = round(above)
    evidence["against_curve"] = compare(latest.public, latest.target)  # above, on, below
    status = (ALERT if above > FUNDING_ALERT_POINTS else
              WARN if above > CURVE_TOLERANCE_POINTS else OK)
    return Finding(status, evidence, {"funding": status})


def _conversion(conversion: Conversion | None) -> str:
    """Many introductions, few meetings or projects: warn (not due before MIN_SAMPLE)."""
    if conversion is None or conversion.introductions < MIN_SAMPLE:
        return NOT_DUE
    met = 100 * conversion.met / conversion.introductions
    if met < MET_ALERT:
        return ALERT
    few_projects = (conversion.introductions >= CONVERSION_SAMPLE
                    and 100 * conversion.projects / conversion.introductions < PROJECT_WARN)
    return WARN if met < MET_WARN or few_projects else OK


def quantity(members: MemberCounts, conversion: Conversion | None = None) -> Finding:
    """Members with neither a profile nor any activity, against all members; and how many
    introductions and meetings (three months old) led to a meeting or a project."""
    checks = {"passive": by_share(members.passive, members.members, PASSIVE_WARN,
                                  PASSIVE_ALERT),
              "conversion": _conversion(conversion)}
    return judged(checks, {
        "members": members.members, "with_profile": members.with_profile,
        "with_activity": members.with_activity, "passive": members.passive,
        "passive_percent": share(members.passive, members.members),
        "introductions": conversion.introductions if conversion else 0,
        "introductions_met": conversion.met if conversion else 0,
        "introductions_projects": conversion.projects if conversion else 0})


def openness(profiles: ProfileCounts, plan: PlanCounts) -> Finding:
    """Profiles hidden from matchmaking; actions whose participants come from one group."""
    checks = {
        "hidden": by_share(profiles.hidden, profiles.profiles, HIDDEN_WARN, HIDDEN_ALERT),
        "single_group": by_share(plan.single_group, plan.with_groups, SINGLE_GROUP_WARN,
                                 SINGLE_GROUP_ALERT)}
    return judged(checks, {
        "profiles": profiles.profiles, "hidden_profiles": profiles.hidden,
        "hidden_percent": share(profiles.hidden, profiles.profiles),
        "items_with_groups": plan.with_groups, "single_group_items": plan.single_group,
        "single_group_percent": share(plan.single_group, plan.with_groups),
        "single_group_item_ids": list(plan.single_group_ids)})
