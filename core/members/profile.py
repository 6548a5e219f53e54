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
from core.i18n import t
from core.members.common import kind_from_text, kind_label, member_index, profile_card, reindex
from core.members.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, split_keywords
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.community import PROFILE_KINDS, Profile
from storage.community_profiles import profile_of, save_profile, set_visible
from storage.engine import session_scope

FEATURE = "profile"
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
    buttons = [Choice(t(lang, "members_profile_button_all"), "profile:edit:all")]
    buttons += [Choice(t(lang, f"members_profile_field_{f}"), f"profile:edit:{f}")
                for f in EDITABLE]
    toggle = "hide" if profile.visible else "show"
    buttons.append(Choice(t(lang, f"members_profile_button_{toggle}"), f"profile:vis:{toggle}"))
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
        choices = rows([Choice(kind_label(k, lang), f"profile:kind:{k}") for k in PROFILE_KINDS],
                       2)
    elif step == VISIBLE:
        choices = rows([Choice(t(lang, "members_profile_visible_yes"), "profile:visible:yes"),
                        Choice(t(lang, "members_profile_visible_no"), "profile:visible:no")])
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
        Choice(t(lang, "members_profile_take_suggestions"), "profile:suggest:yes"),
        Choice(t(lang, "members_profile_keep_typed"), "profile:suggest:no")]))


def _answer_visible(services: Services, actor: Actor, data: dict[str, Any], visible: bool
                    ) -> Reply:
    data["values"][VISIBLE] = visible
    return _save(services, actor, data)


def profile_dialog(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """Take the answer to the current step and ask the next one."""
    text = " ".join(text.split())
    data, step, lang = state.data, state.step, actor.language
    if not actor.at_least(Role.MEMBER):  # no longer a member since the dialog began
        dialogs.finish(services, actor)
        return Reply(t(lang, "not_allowed_member", command="profile"))
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


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """profile:edit:<all|field>, profile:vis:<hide|show>, profile:kind:<k>,
    profile:visible:<yes|no>, profile:suggest:<yes|no>."""
    lang = actor.language
    action, arg = parts[0], parts[1] if len(parts) > 1 else ""
    if action == "edit" and (arg == "all" or arg in EDITABLE):
        values = _values(_current(services, actor))
        if not values:
            return _begin(services, actor, "new", {}, NAME)
        return _begin(services, actor, "edit" if arg == "all" else "field", values,
                      NAME if arg == "all" else arg)
    if action == "vis" and arg in ("hide", "show"):
        with session_scope(services.engine) as session:
            profile = set_visible(session=session, telegram_id=actor.user_id,
                                  visible=arg == "show")
        if profile is None or profile.id is None:
            return refused_press(t(lang, "members_profile_none"))
        reindex(services, [profile.id])
        note = t(lang, "members_profile_now_visible" if profile.visible
                 else "members_profile_now_hidden")
        return _overview(services, actor, profile, edit=True, note=note)
    state = dialogs.current(services, actor)
    if state is None or state.feature != FEATURE:
        return refused_press(t(lang, "members_profile_no_dialog"))
    data = state.data
    if action == "kind" and state.step == KIND and arg in PROFILE_KINDS:
        data["values"][KIND] = arg
        return _next(services, actor, KIND, data)
    if action == "visible" and state.step == VISIBLE and arg in ("yes", "no"):
        return _answer_visible(services, actor, data, arg == "yes")
    if action == "suggest" and state.step in (OFFERS_CONFIRM, NEEDS_CONFIRM) and arg in (
            "yes", "no"):
        step = state.step.removesuffix("_confirm")
        if arg == "yes":
            replace = data.pop("suggestions", {})
            data["values"][step] = list(dict.fromkeys(
                replace.get(k, k) for k in data["values"][step]))
        data.pop("suggestions", None)
        return _next(services, actor, step, data)
    return refused_press(t(lang, "members_profile_no_dialog"))
