"""/profile: create or edit the matchmaking profile as a guided dialog.

Steps: name → organisation → type (buttons) → city/region → offers → needs → description →
visibility (asked explicitly, buttons). Keywords are a comma-separated list; a keyword close
to one already used in the cluster ("logistic" → "Logistik") is offered instead, the member
decides. Editing walks the same steps ("-" keeps a value) or changes one field.
"""

from __future__ import annotations

import html
from typing import Any

from core import dialogs
from core.actor import Actor, Role
from core.dialogs import DialogState
from core.feature import Action, Actions, Dialog, one_of
from core.i18n import t
from core.members.common import kind_from_text, kind_label, member_index, profile_card, reindex
from core.members.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, split_keywords
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.members.profiles import profile_of, save_profile, set_visible
from storage.members.tables import PROFILE_KINDS, Profile

FEATURE = "profile"  # the dialog's name
NAME, ORGANIZATION, KIND, CITY = "name", "organization", "kind", "city"
OFFERS, OFFERS_CONFIRM, NEEDS, NEEDS_CONFIRM = "offers", "offers_confirm", "needs", "needs_confirm"
DESCRIPTION, VISIBLE = "description", "visible"
ORDER = (NAME, ORGANIZATION, KIND, CITY, OFFERS, NEEDS, DESCRIPTION, VISIBLE)
LIMITS = {NAME: 100, ORGANIZATION: 150, CITY: 100, DESCRIPTION: 500}
KEEP = ("-", "–", "—")
YES = ("ja", "yes", "j", "y", "sichtbar", "visible")
NO = ("nein", "no", "n", "verborgen", "hidden")
EDITABLE = (NAME, ORGANIZATION, KIND, CITY, OFFERS, NEEDS, DESCRIPTION)


def _current(services: Services, actor: Actor) -> Profile | None:
    with session_scope(services.engine) as session:
        return profile_of(session=session, telegram_id=actor.user_id)


def _values(profile: Profile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    return {NAME: profile.name, ORGANIZATION: profile.organization, KIND: profile.kind,
            CITY: profile.city, OFFERS: list(profile.offers), NEEDS: list(profile.needs),
            DESCRIPTION: profile.description, VISIBLE: profile.visible}


def _overview(services: Services, actor: Actor, profile: Profile, *, edit: bool = False,
              note: str = "") -> Reply:
    lang = actor.language
    text = "\n\n".join(p for p in (note, t(lang, "members_profile_yours"),
                                   profile_card(profile, lang, with_visibility=True),
                                   t(lang, "members_profile_edit_hint")) if p)
    buttons = [ACTIONS.button(t(lang, "members_profile_button_all"), "edit", "all")]
    buttons += [ACTIONS.button(t(lang, f"members_profile_field_{f}"), "edit", f)
                for f in EDITABLE]
    toggle = "hide" if profile.visible else "show"
    buttons.append(ACTIONS.button(t(lang, f"members_profile_button_{toggle}"), toggle))
    return Reply(text, rows(buttons[:1]) + rows(buttons[1:-1], 2) + rows(buttons[-1:]),
                 edit=edit)


def profile_command(services: Services, actor: Actor, args: str) -> Reply:
    """Show my profile with edit buttons, or start the dialog that creates it."""
    profile = _current(services, actor)
    if profile is None:
        return _begin(services, actor, "new", {}, NAME)
    return _overview(services, actor, profile)


def _begin(services: Services, actor: Actor, mode: str, values: dict[str, Any], step: str
           ) -> Reply:
    data = {"mode": mode, "values": values, "original": dict(values)}
    dialogs.begin(services, actor, FEATURE, step, data)
    intro = t(actor.language, "members_profile_intro") if mode == "new" else ""
    return _ask(actor, step, data, intro=intro)


def _step_number(step: str) -> int:
    base = step.removesuffix("_confirm")
    return ORDER.index(base) + 1


def _ask(actor: Actor, step: str, data: dict[str, Any], *, intro: str = "",
         problem: str = "") -> Reply:
    """The question for `step`, with the current value and how to keep it."""
    lang = actor.language
    values = data["values"]
    editing = data["mode"] != "new"
    head = t(lang, "members_profile_step", number=_step_number(step), total=len(ORDER))
    question = t(lang, f"members_profile_ask_{step}", telegram_name=html.escape(actor.name))
    parts = [p for p in (intro, problem, f"{head} {question}") if p]
    current = values.get(step)
    if editing and step not in (KIND, VISIBLE) and current:
        shown = ", ".join(current) if isinstance(current, list) else current
        parts.append(t(lang, "members_profile_keep", current=html.escape(shown)))
    elif step in (ORGANIZATION, CITY, DESCRIPTION, OFFERS, NEEDS):
        parts.append(t(lang, "members_profile_skip"))
    choices: tuple[tuple[Choice, ...], ...] = ()
    if step == KIND:
        choices = rows([ACTIONS.button(kind_label(k, lang), "kind", k) for k in PROFILE_KINDS],
                       2)
    elif step == VISIBLE:
        choices = rows([ACTIONS.button(t(lang, "members_profile_visible_yes"), "visible", "yes"),
                        ACTIONS.button(t(lang, "members_profile_visible_no"), "visible", "no")])
    return Reply("\n\n".join(parts), choices)


def _next(services: Services, actor: Actor, step: str, data: dict[str, Any]) -> Reply:
    """Move on: one-field edits save now, the full dialog asks the next step."""
    if data["mode"] == "field" or step == VISIBLE:
        return _save(services, actor, data)
    following = ORDER[ORDER.index(step) + 1]
    dialogs.advance(services, actor, FEATURE, following, data)
    return _ask(actor, following, data)


def _text_step(services: Services, actor: Actor, step: str, data: dict[str, Any], text: str
               ) -> Reply:
    lang = actor.language
    values = data["values"]
    if text in KEEP:
        if data["mode"] == "new":
            values[step] = actor.name[:LIMITS[NAME]] if step == NAME else ""
        elif step not in values:
            values[step] = ""
        if step == NAME and not values[step]:
            return _ask(actor, step, data, problem=t(lang, "members_profile_name_needed"))
        return _next(services, actor, step, data)
    if len(text) > LIMITS[step]:
        return _ask(actor, step, data, problem=t(lang, "members_profile_too_long",
                                                 limit=LIMITS[step], length=len(text)))
    values[step] = text
    return _next(services, actor, step, data)


def _keyword_step(services: Services, actor: Actor, step: str, data: dict[str, Any],
                  text: str) -> Reply:
    lang = actor.language
    values = data["values"]
    if text in KEEP:
        keywords = [] if data["mode"] == "new" else list(values.get(step, []))
    else:
        keywords = split_keywords(text)
        too_long = [k for k in keywords if len(k) > MAX_KEYWORD_CHARS]
        if too_long:
            return _ask(actor, step, data, problem=t(
                lang, "members_profile_keyword_too_long", keyword=html.escape(too_long[0][:40]),
                limit=MAX_KEYWORD_CHARS))
        if len(keywords) > MAX_KEYWORDS:
            return _ask(actor, step, data, problem=t(
                lang, "members_profile_too_many", count=len(keywords), limit=MAX_KEYWORDS))
    if step == NEEDS and not keywords and not values.get(OFFERS):
        return _ask(actor, step, data, problem=t(lang, "members_profile_need_keyword"))
    values[step] = keywords
    index = member_index(services)
    suggestions = {}
    for keyword in keywords:
        better = index.suggest(keyword, lang)
        if better and better not in keywords:
            suggestions[keyword] = better
    if not suggestions or text in KEEP:
        return _next(services, actor, step, data)
    data["suggestions"] = suggestions
    confirm = OFFERS_CONFIRM if step == OFFERS else NEEDS_CONFIRM
    dialogs.advance(services, actor, FEATURE, confirm, data)
    pairs = "\n".join(t(lang, "members_profile_suggestion", typed=html.escape(k),
                        known=html.escape(v)) for k, v in suggestions.items())
    return Reply(t(lang, "members_profile_did_you_mean", suggestions=pairs), rows([
        ACTIONS.button(t(lang, "members_profile_take_suggestions"), "suggestions", "take"),
        ACTIONS.button(t(lang, "members_profile_keep_typed"), "suggestions", "keep")]))


def _answer_visible(services: Services, actor: Actor, data: dict[str, Any], visible: bool
                    ) -> Reply:
    data["values"][VISIBLE] = visible
    return _save(services, actor, data)


def profile_dialog(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """Take the answer to the current step and ask the next one (the router has checked
    that the actor is still a member)."""
    text = " ".join(text.split())
    data, step, lang = state.data, state.step, actor.language
    if not text:
        return _ask(actor, step.removesuffix("_confirm"), data)
    if step in (NAME, ORGANIZATION, CITY, DESCRIPTION):
        return _text_step(services, actor, step, data, text)
    if step in (OFFERS, NEEDS):
        return _keyword_step(services, actor, step, data, text)
    if step in (OFFERS_CONFIRM, NEEDS_CONFIRM):  # typed a new list instead of pressing
        return _keyword_step(services, actor, step.removesuffix("_confirm"), data, text)
    if step == KIND:
        kind = kind_from_text(text) or (
            data["values"].get(KIND) if text in KEEP and data["mode"] != "new" else None)
        if kind is None:
            return _ask(actor, step, data, problem=t(lang, "members_profile_pick_kind"))
        data["values"][KIND] = kind
        return _next(services, actor, step, data)
    if step == VISIBLE:
        answer = text.lower()
        if answer in YES or answer in NO:
            return _answer_visible(services, actor, data, answer in YES)
        return _ask(actor, step, data, problem=t(lang, "members_profile_pick_visible"))
    dialogs.finish(services, actor)
    return Reply(t(lang, "stale_button"))


def _save(services: Services, actor: Actor, data: dict[str, Any]) -> Reply:
    values = data["values"]
    with session_scope(services.engine) as session:
        profile = save_profile(
            session=session, telegram_id=actor.user_id, name=values.get(NAME) or actor.name,
            organization=values.get(ORGANIZATION, ""), kind=values.get(KIND, "other"),
            city=values.get(CITY, ""), offers=values.get(OFFERS, []),
            needs=values.get(NEEDS, []), description=values.get(DESCRIPTION, ""),
            visible=bool(values.get(VISIBLE, True)))
        profile_id = profile.id
    dialogs.finish(services, actor)
    assert profile_id is not None
    reindex(services, [profile_id])
    note = t(actor.language, "members_profile_saved")
    if not profile.visible:
        note += "\n" + t(actor.language, "members_profile_saved_hidden")
    return _overview(services, actor, profile, note=note)


def press_edit(services: Services, actor: Actor, field: str) -> Reply:
    """Edit everything ("all") or one field: the dialog starts at that step."""
    values = _values(_current(services, actor))
    if not values:
        return _begin(services, actor, "new", {}, NAME)
    return _begin(services, actor, "edit" if field == "all" else "field", values,
                  NAME if field == "all" else field)


def _set_visible(services: Services, actor: Actor, visible: bool) -> Reply:
    lang = actor.language
    with session_scope(services.engine) as session:
        profile = set_visible(session=session, telegram_id=actor.user_id, visible=visible)
    if profile is None or profile.id is None:
        return refused_press(t(lang, "members_profile_none"))
    reindex(services, [profile.id])
    note = t(lang, "members_profile_now_visible" if profile.visible
             else "members_profile_now_hidden")
    return _overview(services, actor, profile, edit=True, note=note)


def press_hide(services: Services, actor: Actor) -> Reply:
    """Take my profile out of matchmaking, in place."""
    return _set_visible(services, actor, False)


def press_show(services: Services, actor: Actor) -> Reply:
    """Show my profile in matchmaking again, in place."""
    return _set_visible(services, actor, True)


def _open_step(services: Services, actor: Actor, *steps: str) -> DialogState | None:
    """The open profile dialog, if it waits at one of `steps` (else the button is stale)."""
    state = dialogs.current(services, actor)
    if state is None or state.feature != FEATURE or state.step not in steps:
        return None
    return state


def press_kind(services: Services, actor: Actor, kind: str) -> Reply:
    """The organisation type, answered with a button."""
    state = _open_step(services, actor, KIND)
    if state is None:
        return refused_press(t(actor.language, "members_profile_no_dialog"))
    state.data["values"][KIND] = kind
    return _next(services, actor, KIND, state.data)


def press_visible(services: Services, actor: Actor, answer: str) -> Reply:
    """The visibility question, answered with a button: saves the profile."""
    state = _open_step(services, actor, VISIBLE)
    if state is None:
        return refused_press(t(actor.language, "members_profile_no_dialog"))
    return _answer_visible(services, actor, state.data, answer == "yes")


def press_suggestions(services: Services, actor: Actor, choice: str) -> Reply:
    """Take the cluster's spelling of typed keywords, or keep them as typed; go on."""
    state = _open_step(services, actor, OFFERS_CONFIRM, NEEDS_CONFIRM)
    if state is None:
        return refused_press(t(actor.language, "members_profile_no_dialog"))
    data, step = state.data, state.step.removesuffix("_confirm")
    replace = data.pop("suggestions", {})
    if choice == "take":
        data["values"][step] = list(dict.fromkeys(
            replace.get(k, k) for k in data["values"][step]))
    return _next(services, actor, step, data)


ACTIONS = Actions("profile", Role.MEMBER, (
    Action("edit", press_edit, (one_of("all", *EDITABLE),)),
    Action("hide", press_hide),
    Action("show", press_show),
    Action("kind", press_kind, (one_of(*PROFILE_KINDS),)),
    Action("visible", press_visible, (one_of("yes", "no"),)),
    Action("suggestions", press_suggestions, (one_of("take", "keep"),)),
))
DIALOG = Dialog(FEATURE, profile_dialog, role=Role.MEMBER)
