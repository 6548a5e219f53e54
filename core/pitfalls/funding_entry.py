"""/funding (managers): record income per year and source.

Forms: `/funding` (overview, chart, buttons), `/funding YEAR FEES PUBLIC SERVICES PROJECTS`
(one line), `/funding YEAR` (guided, from the first source), `/funding founded YEAR`,
`/funding delete YEAR` (asks first; the button deletes).
The guided dialog (funding.DIALOG) asks the year, then each source in turn; it is opened
here or by the overview's buttons (funding.ACTIONS).
"""

from __future__ import annotations

import html

from core import dialogs
from core.actor import Actor
from core.dialogs import DialogState
from core.i18n import t
from core.locale import format_number
from core.pitfalls.formatting import euros
from core.pitfalls.funding import (
    DIALOG,
    STEP_FOUNDED,
    STEP_YEAR,
    amounts_of,
    delete_question,
    founded,
    overview,
    save_year,
    this_year,
)
from core.pitfalls.funding_curve import (
    SOURCES,
    InputError,
    parse_amount,
    parse_year,
    parse_year_word,
)
from core.reply import Reply
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.funding import get_funding, store_founded_year

KEEP = "="  # in the dialog: keep the value recorded before
FOUNDED_WORDS = ("founded", "gegründet", "gegruendet", "gruendung", "gründung")
DELETE_WORDS = ("delete", "löschen", "loeschen", "entfernen", "remove")


def explain(lang: str, error: InputError) -> str:
    """The text for a bad input, numbers formatted for the language."""
    values = {k: html.escape(v) if isinstance(v, str)
              else format_number(v, lang) if k == "maximum" and isinstance(v, int) else v
              for k, v in error.values.items()}
    return t(lang, error.key, **values)


def _close_dialog(services: Services, actor: Actor) -> None:
    """A one-line entry supersedes a guided one left open (later text is a question again)."""
    state = dialogs.current(services, actor)
    if state is not None and state.feature == DIALOG:
        dialogs.finish(services, actor)


def set_founded(services: Services, lang: str, text: str) -> tuple[Reply, bool]:
    """Store the founding year unless the CLUSTER_FOUNDED setting decides it.

    Returns the reply and whether the founding year is settled (stored or set by setting).
    """
    start = founded(services)
    if start.source == "setting":
        return Reply(t(lang, "pitfalls_funding_founded_by_setting", founded=start.year)), True
    try:
        year = parse_year(text, this_year=this_year(services), founding=True)
    except InputError as error:
        return Reply(explain(lang, error) + "\n"
                     + t(lang, "pitfalls_funding_ask_founded")), False
    with session_scope(services.engine) as session:
        store_founded_year(session=session, year=year)
    return overview(services, lang, first_line=t(lang, "pitfalls_funding_founded_saved",
                                                 founded=year)), True


def _usage(lang: str, key: str | None = None, **values: object) -> Reply:
    problem = t(lang, key, **values) + "\n\n" if key else ""
    return Reply(problem + t(lang, "pitfalls_funding_usage"))


def _usage_for(lang: str, error: InputError) -> Reply:
    return Reply(explain(lang, error) + "\n\n" + t(lang, "pitfalls_funding_usage"))


def command(services: Services, actor: Actor, args: str) -> Reply:
    """/funding [founded YEAR | delete YEAR | YEAR [FEES PUBLIC SERVICES PROJECTS]]."""
    lang, words = actor.language, args.split()
    if not words:
        return overview(services, lang)
    if words[0].lower() in FOUNDED_WORDS:
        if len(words) != 2:
            return _usage(lang)
        reply, settled = set_founded(services, lang, words[1])
        if settled:
            _close_dialog(services, actor)
        return reply
    if words[0].lower() in DELETE_WORDS:
        if len(words) != 2:
            return _usage(lang)
        try:
            year = parse_year_word(words[1])
        except InputError as error:
            return _usage_for(lang, error)
        return delete_question(services, lang, year)
    if len(words) not in (1, 1 + len(SOURCES)):
        return _usage(lang, "pitfalls_funding_word_count", count=len(words))
    try:
        year = parse_year(words[0], this_year=this_year(services),
                          founded=founded(services).year)
        amounts = {s: parse_amount(w) for s, w in zip(SOURCES, words[1:], strict=False)}
    except InputError as error:
        return _usage_for(lang, error)
    if len(words) == 1:
        return _begin_sources(services, actor, year)
    save_year(services, year, amounts, actor.user_id)
    _close_dialog(services, actor)
    return overview(services, lang, first_line=t(lang, "pitfalls_funding_saved", year=year))


# ---------------------------------------------------------------------------------- dialog
def _existing(services: Services, year: int) -> dict[str, int] | None:
    with session_scope(services.engine) as session:
        row = get_funding(session=session, year=year)
        return amounts_of(row) if row is not None else None


def _ask_source(services: Services, lang: str, year: int, source: str) -> Reply:
    before = _existing(services, year)
    text = t(lang, f"pitfalls_funding_ask_{source}", year=year)
    if before is not None:
        text += "\n" + t(lang, "pitfalls_funding_keep", value=euros(before[source], lang),
                         keep=KEEP)
    return Reply(text)


def _begin_sources(services: Services, actor: Actor, year: int) -> Reply:
    dialogs.begin(services, actor, DIALOG, SOURCES[0], {"year": year, "amounts": {}})
    return _ask_source(services, actor.language, year, SOURCES[0])


def step(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """One answer in the funding dialog: founding year, year, or the next source's amount."""
    lang = actor.language
    if state.step == STEP_FOUNDED:
        reply, settled = set_founded(services, lang, text)
        if settled:
            dialogs.finish(services, actor)
        return reply
    if state.step == STEP_YEAR:
        try:
            year = parse_year(text, this_year=this_year(services),
                              founded=founded(services).year)
        except InputError as error:
            return Reply(explain(lang, error) + "\n"
                         + t(lang, "pitfalls_funding_ask_year", year=this_year(services) - 1))
        return _begin_sources(services, actor, year)
    return _source_step(services, actor, state, text)


def _source_step(services: Services, actor: Actor, state: DialogState, text: str) -> Reply:
    """The amount for one source; after the last one the year is saved."""
    lang = actor.language
    year, amounts = state.data.get("year"), dict(state.data.get("amounts") or {})
    if state.step not in SOURCES or not isinstance(year, int):
        dialogs.finish(services, actor)
        return Reply(t(lang, "pitfalls_funding_dialog_lost"))
    before = _existing(services, year)
    try:
        if text.strip() == KEEP and before is not None:
            amounts[state.step] = before[state.step]
        else:
            amounts[state.step] = parse_amount(text)
    except InputError as error:
        again = _ask_source(services, lang, year, state.step)
        return Reply(explain(lang, error) + "\n" + again.text)
    following = SOURCES.index(state.step) + 1
    if following < len(SOURCES):
        dialogs.advance(services, actor, DIALOG, SOURCES[following],
                        {"year": year, "amounts": amounts})
        return _ask_source(services, lang, year, SOURCES[following])
    dialogs.finish(services, actor)
    save_year(services, year, {s: int(amounts[s]) for s in SOURCES}, actor.user_id)
    return overview(services, lang, first_line=t(lang, "pitfalls_funding_saved", year=year))
