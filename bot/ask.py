"""`cluster-advisor ask`: answers without the bot, one question or a stream of them.

It needs the knowledge base and the cluster's own entries (#12) — no features — so
`bot.cli` runs it without loading the rest of the command line (start-up time: see
bench/bench_ask_cli.py). The database is only read, never migrated; a SQLite file that does
not exist yet, or a database that cannot be read, leaves the shipped content alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from bot.cli_settings import settings_or_exit
from bot.collector import startup
from core.i18n import t
from core.question_index import matcher_for
from core.settings import Settings
from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.matcher import Match, Matcher


def answering_knowledge(settings: Settings) -> KnowledgeBase:
    """The shipped content plus the cluster's entries, taught phrasings, hidden ids."""
    shipped = load_knowledge_base()
    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return shipped  # no database yet: nothing of the cluster's own (and a fast start)
    from bot.ask_cluster import with_cluster_entries  # the database layer: start-up cost

    return with_cluster_entries(shipped, url)


def _matcher(settings: Settings) -> Matcher:
    """The matcher to answer from; once it is built the garbage collector runs again
    (bot.collector)."""
    matcher = matcher_for(settings, answering_knowledge(settings))
    startup.resume()
    return matcher


def _as_dict(question: str, match: Match, lang: str) -> dict[str, object]:
    entry = match.entry
    return {
        "question": question,
        "lang": lang,
        "topic": entry.id if entry else None,
        "title": entry.title[lang] if entry else None,
        "score": match.score,
        "answer": entry.answer[lang] if entry else None,
        "suggestions": [e.id for e in match.suggestions],
    }


def _plain(question: str, match: Match, lang: str) -> str:
    if match.entry is not None:
        return f"{match.entry.title[lang]}\n\n{match.entry.answer[lang]}\n"
    titles = ", ".join(e.title[lang] for e in match.suggestions) or "/topics"
    return t(lang, "ask_cli_not_sure", suggestions=titles) + "\n"


def _answer(matcher: Matcher, question: str, settings: Settings, lang: str | None
            ) -> tuple[Match, str]:
    match = matcher.match(question, settings.default_language)
    return match, lang or match.lang


def answer_one(question: str, out: TextIO, *, settings: Settings, lang: str | None,
               as_json: bool) -> None:
    matcher = _matcher(settings)
    match, answer_lang = _answer(matcher, question, settings, lang)
    if as_json:
        out.write(json.dumps(_as_dict(question, match, answer_lang), ensure_ascii=False) + "\n")
    else:
        out.write(_plain(question, match, answer_lang))


def answer_lines(lines: TextIO, out: TextIO, *, settings: Settings, lang: str | None,
                 as_json: bool) -> None:
    """One answer per input line; blank lines are skipped."""
    matcher = _matcher(settings)
    for line in lines:
        question = line.strip()
        if not question:
            continue
        match, answer_lang = _answer(matcher, question, settings, lang)
        if as_json:
            out.write(json.dumps(_as_dict(question, match, answer_lang), ensure_ascii=False))
            out.write("\n")
        else:
            out.write(_plain(question, match, answer_lang) + "\n")
    out.flush()


def ask_command(
    question: Annotated[str, typer.Argument(help="The question, or - to read one per line "
                                                 "from standard input.")],
    lang: Annotated[Optional[str], typer.Option(help="Answer in de or en (default: the "  # noqa: UP045
                                                     "question's language).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON objects.")] = False,
) -> None:
    """Answer one question (or one per line from stdin) without starting the bot."""
    settings = settings_or_exit()
    if lang is not None and lang not in ("de", "en"):
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    if question == "-":
        answer_lines(sys.stdin, sys.stdout, settings=settings, lang=lang, as_json=as_json)
    else:
        answer_one(question, sys.stdout, settings=settings, lang=lang, as_json=as_json)
