"""Suggested participants for a new item (issue #13): members whose visible profile offers
fit the action's topic and text, with the participant group their profile belongs to and
the matching words, shown when /plan_add saves an item.

The matching is knowledge.offers (on the language layer: lemmas, the German-English
bridge, compound parts), so "Ladeinfrastruktur" fits "charging infrastructure" — the same
rule the workshop uses for its suggestions.
Each suggestion carries an "invite" button of the workshop (`ws:suggest:<item>:<person>`):
the invited member accepts or declines there, and nothing is shared before they accept.
Without the workshop feature wired, that button is answered as stale and changes nothing.
"""

from __future__ import annotations

import html
from dataclasses import replace

from core.actor import Actor
from core.i18n import t
from core.reply import Choice, Reply, rows
from core.services import Services
from knowledge.offers import offer_fits
from storage.accounts.tables import Member
from storage.action_plan.tables import PlanItem
from storage.engine import session_scope
from storage.members.people import active_members, participant_group

SHOWN = 5
INVITE_DATA = "ws:suggest:{item}:{person}"


def suggested(services: Services, item_id: int, text: str, lang: str, *,
              exclude: set[int]) -> tuple[str, list[Choice]]:
    """Lines naming who fits, and an invite button each; ("", []) when nobody fits."""
    with session_scope(services.engine) as session:
        people = active_members(session=session,
                                also=frozenset(services.settings.manager_ids))
    profiles = {member.telegram_id: (member, profile) for member, profile in people
                if profile is not None and profile.visible and member.telegram_id not in exclude}
    fits = offer_fits(text, {telegram_id: list(profile.offers)
                             for telegram_id, (_, profile) in profiles.items()}, limit=SHOWN)
    if not fits:
        return "", []
    lines = [t(lang, "plan_suggest_title")]
    buttons: list[Choice] = []
    for fit in fits:
        member, profile = profiles[fit.telegram_id]
        name = profile.name or member.name or "?"
        group = participant_group(profile.kind)
        lines.append(t(lang, "plan_suggest_line", name=html.escape(name),
                       group=t(lang, f"plan_group_{group}"),
                       words=html.escape(", ".join(fit.words))))
        buttons.append(Choice(t(lang, "plan_suggest_invite", name=name[:30]),
                              INVITE_DATA.format(item=item_id, person=fit.telegram_id)))
    return "\n".join(lines), buttons


def with_suggestions(services: Services, reply: Reply, item: PlanItem, actor: Actor,
                     responsible: Member | None) -> Reply:
    """The saved item's card with the suggested participants below it."""
    assert item.id is not None
    exclude = {actor.user_id} | ({responsible.telegram_id} if responsible else set())
    text, buttons = suggested(services, item.id, f"{item.topic} {item.action}",
                              actor.language, exclude=exclude)
    if not text:
        return reply
    return replace(reply, text=f"{reply.text}\n\n{text}",
                   choices=reply.choices + rows(buttons))
