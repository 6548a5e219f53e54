"""The talk's method in the chat (issue #13): a round of the four steps "from the idea to
implementation" — competences and knowledge, regional SWOT, synergies and
complementarities, a cross-regional action and business plan — landing in the action plan.

Modules: access (who may see a round), rounds (/workshop, the card, invitations, next
step), contribute (the private-chat dialog per step), matching (profiles against keywords,
offers against needs, offers against an action: the language layer), duplicates (merging
proposals), curate (votes, merge, drop, edit), drafts (step 4 and its pitfall checks),
planning (a draft into the plan, suggested participants), deadlines (overdue steps in
the card and the managers' digest), charts and summary (pictures,
texts, CSV and Markdown). Data lives in storage.workshop; action items are written through
storage.action_plan, so this feature imports no other feature.
"""

from __future__ import annotations

from core.actor import Actor, Role
from core.feature import Command, Dialog, Feature, Privacy
from core.i18n import t
from core.reply import Reply
from core.services import Services
from core.workshop import buttons, contribute, curate, drafts, planning, rounds, summary
from core.workshop.deadlines import digest_lines
from storage.workshop.privacy import forget_member, member_data

MANAGER_VERBS = ("edit", "merge", "drop")


def workshop_command(services: Services, actor: Actor, args: str) -> Reply:
    """/workshop [ID | new … | edit … | merge … | drop … | draft …]."""
    head, _, rest = args.partition(" ")
    verb = head.lower()
    if not verb:
        return rounds.list_rounds(services, actor)
    if verb.isdigit() and len(verb) < 10:
        return rounds.show(services, actor, int(verb))
    if verb in ("new", "neu", *MANAGER_VERBS, "draft", "entwurf"):
        if not actor.at_least(Role.MANAGER):
            return Reply(t(actor.language, "not_allowed_manager", command="workshop"))
        if verb in ("new", "neu"):
            return rounds.new_round(services, actor, rest)
        if verb in ("draft", "entwurf"):
            return drafts.edit_draft(services, actor, rest)
        return curate.manage_command(services, actor, verb, rest)
    return Reply(t(actor.language, "ws_usage"))


ACTIONS = buttons.ACTIONS.bound({
    "card": rounds.press_card,
    "invite": rounds.press_invite,
    "invite_ok": rounds.press_invite_ok,
    "next": rounds.press_next,
    "contribute": contribute.press_contribute,
    "offer": contribute.press_offer,
    "field": contribute.press_field,
    "group": contribute.press_group,
    "synergy": contribute.press_synergy,
    "done": contribute.press_done,
    "list": curate.press_list,
    "vote": curate.press_vote,
    "dups": curate.press_dups,
    "merge": curate.press_merge,
    "drop": curate.press_drop,
    "summary": summary.press_summary,
    "export": summary.press_export,
    "drafts": drafts.press_drafts,
    "draft": drafts.press_draft,
    "to_plan": planning.press_to_plan,
    "suggest": planning.press_suggest,
    "accept": planning.press_accept,
    "decline": planning.press_decline,
})

FEATURE = Feature(
    name="workshop",
    commands=(Command("workshop", Role.MEMBER, workshop_command, private_only=True),),
    actions=(ACTIONS,),
    # MEMBER: someone who is no longer a member cannot go on contributing
    dialogs=(Dialog(contribute.DIALOG, contribute.contribute_step, Role.MEMBER),),
    digest_lines=digest_lines,
    privacy=Privacy(
        export=lambda session, telegram_id: member_data(session=session,
                                                        telegram_id=telegram_id),
        forget=lambda session, telegram_id, successor_id: forget_member(
            session=session, telegram_id=telegram_id)),
)

__all__ = ["ACTIONS", "FEATURE"]
