"""Contributing in the private chat, one dialog per step (its state in the database, so a
restart loses nothing): competences proposed from the profile's offers and confirmed in a
tap (step 1), SWOT statements per field and actor group (step 2), synergy pairs proposed
from offers and needs (step 3), draft actions typed in the plan's columns (step 4).
Every typed line is one contribution, checked whole before it is kept, with its author and
the language it was written in."""

from __future__ import annotations

import html
from typing import Any

from core import dialogs
from core.actor import Actor
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from core.workshop.access import WorkshopProblem, at_step, clean_statement, display, load_round
from core.workshop.buttons import ACTIONS
from core.workshop.drafts import parse_draft
from knowledge.language import detect_language
from knowledge.offers import Pair, synergy_pairs
from storage.engine import session_scope
from storage.members.people import people_of
from storage.workshop.contributions import add_contribution, contributions, find_same
from storage.workshop.rounds import participants
from storage.workshop.tables import ACTOR_GROUPS, SWOT_FIELDS

DIALOG = "workshop"
SHOWN_PAIRS = 6

KIND_TO_ACTOR_GROUP = {"company": "companies", "research": "research", "cluster": "clusters",
                       "public": "others", "other": "others"}


def _profile(services: Services, telegram_id: int) -> tuple[list[str], str]:
    """The member's offers and actor group (from the profile's kind)."""
    with session_scope(services.engine) as session:
        person = people_of(session=session, telegram_ids={telegram_id}).get(telegram_id)
    profile = person[1] if person else None
    if profile is None:
        return [], "others"
    return list(profile.offers), KIND_TO_ACTOR_GROUP.get(profile.kind, "others")


def round_pairs(services: Services, round_id: int) -> tuple[list[Pair], dict[int, str]]:
    """The synergy pairs among a round's participants, and their display names."""
    with session_scope(services.engine) as session:
        ids = {p.telegram_id for p in participants(session=session, round_id=round_id)}
        people = people_of(session=session, telegram_ids=ids)
    profiles = {i: (list(p.offers), list(p.needs)) for i, (_, p) in people.items()
                if p is not None and p.visible}
    names = {i: p.name if p is not None and p.name else display(m, p)
             for i, (m, p) in people.items()}
    return synergy_pairs(profiles), names


def pair_text(pair: Pair, names: dict[int, str], lang: str) -> str:
    return t(lang, "ws_pair", offerer=html.escape(names.get(pair.offerer, "?")),
             offer=html.escape(pair.offer), needer=html.escape(names.get(pair.needer, "?")),
             need=html.escape(pair.need))


def prompt(services: Services, actor: Actor, round_id: int, step: int,
           data: dict[str, Any], *, before: str = "", edit: bool = False) -> Reply:
    """The step's question with the buttons it offers."""
    lang = actor.language
    text = t(lang, f"ws_question_{step}") + "\n\n" + t(lang, f"ws_how_{step}")
    buttons: list[Choice] = []
    per_row = 1
    if step == 1:
        offers, _ = _profile(services, actor.user_id)
        with session_scope(services.engine) as session:
            mine = {c.text for c in contributions(session=session, round_id=round_id, step=1)
                    if c.author_id == actor.user_id}
        for index, offer in enumerate(offers[:10]):
            tick = "✅ " if offer in mine else "➕ "
            buttons.append(ACTIONS.button((tick + offer)[:60], "offer", round_id, index))
        if not offers:
            text += "\n\n" + t(lang, "ws_no_offers")
    elif step == 2:
        per_row = 2
        for field in SWOT_FIELDS:
            tick = "✅ " if data.get("field") == field else ""
            buttons.append(ACTIONS.button(tick + t(lang, f"ws_field_{field}"), "field",
                                          round_id, field))
        for group in ACTOR_GROUPS:
            tick = "✅ " if data.get("group") == group else ""
            buttons.append(ACTIONS.button(tick + t(lang, f"ws_group_{group}"), "group",
                                          round_id, group))
    elif step == 3:
        pairs, names = round_pairs(services, round_id)
        mine_pairs = [p for p in pairs if actor.user_id in (p.offerer, p.needer)]
        if mine_pairs:
            text += "\n\n" + t(lang, "ws_pairs_found") + "\n" + "\n".join(
                f"{n}. {pair_text(p, names, lang)}" for n, p in
                enumerate(mine_pairs[:SHOWN_PAIRS], 1))
            buttons += [ACTIONS.button(t(lang, "ws_btn_confirm_pair", n=n), "synergy", round_id,
                                       p.offerer, p.needer)
                        for n, p in enumerate(mine_pairs[:SHOWN_PAIRS], 1)]
            per_row = 3
        else:
            text += "\n\n" + t(lang, "ws_pairs_none")
    buttons.append(ACTIONS.button(t(lang, "ws_btn_done"), "done"))
    return Reply(f"{before}\n\n{text}" if before else text, rows(buttons, per_row), edit=edit)


def _checked(services: Services, actor: Actor, round_id: int, step: int) -> Reply | None:
    """None when the actor may contribute to this step of the round now."""
    try:
        with session_scope(services.engine) as session:
            at_step(load_round(session, actor, round_id), step)
    except WorkshopProblem as problem:
        return refused_press(problem.text(actor.language))
    return None


def press_contribute(services: Services, actor: Actor, round_id: int, step: int) -> Reply:
    """Open the step's dialog in the private chat."""
    if not actor.is_private_chat:
        return refused_press(t(actor.language, "ws_private"))
    refused = _checked(services, actor, round_id, step)
    if refused is not None:
        return refused
    _, group = _profile(services, actor.user_id)
    data = {"round": round_id, "field": "S", "group": group}
    dialogs.begin(services, actor, DIALOG, str(step), data)
    return prompt(services, actor, round_id, step, data)


def _state(services: Services, actor: Actor, round_id: int, step: int
           ) -> dialogs.DialogState | Reply:
    state = dialogs.current(services, actor)
    if (state is None or state.feature != DIALOG or state.step != str(step)
            or state.data.get("round") != round_id):
        return refused_press(t(actor.language, "ws_dialog_stale"))
    refused = _checked(services, actor, round_id, step)
    return refused if refused is not None else state


def _keep(services: Services, actor: Actor, round_id: int, step: int, text: str,
          **fields: Any) -> tuple[int, bool]:
    """Store one contribution (a repeated identical one is kept once); its id, and whether
    it is new."""
    lang = detect_language(text, actor.language)
    with session_scope(services.engine) as session:
        same = find_same(session=session, round_id=round_id, step=step,
                         author_id=actor.user_id, text=text,
                         partner_id=fields.get("partner_id"))
        if same is not None:
            assert same.id is not None
            return same.id, False
        kept = add_contribution(session=session, round_id=round_id, step=step,
                                author_id=actor.user_id, text=text, lang=lang, **fields)
        assert kept.id is not None
        return kept.id, True


def press_offer(services: Services, actor: Actor, round_id: int, index: int) -> Reply:
    """Confirm one offer of the profile as a competence (step 1)."""
    state = _state(services, actor, round_id, 1)
    if isinstance(state, Reply):
        return state
    offers, group = _profile(services, actor.user_id)
    if index >= len(offers):
        return refused_press(t(actor.language, "ws_dialog_stale"))
    kept, new = _keep(services, actor, round_id, 1, offers[index][:300], actor_group=group)
    if not new:  # tapped twice: kept once, and an identical edit would be refused
        return refused_press(t(actor.language, "ws_kept", id=kept))
    return prompt(services, actor, round_id, 1, state.data, edit=True)


def press_field(services: Services, actor: Actor, round_id: int, field: str) -> Reply:
    state = _state(services, actor, round_id, 2)
    if isinstance(state, Reply):
        return state
    if state.data.get("field") == field:  # unchanged: Telegram refuses an identical edit
        return refused_press(t(actor.language, f"ws_field_{field}") + " ✅")
    data = {**state.data, "field": field}
    dialogs.advance(services, actor, DIALOG, "2", data)
    return prompt(services, actor, round_id, 2, data, edit=True)


def press_group(services: Services, actor: Actor, round_id: int, group: str) -> Reply:
    state = _state(services, actor, round_id, 2)
    if isinstance(state, Reply):
        return state
    if state.data.get("group") == group:
        return refused_press(t(actor.language, f"ws_group_{group}") + " ✅")
    data = {**state.data, "group": group}
    dialogs.advance(services, actor, DIALOG, "2", data)
    return prompt(services, actor, round_id, 2, data, edit=True)


def press_synergy(services: Services, actor: Actor, round_id: int, offerer: int,
                  needer: int) -> Reply:
    """Confirm a proposed pair (only one of the two may, and only a pair still proposed)."""
    state = _state(services, actor, round_id, 3)
    if isinstance(state, Reply):
        return state
    if actor.user_id not in (offerer, needer):
        return refused_press(t(actor.language, "ws_dialog_stale"))
    pairs, names = round_pairs(services, round_id)
    pair = next((p for p in pairs if (p.offerer, p.needer) == (offerer, needer)), None)
    if pair is None:
        return refused_press(t(actor.language, "ws_dialog_stale"))
    text = f"{names.get(offerer, '?')}: {pair.offer} ↔ {names.get(needer, '?')}: {pair.need}"
    other = needer if actor.user_id == offerer else offerer
    kept, new = _keep(services, actor, round_id, 3, text[:300], partner_id=other)
    if not new:
        return refused_press(t(actor.language, "ws_kept", id=kept))
    return prompt(services, actor, round_id, 3, state.data,
                  before=t(actor.language, "ws_kept", id=kept), edit=True)


def press_done(services: Services, actor: Actor) -> Reply:
    """End the contribution dialog; what was sent is kept."""
    dialogs.finish(services, actor)
    return Reply(t(actor.language, "ws_thanks"), edit=True)


def contribute_step(services: Services, actor: Actor, state: dialogs.DialogState,
                    text: str) -> Reply:
    """A typed line: one competence, SWOT statement, synergy or draft of the open step."""
    lang = actor.language
    round_id, step = int(state.data.get("round", 0)), int(state.step)
    try:
        with session_scope(services.engine) as session:
            at_step(load_round(session, actor, round_id), step)
        if step == 4:
            draft = parse_draft(text)
            kept, _ = _keep(services, actor, round_id, 4, draft["topic"][:300], draft=draft)
        else:
            value = clean_statement(text)
            fields: dict[str, Any] = {"actor_group": state.data.get("group", "others")}
            if step == 2:
                fields["swot_field"] = state.data.get("field", "S")
            kept, _ = _keep(services, actor, round_id, step, value, **fields)
    except WorkshopProblem as problem:
        if problem.key in ("ws_not_found", "ws_step_over"):
            dialogs.finish(services, actor)
            return Reply(problem.text(lang))
        return prompt(services, actor, round_id, step, state.data, before=problem.text(lang))
    return prompt(services, actor, round_id, step, state.data,
                  before=t(lang, "ws_kept", id=kept))
