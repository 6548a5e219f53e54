"""/event_kpis and the digest: the talk's figures counted from the records, the funnel per
year and per event as a chart beside the talk's example, a CSV per year for funders, and
new cooperation projects for the managers' weekly digest."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from core.actor import Actor
from core.events.charts import funnel_chart
from core.events.common import now
from core.events.exports import kpis_csv
from core.i18n import t
from core.locale import format_date, format_number
from core.reply import Attachment, Reply
from core.services import Services
from storage.engine import session_scope
from storage.events.events import aware
from storage.events.followup import new_projects
from storage.events.kpis import FUNNEL, KPI_KINDS, Counts, counted_kpis

# the talk's matchmaking example (the same figures /stats shows)
TALK_FIGURES = {"events": 5, "participants": 190, "talks": 62, "projects": 15}
EVENTS_IN_CHART = 6
EVENTS_LISTED = 12  # the message stays far below Telegram's 4,096 characters


def _funnel(lang: str, counts: Counts) -> str:
    return t(lang, "events_kpi_funnel", requests=format_number(counts.requests, lang),
             accepted=format_number(counts.accepted, lang),
             met=format_number(counts.met, lang), projects=format_number(counts.projects, lang))


def kpis_reply(services: Services, lang: str) -> Reply:
    """The counted figures with the talk's example, per year and per event, chart and CSV."""
    with session_scope(services.engine) as session:
        kpis = counted_kpis(session=session, now=now())
    total = kpis.total
    lines = [t(lang, "events_kpi_title")]
    for kind in KPI_KINDS:
        lines.append(t(lang, "events_kpi_row", kind=t(lang, f"events_kpi_kind_{kind}"),
                       counted=format_number(total.get(kind),
                                             lang),
                       talk=format_number(TALK_FIGURES[kind], lang)))
    lines += ["", t(lang, "events_kpi_funnel_title"), _funnel(lang, total)]
    if kpis.years:
        lines += ["", t(lang, "events_kpi_years")]
        lines += [f"{year}: {_funnel(lang, counts)}" for year, counts in sorted(kpis.years.items())]
    if kpis.events:
        lines += ["", t(lang, "events_kpi_events", count=EVENTS_LISTED)]
        latest = sorted(kpis.events.items(), key=lambda e: e[1][1])[-EVENTS_LISTED:]
        for event_id, (title, starts_at, counts) in latest:
            lines.append(t(lang, "events_kpi_event_row", id=event_id, title=html.escape(title),
                           date=format_date(aware(starts_at).date(), lang),
                           participants=format_number(counts.participants, lang),
                           funnel=_funnel(lang, counts)))
    lines += ["", t(lang, "events_kpi_how")]
    steps = [t(lang, f"events_kpi_step_{step}") for step in FUNNEL]
    groups = [(str(year), [c.requests, c.accepted, c.met, c.projects])
              for year, c in sorted(kpis.years.items())]
    recent = sorted(kpis.events.items(), key=lambda e: e[1][1])[-EVENTS_IN_CHART:]
    groups += [(f"#{event_id} {title}", [c.requests, c.accepted, c.met, c.projects])
               for event_id, (title, _, c) in recent]
    compare = [(t(lang, f"events_kpi_kind_{kind}"),
                total.get(kind), TALK_FIGURES[kind])
               for kind in KPI_KINDS]
    chart = funnel_chart(t(lang, "events_kpi_chart_title"), steps,
                         groups or [("–", [0, 0, 0, 0])], t(lang, "events_kpi_compare_title"),
                         compare, (t(lang, "events_kpi_counted"), t(lang, "events_kpi_talk")))
    return Reply("\n".join(lines), attachments=(
        Attachment("funnel.png", chart, kind="photo"),
        Attachment(t(lang, "events_kpi_csv_name"), kpis_csv(kpis, lang))))


def kpis_command(services: Services, actor: Actor, args: str) -> Reply:
    """/event_kpis: the counted figures, funnel chart and CSV."""
    return kpis_reply(services, actor.language)


def press_kpis(services: Services, actor: Actor) -> Reply:
    return kpis_reply(services, actor.language)


def digest_lines(services: Services, lang: str, at: datetime | None) -> list[str]:
    """New cooperation projects of the last week, for the managers' digest."""
    moment = at or now()
    with session_scope(services.engine) as session:
        projects = new_projects(session=session, since=moment - timedelta(days=7))
    if not projects:
        return []
    names = [html.escape(p.project_name) if p.project_name else t(lang, "events_unnamed")
             for p in projects]
    marked = [name + ("" if p.mention else " " + t(lang, "events_not_public"))
              for name, p in zip(names, projects, strict=True)]
    return [t(lang, "events_digest_projects", count=len(projects), names="; ".join(marked))]
