"""/stats for managers: members, profiles, matchmaking, and the monitoring figures managers
record (`/stats add events|participants|talks|projects N`), next to the talk's figures."""

from __future__ import annotations

import html

from core.actor import Actor
from core.i18n import count_of, t
from core.locale import format_date, format_number
from core.members.common import aware
from core.members.roles import people_counts
from core.reply import Choice, Reply
from core.services import Services
from knowledge.text import fold
from storage import clock
from storage.engine import session_scope
from storage.events.kpis import counted_kpis
from storage.members.matchmaking import count_searches
from storage.members.monitoring import add_monitoring, monitoring_totals, recent_monitoring
from storage.members.profiles import profile_stats
from storage.members.requests import contact_stats
from storage.members.tables import MONITORING_KINDS

# the talk's matchmaking example: 5 events, 190 participants, 62 company talks, 15 projects
TALK_FIGURES = {"events": 5, "participants": 190, "talks": 62, "projects": 15}
KIND_ALIASES = {
    "events": "events", "event": "events", "veranstaltungen": "events",
    "veranstaltung": "events",
    "participants": "participants", "teilnehmende": "participants",
    "teilnehmer": "participants", "teilnehmerinnen": "participants",
    "talks": "talks", "gespraeche": "talks", "firmengespraeche": "talks", "b2b": "talks",
    "projects": "projects", "projekte": "projects", "kooperationsprojekte": "projects",
}
MAX_VALUE = 100_000
RECENT_SHOWN = 5


def stats_command(services: Services, actor: Actor, args: str) -> Reply:
    """Show the figures, or record one with `add KIND N`."""
    words = args.split()
    if not words:
        return _overview(services, actor)
    if words[0].lower() in ("add", "plus", "neu") and len(words) == 3:
        return _add(services, actor, words[1], words[2])
    return Reply(t(actor.language, "members_stats_usage"))


def _add(services: Services, actor: Actor, kind_text: str, value_text: str) -> Reply:
    lang = actor.language
    kind = KIND_ALIASES.get(fold(kind_text))
    try:
        value = int(value_text.replace(".", "").replace(",", ""))
    except ValueError:
        value = 0
    if kind is None or value == 0 or abs(value) > MAX_VALUE:
        return Reply(t(lang, "members_stats_usage"))
    with session_scope(services.engine) as session:
        before = monitoring_totals(session=session).get(kind, 0)
        if before + value < 0:
            return Reply(t(lang, "members_stats_negative", total=format_number(before, lang),
                           kind=t(lang, f"members_stats_kind_{kind}")))
        add_monitoring(session=session, kind=kind, value=value, recorded_by=actor.user_id)
        total = before + value
    return Reply(t(lang, "members_stats_added", value=_signed(value, lang),
                   kind=t(lang, f"members_stats_kind_{kind}"),
                   total=format_number(total, lang)))


def _signed(value: int, lang: str) -> str:
    """+40 / -2, digits grouped for the language."""
    return ("+" if value > 0 else "") + format_number(value, lang)


def _overview(services: Services, actor: Actor) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        people = people_counts(services, session, lang)
        profiles = profile_stats(session=session)
        contacts = contact_stats(session=session)
        searches = count_searches(session=session)
        totals = monitoring_totals(session=session)
        recent = recent_monitoring(session=session, limit=RECENT_SHOWN)
        counted = counted_kpis(session=session, now=clock.utcnow()).total  # issue #14: counted
    number = {key: format_number(value, lang) for key, value in profiles.items()}
    lines = [
        t(lang, "members_stats_title"),
        t(lang, "members_stats_members",
          people=people),
        t(lang, "members_stats_profiles",
          total=count_of(lang, "members_count_profiles", profiles["profiles"]),
          complete=number["complete"], visible=number["visible"],
          imported=number["imported"], unclaimed=number["unclaimed"], demo=number["demo"]),
        t(lang, "members_stats_matchmaking",
          searches=count_of(lang, "members_count_searches", searches),
          requests=count_of(lang, "members_count_requests", contacts["total"]),
          accepted=count_of(lang, "members_count_introductions", contacts.get("accepted", 0)),
          declined=format_number(contacts.get("declined", 0), lang),
          open=format_number(contacts.get("open", 0), lang),
          forwarded=format_number(contacts.get("forwarded", 0), lang)),
        "",
        t(lang, "members_stats_monitoring_counted_title"),
    ]
    for kind in MONITORING_KINDS:  # counted from the events' records, manual corrections ✎
        value, manual = counted.get(kind), totals.get(kind, 0)
        lines.append(t(lang, "members_stats_monitoring_counted_row",
                       kind=t(lang, f"members_stats_kind_{kind}"),
                       counted=format_number(value, lang),
                       correction=t(lang, "members_stats_monitoring_correction",
                                    value=_signed(manual, lang)) if manual else "",
                       total=format_number(value + manual, lang),
                       talk=format_number(TALK_FIGURES[kind], lang)))
    funnel = (counted.requests, counted.accepted, counted.met, counted.projects)
    lines.append(t(lang, "members_stats_monitoring_funnel",
                   funnel=" → ".join(format_number(n, lang) for n in funnel)))
    if recent:
        lines.append("")
        lines.append(t(lang, "members_stats_recent"))
        tz = services.settings.tz
        for entry, name in recent:
            lines.append(t(lang, "members_stats_recent_row",
                           date=format_date(aware(entry.recorded_at).astimezone(tz).date(), lang),
                           value=_signed(entry.value, lang),
                           kind=t(lang, f"members_stats_kind_{entry.kind}"),
                           name=html.escape(name or "–")))
    lines.append("")
    lines.append(t(lang, "members_stats_hint"))
    # the events feature's own button: its funnel chart per year and event
    chart = Choice(t(lang, "members_stats_monitoring_chart_button"), "events:kpis")
    return Reply("\n".join(lines), ((chart,),))
