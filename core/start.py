"""Greeting, help and language choice."""

from __future__ import annotations

import html
from dataclasses import replace

from core import dialogs, members
from core.actor import Actor, Role
from core.i18n import LANGUAGES, t
from core.registry import Button, Command
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.members import set_language

LANGUAGE_LABELS = {"de": "🇩🇪 Deutsch", "en": "🇬🇧 English"}


def start(services: Services, actor: Actor, args: str) -> Reply:
    """Greet the user and show where to begin (an invite link's token goes to members)."""
    if args.strip():
        invited = members.start_argument(services, actor, args)
        if invited is not None:
            return invited
    text = t(actor.language, "welcome", cluster=html.escape(services.settings.cluster_name))
    return Reply(text, rows([Choice("📚 " + ("Themen" if actor.language == "de" else "Topics"),
                                    "kb:chapters")]))


def help_command(services: Services, actor: Actor, args: str) -> Reply:
    """List the commands this user may use, grouped by role."""
    from core.commands import COMMANDS, actor_may  # the table is built from this module

    lang = actor.language
    lines = [t(lang, "help_title")]
    for role in (Role.VISITOR, Role.MEMBER, Role.MANAGER):
        section = [c for c in COMMANDS if c.role is role and actor_may(actor.role, c.role)]
        if section:
            lines.append("\n" + t(lang, f"help_section_{role.value}"))
            lines.extend(f"/{c.name} – {c.description[lang]}" for c in section)
    lines.append("\n" + t(lang, "help_free_text"))
    return Reply("\n".join(lines))


def _language_buttons() -> tuple[tuple[Choice, ...], ...]:
    return rows([Choice(LANGUAGE_LABELS[lang], f"lang:set:{lang}") for lang in LANGUAGES], 2)


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


def press(services: Services, actor: Actor, parts: list[str]) -> Reply:
    """Handle lang:set:<de|en>."""
    if len(parts) == 2 and parts[0] == "set" and parts[1] in LANGUAGES:
        return _switch(services, actor, parts[1], edit=True)
    return refused_press(t(actor.language, "stale_button"))


def cancel(services: Services, actor: Actor, args: str) -> Reply:
    """End the open dialog, if any; nothing entered so far is saved."""
    had_dialog = dialogs.finish(services, actor)
    return Reply(t(actor.language, "cancelled" if had_dialog else "nothing_to_cancel"))


COMMANDS = (
    Command("start", Role.VISITOR,
            {"de": "Begrüßung und erste Schritte", "en": "Welcome and first steps"}, start),
    Command("help", Role.VISITOR, {"de": "Alle Befehle", "en": "All commands"}, help_command),
    Command("language", Role.VISITOR,
            {"de": "Sprache wählen (de/en)", "en": "Choose language (de/en)"}, language),
    Command("cancel", Role.VISITOR,
            {"de": "Laufenden Dialog abbrechen", "en": "Cancel the current dialog"}, cancel),
)
BUTTONS = {"lang": Button(Role.VISITOR, press)}
