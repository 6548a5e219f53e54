"""/event_new without arguments: a guided dialog, one field per step (title, date and time,
place or link, places, registration deadline, options), each checked when typed and asked
again with the reason when wrong. It collects the same parts the one-line form takes and
checks every step with the same reader (core.events.parse), filling the parts still to come
with harmless stand-ins; nothing is saved before the last step."""

from __future__ import annotations

from datetime import datetime

from core import dialogs
from core.actor import Actor
from core.dialogs import DialogState
from core.events.common import now
from core.events.create import store
from core.events.parse import Draft, ParseError, parse_event
from core.i18n import t
from core.reply import Reply
from core.services import Services

ENTRY_DIALOG = "events_new"
STEPS = ("title", "when", "place", "capacity", "deadline", "options")
FAR_AWAY = "2100-01-01 10:00"  # stand-in for a date still to come
NO_OPTIONS = ("-", "keine", "nein", "none", "no")


def _trial(parts: list[str]) -> str:
    """The one-line form of the parts so far, later parts filled with stand-ins."""
    filled = list(parts) + [""] * (5 - len(parts))
    when = filled[1] or FAR_AWAY
    stand_ins = [filled[0], when, filled[2] or "x", filled[3] or "1",
                 filled[4] or when.split()[0]]
    return " | ".join(stand_ins + list(parts[5:]))


def _ask(lang: str, step: str, problem: str = "") -> Reply:
    text = t(lang, f"events_entry_{step}")
    return Reply(f"{problem}\n\n{text}" if problem else text)


def begin_entry(services: Services, actor: Actor) -> Reply:
    """Open the dialog at its first step."""
    dialogs.begin(services, actor, ENTRY_DIALOG, STEPS[0], {"parts": []})
    return _ask(actor.language, STEPS[0])


def check(parts: list[str], tz: object, at: datetime) -> Draft:
    return parse_event(_trial(parts), tz, at)  # type: ignore[arg-type]


def entry_step(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """Take one field: wrong ones are explained and asked again; the last one saves."""
    lang = actor.language
    parts = [str(p) for p in state.data.get("parts", [])]
    step = STEPS[min(len(parts), len(STEPS) - 1)]
    value = " ".join(text.replace("|", " ").split()) if step != "options" else text.strip()
    if not value:
        return _ask(lang, step)
    if step == "options":
        options = [] if value.lower() in NO_OPTIONS else [
            part.strip() for part in value.replace("\n", "|").split("|") if part.strip()]
        candidate = parts + options
    else:
        candidate = parts + [value]
    try:
        draft = check(candidate, services.settings.tz, now())
    except ParseError as problem:
        return _ask(lang, step, t(lang, problem.key, **problem.values))
    if step != "options":
        dialogs.advance(services, actor, ENTRY_DIALOG, STEPS[len(candidate)],
                        {"parts": candidate})
        return _ask(lang, STEPS[len(candidate)])
    dialogs.finish(services, actor)
    return store(services, actor, draft)
