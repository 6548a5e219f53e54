"""Greeting, help, language choice and /cancel."""

from __future__ import annotations

import html
from dataclasses import replace

from core import dialogs
from core.actor import Actor, Role
from core.feature import Action, Actions, Command, Feature, one_of
from core.i18n import LANGUAGES, t
from core.reply import Choice, Reply, rows
from core.services import Services
from storage.accounts.queries import set_language
from storage.engine import session_scope

LANGUAGE_LABELS = {"de": "🇩🇪 Deutsch", "en": "🇬🇧 English"}


def start(services: Services, actor: Actor, args: str) -> Reply:
    """Greet the user and show where to begin (a deep-link argument goes to its feature)."""
    if args.strip():
        answered = services.registry.start_argument(services, actor, args.strip())
        if answered is not None:
            return answered
    text = t(actor.language, "welcome", cluster=html.escape(services.settings.cluster_name))
    if actor.role is not Role.VISITOR:  # a short tour of what this role adds
        text += "\n\n" + t(actor.language, f"start_tour_{actor.role.value}")
    return Reply(text, rows([ACTIONS.button(t(actor.language, "start_topics_button"),
                                            "topics")]))


def help_command(services: Services, actor: Actor, args: str) -> Reply:
    """List the commands this user may use, grouped by role."""
    lang = actor.language
    lines = [t(lang, "help_title")]
    usable = services.registry.commands_for(actor.role)
    for role in (Role.VISITOR, Role.MEMBER, Role.MANAGER):
        section = [c for c in usable if c.role is role]
        if section:
            lines.append("\n" + t(lang, f"help_section_{role.value}"))
            lines.extend(f"/{c.name} – {t(lang, c.description_key)}" for c in section)
    lines.append("\n" + t(lang, "help_free_text"))
    return Reply("\n".join(lines))


def _language_buttons() -> tuple[tuple[Choice, ...], ...]:
    return rows([ACTIONS.button(LANGUAGE_LABELS[lang], "set", lang) for lang in LANGUAGES], 2)


def _switch(services: Services, actor: Actor, lang: str, *, edit: bool) -> Reply:
    with session_scope(services.engine) as session:
        set_language(session=session, telegram_id=actor.user_id, language=lang)
    return Reply(t(lang, "language_set"), edit=edit, notice=LANGUAGE_LABELS[lang])


def language(services: Services, actor: Actor, args: str) -> Reply:
    """Set the language from the argument, or offer both as buttons."""
    choice = args.strip().lower()[:2]
    if not args.strip():
        return Reply(t(actor.language, "language_choose"), _language_buttons())
    if choice not in LANGUAGES:
        return Reply(t(actor.language, "language_usage"), _language_buttons())
    return _switch(services, replace(actor, language=choice), choice, edit=False)


def press_language(services: Services, actor: Actor, lang: str) -> Reply:
    """The language button: switch and say so in the new language."""
    return _switch(services, actor, lang, edit=True)


def press_topics(services: Services, actor: Actor) -> Reply:
    """The welcome's topics button: /topics, in place of the welcome."""
    topics = services.registry.command("topics")
    if topics is None:  # a bot without the questions feature
        return help_command(services, actor, "")
    return replace(topics.run(services, actor, ""), edit=True)


def cancel(services: Services, actor: Actor, args: str) -> Reply:
    """End the open dialog, if any; nothing entered so far is saved."""
    had_dialog = dialogs.finish(services, actor)
    return Reply(t(actor.language, "cancelled" if had_dialog else "nothing_to_cancel"))


ACTIONS = Actions("lang", Role.VISITOR, (
    Action("set", press_language, (one_of(*LANGUAGES),)),
    Action("topics", press_topics),
))

FEATURE = Feature(
    name="start",
    commands=(
        Command("start", Role.VISITOR, start),
        Command("help", Role.VISITOR, help_command),
        Command("language", Role.VISITOR, language),
        Command("cancel", Role.VISITOR, cancel),
    ),
    actions=(ACTIONS,),
)
