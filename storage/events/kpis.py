"""The talk's monitoring figures counted from the records, for /stats, the health rule and
the reports (issue #14): events, participants, company talks, cooperation projects, and the
funnel requests -> accepted -> met -> project, per year and per event.

- events: events not cancelled (the year of their start);
- participants: registrations of those events;
- company talks: accepted meetings of events that have started, unless everyone who
  answered the follow-up said they did not meet, plus introductions (accepted contact
  requests) for which someone answered "we met";
- projects: introductions or meetings for which someone answered "a project started",
  each counted once (the year of the first such answer).
Other features read these functions; they are plain queries with no feature logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.events.events import aware
from storage.events.tables import Event, EventMeeting, EventRegistration, FollowUp, MeetingStatus
from storage.members.tables import ContactRequest

KPI_KINDS = ("events", "participants", "talks", "projects")
FUNNEL = ("requests", "accepted", "met", "projects")


@dataclass
class Counts:
    """The figures of one year or one event."""

    events: int = 0
    participants: int = 0
    requests: int = 0
    accepted: int = 0
    met: int = 0
    projects: int = 0

    @property
    def talks(self) -> int:
        return self.met

    def get(self, kind: str) -> int:
        return int(getattr(self, kind))


@dataclass
class Kpis:
    """All years and all events; `total` is their sum over the years."""

    years: dict[int, Counts] = field(default_factory=dict)
    events: dict[int, tuple[str, datetime, Counts]] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.years.values():
            for name in ("events", "participants", "requests", "accepted", "met", "projects"):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        return total


def _answers(session: Session) -> dict[tuple[str, int], tuple[set[bool], datetime | None]]:
    """Per occasion: the 'met' answers given, and the first 'project started' answer."""
    found: dict[tuple[str, int], tuple[set[bool], datetime | None]] = {}
    for answer in session.exec(select(FollowUp).where(
            col(FollowUp.answered_at).is_not(None))).all():
        source, source_id, met = answer.source, answer.source_id, answer.met
        project, answered = answer.project, answer.answered_at
        mets, first = found.get((source, int(source_id)), (set(), None))
        if met is not None:
            mets.add(bool(met))
        if project and answered is not None and (first is None or answered < first):
            first = answered
        found[(source, int(source_id))] = (mets, first)
    return found


def _held(mets: set[bool]) -> bool:
    return True in mets or not mets


def counted_kpis(*, session: Session, now: datetime) -> Kpis:
    """Every figure, per year and per event, from the records as of `now`."""
    kpis = Kpis()
    answers = _answers(session)

    def year(y: int) -> Counts:
        return kpis.years.setdefault(y, Counts())

    events = {e.id or 0: e for e in session.exec(select(Event).where(
        col(Event.cancelled_at).is_(None))).all()}
    for event_id, event in events.items():
        kpis.events[event_id] = (event.title, event.starts_at, Counts(events=1))
        year(event.starts_at.year).events += 1
    for event_id, count in session.exec(select(EventRegistration.event_id, func.count())
                                        .group_by(col(EventRegistration.event_id))).all():
        if int(event_id) in events:
            kpis.events[int(event_id)][2].participants += int(count)
            year(events[int(event_id)].starts_at.year).participants += int(count)
    for meeting in session.exec(select(EventMeeting)).all():
        held_at = events.get(meeting.event_id)
        if held_at is None:
            continue
        per_event, per_year = kpis.events[meeting.event_id][2], year(held_at.starts_at.year)
        accepted = meeting.status == MeetingStatus.ACCEPTED.value
        mets, project_at = answers.get(("meeting", meeting.id or 0), (set(), None))
        started = aware(held_at.starts_at) <= now
        for counts in (per_event, per_year):
            counts.requests += 1
            counts.accepted += int(accepted)
            counts.met += int(accepted and started and _held(mets))
        if project_at is not None:
            per_event.projects += 1
            year(project_at.year).projects += 1
    for request in session.exec(select(ContactRequest)).all():
        counts = year((request.decided_at or request.created_at).year)
        counts.requests += 1
        counts.accepted += int(request.status == "accepted")
        mets, project_at = answers.get(("intro", request.id or 0), (set(), None))
        counts.met += int(request.status == "accepted" and True in mets)
        if project_at is not None:
            year(project_at.year).projects += 1
    return kpis


@dataclass(frozen=True)
class Conversion:
    """Introductions and meetings old enough to be judged (3 months), and what came of them."""

    introductions: int
    met: int
    projects: int


def conversion(*, session: Session, before: datetime) -> Conversion:
    """Accepted introductions and meetings up to `before` (three months ago): how many led to
    a meeting (someone answered "we met") and to a project."""
    answers = _answers(session)
    occasions: list[tuple[str, int]] = [("intro", int(i or 0)) for i in session.exec(select(
        ContactRequest.id).where(ContactRequest.status == "accepted",
                                 col(ContactRequest.decided_at) <= before)).all()]
    occasions += [("meeting", int(i or 0)) for i in session.exec(select(EventMeeting.id).join(
        Event, col(Event.id) == col(EventMeeting.event_id)).where(
        EventMeeting.status == MeetingStatus.ACCEPTED.value, col(Event.cancelled_at).is_(None),
        col(Event.starts_at) <= before)).all()]
    met = projects = 0
    for occasion in occasions:
        mets, project_at = answers.get(occasion, (set(), None))
        met += int(True in mets)
        projects += int(project_at is not None)
    return Conversion(len(occasions), met, projects)


def per_year_rows(kpis: Kpis) -> list[tuple[int, Counts]]:
    return sorted(kpis.years.items())




__all__ = ["FUNNEL", "KPI_KINDS", "Conversion", "Counts", "Kpis", "conversion",
           "counted_kpis", "per_year_rows"]
