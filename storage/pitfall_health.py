"""Counts for the health rules (issue #5), read from the action plan, members and profiles.

No tables of its own: it reads `plan_item`/`plan_history` (issue #3), `member`, `profile`,
`contact_request`, `monitoring_entry` (issue #4) and the self-check results. Each function
returns plain counts; `core.pitfalls.health_rules` turns them into statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.community import ContactRequest, MonitoringEntry, Profile
from storage.models import Member
from storage.pitfall_data import MEMBER_ROLES, SelfCheckResult, last_member_selfcheck
from storage.plan import ACTIVE_STATUSES, PlanHistory, PlanItem


@dataclass(frozen=True)
class PlanCounts:
    """The action plan as the rules see it; 'active' = open or in progress."""

    items: int = 0  # every item, whatever its status
    active: int = 0
    overdue: int = 0  # active, deadline before today
    broad: int = 0  # active and not overdue, participants from two or more groups
    rushed: int = 0  # broad, but less time from creation to deadline than its scope needs
    without_kpi: int = 0  # active, no KPI
    stale: int = 0  # active, no status change for longer than the stale limit
    with_groups: int = 0  # active, at least one participant group known
    single_group: int = 0  # active, participants from exactly one group


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
    overdue = broad = rushed = without_kpi = stale = with_groups = single = 0
    for item in active:
        groups = len(set(item.participant_groups or []))
        overdue += item.deadline < today
        without_kpi += not (item.kpi or "").strip()
        changed = max(filter(None, (last_change.get(item.id or 0), item.created_at)),
                      key=_aware)
        stale += _aware(changed) < _aware(stale_before)
        with_groups += groups >= 1
        single += groups == 1
        if groups >= 2 and item.deadline >= today:  # overdue ones are counted as overdue
            broad += 1
            horizon = (item.deadline - _aware(item.created_at).date()).days
            rushed += horizon < required_horizon_days(groups, per_extra_group_days,
                                                      max_required_days)
    return PlanCounts(items, len(active), overdue, broad, rushed, without_kpi, stale,
                      with_groups, single)


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
