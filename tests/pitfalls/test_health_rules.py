"""Health rules as pure functions on counts: each pitfall reaches ok, warn, alert and
unknown, never an ok without data to judge every check (issue #10), and the evidence lists
the ids of the items behind a finding."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.pitfalls import health_rules as rules
from core.pitfalls.funding_curve import year_shares
from storage.clock import utcnow
from storage.pitfalls.health import MemberCounts, PlanCounts, ProfileCounts, SelfCheckInfo
from tests.pitfalls.support import funding_amounts

NOW = utcnow()
UNKNOWN, OK, WARN, ALERT = rules.UNKNOWN, rules.OK, rules.WARN, rules.ALERT


FOUND = ("overdue", "rushed", "without_kpi", "stale", "single_group")


def plan(**counts: int) -> PlanCounts:
    """Plan counts; a finding given as a number gets that many ids (101, 102, ...)."""
    ids = {f"{name}_ids": tuple(range(101, 101 + counts.pop(name)))
           for name in FOUND if name in counts}
    return PlanCounts(**counts, **ids)


RECENT = SelfCheckInfo(NOW - timedelta(days=20), NOW - timedelta(days=400))
NO_SELFCHECK_NEW_BOT = SelfCheckInfo(None, NOW - timedelta(days=30))


@pytest.mark.parametrize(("counts", "status"), [
    (plan(), UNKNOWN),
    (plan(items=4, active=0), UNKNOWN),  # everything done: nothing open to judge
    (plan(items=2, active=2, overdue=2), UNKNOWN),  # two items are an anecdote
    (plan(items=5, active=5, overdue=0), OK),
    (plan(items=5, active=5, overdue=1), WARN),
    (plan(items=5, active=5, overdue=2), ALERT),
    (plan(items=3, active=3, broad=2, rushed=1), WARN),
    (plan(items=1, active=1, broad=1, rushed=1), WARN),  # one rushed action is a finding
    (plan(items=5, active=5, broad=3, rushed=0), OK),
    # one broad action planned well, but one open action cannot show a pattern of delays
    (plan(items=1, active=1, broad=1, rushed=0), UNKNOWN),
    (plan(items=2, active=2, overdue=0), UNKNOWN),
])
def test_unrealistic_expectations_rule(counts: PlanCounts, status: str) -> None:
    assert rules.expectations(counts).status == status


@pytest.mark.parametrize(("counts", "info", "status"), [
    (plan(), NO_SELFCHECK_NEW_BOT, UNKNOWN),
    (plan(items=4, active=4), RECENT, OK),
    (plan(items=1, active=1, without_kpi=1), NO_SELFCHECK_NEW_BOT, WARN),
    (plan(items=4, active=4, without_kpi=2), RECENT, ALERT),
    (plan(items=4, active=4, stale=1), RECENT, WARN),
    (plan(items=4, active=4, stale=2), RECENT, ALERT),
    (plan(items=4, active=4), SelfCheckInfo(NOW - timedelta(days=200), None), WARN),
    (plan(), SelfCheckInfo(None, NOW - timedelta(days=200)), WARN),
    # a recent self-check alone does not make the monitoring of an empty plan ok
    (plan(), RECENT, UNKNOWN),
    (plan(items=2, active=2), RECENT, UNKNOWN),  # KPIs fine, but two items show no pattern
    # no self-check yet is not due in the first six months: the plan decides
    (plan(items=4, active=4), NO_SELFCHECK_NEW_BOT, OK),
])
def test_missing_monitoring_rule(counts: PlanCounts, info: SelfCheckInfo, status: str) -> None:
    assert rules.monitoring(counts, info, NOW).status == status


@pytest.mark.parametrize(("years", "founded", "status"), [
    ([], 2021, UNKNOWN),
    ([(2024, 82)], None, UNKNOWN),  # no founding year: no curve to compare with
    ([(2024, 70)], 2021, OK),
    ([(2024, 75)], 2021, OK),  # within the tolerance of the curve (70 %)
    ([(2024, 82)], 2021, WARN),
    ([(2024, 90)], 2021, ALERT),
    ([(2024, 30)], 2021, OK),  # below the curve is good
    ([(2023, 95), (2024, 70)], 2021, OK),  # the latest year counts
])
def test_unbalanced_funding_rule(years: list[tuple[int, int]], founded: int | None,
                                 status: str) -> None:
    shares = [year_shares(year, funding_amounts(public), founded) for year, public in years]
    assert rules.funding(shares, founded).status == status


@pytest.mark.parametrize(("counts", "status"), [
    (MemberCounts(), UNKNOWN),
    (MemberCounts(members=2, passive=2), UNKNOWN),
    (MemberCounts(members=10, with_profile=8, with_activity=5, passive=2), OK),
    (MemberCounts(members=10, with_profile=7, with_activity=5, passive=3), WARN),
    (MemberCounts(members=4, with_profile=2, passive=2), ALERT),
])
def test_quantity_over_quality_rule(counts: MemberCounts, status: str) -> None:
    assert rules.quantity(counts).status == status


@pytest.mark.parametrize(("profiles", "counts", "status"), [
    (ProfileCounts(), plan(), UNKNOWN),
    # visible profiles, but no actions with participant groups to judge: no verdict yet
    (ProfileCounts(profiles=4, hidden=0), plan(), UNKNOWN),
    (ProfileCounts(profiles=4, hidden=0), plan(active=2, with_groups=2), UNKNOWN),
    (ProfileCounts(profiles=10, hidden=3), plan(), WARN),
    (ProfileCounts(profiles=4, hidden=2), plan(), ALERT),
    (ProfileCounts(), plan(active=5, with_groups=5, single_group=2), WARN),
    (ProfileCounts(), plan(active=5, with_groups=5, single_group=3), ALERT),
    (ProfileCounts(profiles=4), plan(active=5, with_groups=5, single_group=0), OK),
    (ProfileCounts(), plan(active=5, with_groups=5, single_group=0), UNKNOWN),
])
def test_lack_of_openness_rule(profiles: ProfileCounts, counts: PlanCounts,
                               status: str) -> None:
    assert rules.openness(profiles, counts).status == status


@pytest.mark.parametrize(("finding", "missing"), [
    (rules.expectations(plan(active=2)), ("active_items",)),
    (rules.monitoring(plan(), RECENT, NOW), ("active_items",)),
    (rules.quantity(MemberCounts(members=2, with_profile=2)), ("members",)),
    (rules.openness(ProfileCounts(profiles=1), plan()), ("profiles", "items_with_groups")),
    (rules.openness(ProfileCounts(profiles=4), plan(active=3)), ("items_with_groups",)),
])
def test_an_unknown_verdict_says_what_it_still_needs(finding: rules.Finding,
                                                     missing: tuple[str, ...]) -> None:
    assert finding.status == UNKNOWN
    assert finding.missing == missing


def test_a_warning_needs_no_more_data_and_lists_nothing_missing() -> None:
    finding = rules.openness(ProfileCounts(profiles=1), plan(active=5, with_groups=5,
                                                             single_group=3))
    assert finding.status == ALERT and finding.checks["hidden"] == UNKNOWN


def test_evidence_lists_the_ids_behind_each_finding() -> None:
    counts = PlanCounts(items=6, active=6, broad=2, with_groups=6, overdue_ids=(9, 3),
                        rushed_ids=(4,), without_kpi_ids=(5, 7), stale_ids=(8,),
                        single_group_ids=(1, 2))
    assert rules.expectations(counts).evidence["overdue_item_ids"] == [9, 3]
    assert rules.expectations(counts).evidence["due_too_soon_item_ids"] == [4]
    monitoring = rules.monitoring(counts, RECENT, NOW).evidence
    assert monitoring["no_kpi_item_ids"] == [5, 7] and monitoring["no_update_item_ids"] == [8]
    assert rules.openness(ProfileCounts(), counts).evidence["single_group_item_ids"] == [1, 2]


def test_a_year_recorded_as_zero_counts_as_recorded_but_is_not_judged() -> None:
    zero = dict.fromkeys(funding_amounts(0), 0)
    only_zero = rules.funding([year_shares(2025, zero, 2021)], 2021)
    assert only_zero.status == UNKNOWN
    assert only_zero.evidence["recorded_years"] == [2025]
    assert only_zero.evidence["years_without_income"] == [2025]
    assert only_zero.evidence["year"] is None
    # a later year without income leaves the judgement to the latest year with income
    later_zero = rules.funding([year_shares(2024, funding_amounts(90), 2021),
                                year_shares(2025, zero, 2021)], 2021)
    assert later_zero.status == ALERT and later_zero.evidence["year"] == 2024
    assert later_zero.evidence["years_without_income"] == [2025]
