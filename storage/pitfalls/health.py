"""Counts for the health rules (issue #5), read from the action plan, members and profiles.

Besides the self-check results it reads other features' tables, read only: `plan_item` and
`plan_history` (the action plan), `profile`, `contact_request` and `monitoring_entry` (the
members) and the kernel's `member`. Storage may read any table; the core of this feature
sees only the counts. Each function returns plain counts (and, for the plan, the ids of
the items behind a finding, so a warning can name them); `core.pitfalls.health_rules` turns
them into statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.accounts.tables import Member
from storage.action_plan.tables import ACTIVE_STATUSES, PlanHistory, PlanItem
from storage.members.tables import ContactRequest, MonitoringEntry, Profile
from storage.pitfalls.selfcheck import MEMBER_ROLES, last_member_selfcheck
from storage.pitfalls.tables import SelfCheckResult


@dataclass(frozen=True)
class PlanCounts:
    """The action plan as the rules see it; 'active' = open or in progress.

    The findings are item ids in ascending order (as /plan lists them); their counts are the
    lengths.
    """

    items: int = 0  # every item, whatever its status
    active: int = 0
    broad: int = 0  # active and not overdue, participants from two or more groups
    with_groups: int = 0  # active, at least one participant group known
    overdue_ids: tuple[int, ...] = ()  # active, deadline before today
    rushed_ids: tuple[int, ...] = ()  # broad, less time from creation to deadline than needed
    without_kpi_ids: tuple[int, ...] = ()  # active, no KPI
    stale_ids: tuple[int, ...] = ()  # active, no status change for longer than the limit
    single_group_ids: tuple[int, ...] = ()  # active, participants from exactly one group

    @property
    def overdue(self) -> int:
        return len(self.overdue_ids)

    @property
    def rushed(self) -> int:
        return len(self.rushed_ids)

    @property
    def without_kpi(self) -> int:
        return len(self.without_kpi_ids)

    @property
    def stale(self) -> int:
        return len(self.stale_ids)

    @property
    def single_group(self) -> int:
        return len(self.single_group_ids)


@dataclass(frozen=True)
class MemberCounts:
    members: int = 0  # role member or manager (stored, or a manager by setting)
    with_profile: int = 0
    with_activity: int = 0
    passive: int = 0  # neither a profile nor any activity


@dataclass(frozen=True)
class ProfileCounts:
    profiles: int = 0  # profiles owned by a member (imported, unclaimed ones do not count)
    hidden: int = 0  # not shown in matchmaking


@dataclass(frozen=True)
class SelfCheckInfo:
    last_taken: datetime | None  # newest self-check taken as a member or manager
    in_use_since: datetime | None  # the first contact anyone had with the bot


def required_horizon_days(groups: int, per_extra_group: int, cap: int) -> int:
    """Days an action needs at least: each group beyond the first adds coordination time."""
    return min(cap, per_extra_group * max(0, groups - 1))


def plan_counts(*, session: Session, today: date, stale_before: datetime,
                per_extra_group_days: int, max_required_days: int) -> PlanCounts:
    """Count the plan's active items by the rules' criteria."""
    items = session.exec(select(func.count()).select_from(PlanItem)).one()
    active = list(session.exec(select(PlanItem)
                               .where(col(PlanItem.status).in_(ACTIVE_STATUSES))).all())
    ids = [item.id for item in active if item.id is not None]
    last_change: dict[int, datetime] = {}
    for start in range(0, len(ids), 500):  # SQLite limits bound parameters
        chunk = ids[start:start + 500]
        last_change.update(session.exec(
            select(PlanHistory.item_id, func.max(PlanHistory.at))
            .where(col(PlanHistory.item_id).in_(chunk))
            .group_by(col(PlanHistory.item_id))).all())
    broad = with_groups = 0
    overdue: list[int] = []
    stale: list[int] = []
    rushed: list[int] = []
    without_kpi: list[int] = []
    single: list[int] = []
    for item in sorted(active, key=lambda row: row.id or 0):
        number = item.id or 0
        groups = len(set(item.participant_groups or []))
        if item.deadline < today:
            overdue.append(number)
        if not (item.kpi or "").strip():
            without_kpi.append(number)
        changed = _aware(max(filter(None, (last_change.get(number), item.created_at)),
                             key=_aware))
        if changed < _aware(stale_before):
            stale.append(number)
        with_groups += groups >= 1
        if groups == 1:
            single.append(number)
        if groups >= 2 and item.deadline >= today:  # overdue ones are counted as overdue
            broad += 1
            horizon = (item.deadline - _aware(item.created_at).date()).days
            if horizon < required_horizon_days(groups, per_extra_group_days,
                                               max_required_days):
                rushed.append(number)
    return PlanCounts(items, len(active), broad, with_groups, overdue_ids=tuple(overdue),
                      rushed_ids=tuple(rushed), without_kpi_ids=tuple(without_kpi),
                      stale_ids=tuple(stale), single_group_ids=tuple(single))


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for stored UTC values; make them comparable."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _member_ids(session: Session, manager_ids: frozenset[int]) -> tuple[set[int], set[int]]:
    """Telegram ids and member ids of everyone who counts as a member."""
    rows = session.exec(select(Member.telegram_id, Member.id, Member.role)).all()
    chosen = [(tid, mid) for tid, mid, role in rows if role in MEMBER_ROLES or tid in manager_ids]
    return {tid for tid, _ in chosen}, {mid for _, mid in chosen if mid is not None}


def member_counts(*, session: Session, manager_ids: frozenset[int]) -> MemberCounts:
    """Members with a profile, with any activity, and with neither."""
    telegram_ids, member_ids = _member_ids(session, manager_ids)
    if not telegram_ids:
        return MemberCounts()
    profiles = set(session.exec(select(Profile.member_telegram_id)
                                .where(col(Profile.member_telegram_id).is_not(None))).all())
    active: set[int] = set()
    for query in (select(PlanItem.created_by), select(PlanHistory.by_id),
                  select(ContactRequest.requester_id), select(ContactRequest.target_telegram_id),
                  select(MonitoringEntry.recorded_by), select(SelfCheckResult.telegram_id)):
        active.update(v for v in session.exec(query.distinct()).all() if v is not None)
    responsible = set(session.exec(select(PlanItem.responsible_id).distinct()).all())
    by_member_id = dict(session.exec(select(Member.id, Member.telegram_id)).all())
    active.update(by_member_id[m] for m in responsible if m in by_member_id and m in member_ids)
    with_profile = telegram_ids & {p for p in profiles if p is not None}
    with_activity = telegram_ids & active
    passive = telegram_ids - with_profile - with_activity
    return MemberCounts(len(telegram_ids), len(with_profile), len(with_activity), len(passive))


def profile_counts(*, session: Session, manager_ids: frozenset[int]) -> ProfileCounts:
    """Members' own profiles, and how many of them are hidden from matchmaking."""
    telegram_ids, _ = _member_ids(session, manager_ids)
    rows = session.exec(select(Profile.member_telegram_id, Profile.visible)
                        .where(col(Profile.member_telegram_id).is_not(None))).all()
    owned = [visible for owner, visible in rows if owner in telegram_ids]
    return ProfileCounts(len(owned), sum(1 for visible in owned if not visible))


def selfcheck_info(*, session: Session) -> SelfCheckInfo:
    first = session.exec(select(func.min(Member.created_at))).one()
    last = last_member_selfcheck(session=session)
    return SelfCheckInfo(_aware(last) if last else None, _aware(first) if first else None)


def stale_limit(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
