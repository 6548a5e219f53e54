"""/stats for managers: members, profiles, matchmaking, and the monitoring figures managers
record (`/stats add events|participants|talks|projects N`), next to the talk's figures."""

from __future__ import annotations

import html

from core.actor import Actor
from core.i18n import t
from core.members.contact import aware
from core.reply import Reply
from core.services import Services
from knowledge.text import fold
from storage.community import MONITORING_KINDS
from storage.community_profiles import profile_stats
from storage.community_requests import (
    add_monitoring,
    contact_stats,
    count_searches,
    monitoring_totals,
    recent_monitoring,
    role_counts,
)
from storage.engine import session_scope

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
            return Reply(t(lang, "members_stats_negative", total=before,
                           kind=t(lang, f"members_stats_kind_{kind}")))
        add_monitoring(session=session, kind=kind, value=value, recorded_by=actor.user_id)
        total = before + value
    return Reply(t(lang, "members_stats_added", value=f"{value:+d}",
                   kind=t(lang, f"members_stats_kind_{kind}"), total=total))


def _overview(services: Services, actor: Actor) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        roles = role_counts(session=session)
        profiles = profile_stats(session=session)
        contacts = contact_stats(session=session)
        searches = count_searches(session=session)
        totals = monitoring_totals(session=session)
        recent = recent_monitoring(session=session, limit=RECENT_SHOWN)
    stored_managers = roles.get("manager", 0)
    lines = [
        t(lang, "members_stats_title"),
        t(lang, "members_stats_members", members=roles.get("member", 0),
          managers=stored_managers + len(services.settings.manager_ids),
          visitors=roles.get("visitor", 0)),
        t(lang, "members_stats_profiles", total=profiles["profiles"],
          complete=profiles["complete"], visible=profiles["visible"],
          imported=profiles["imported"], unclaimed=profiles["unclaimed"],
          demo=profiles["demo"]),
        t(lang, "members_stats_matchmaking", searches=searches, requests=contacts["total"],
          accepted=contacts.get("accepted", 0), declined=contacts.get("declined", 0),
          open=contacts.get("open", 0), forwarded=contacts.get("forwarded", 0)),
        "",
        t(lang, "members_stats_monitoring_title"),
    ]
    for kind in MONITORING_KINDS:
        lines.append(t(lang, "members_stats_monitoring_row",
                       kind=t(lang, f"members_stats_kind_{kind}"), total=totals.get(kind, 0),
                       talk=TALK_FIGURES[kind]))
    if recent:
        lines.append("")
        lines.append(t(lang, "members_stats_recent"))
        tz = services.settings.tz
        for entry, name in recent:
            lines.append(t(lang, "members_stats_recent_row",
                           date=aware(entry.recorded_at).astimezone(tz).strftime("%d.%m.%Y"),
                           value=f"{entry.value:+d}",
                           kind=t(lang, f"members_stats_kind_{entry.kind}"),
                           name=html.escape(name or "–")))
    lines.append("")
    lines.append(t(lang, "members_stats_hint"))
    return Reply("\n".join(lines))
