"""`cluster-advisor ask`: answers without the bot, one question or a stream of them."""

from __future__ import annotations

import json
from typing import TextIO

from bot.settings import Settings
from knowledge.base import load_knowledge_base
from knowledge.matcher import Match, Matcher


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
    hint = ("Nicht sicher. Vorschläge: " if lang == "de" else "Not sure. Suggestions: ")
    titles = ", ".join(e.title[lang] for e in match.suggestions) or "/topics"
    return hint + titles + "\n"


def _answer(matcher: Matcher, question: str, settings: Settings, lang: str | None
            ) -> tuple[Match, str]:
    match = matcher.match(question, settings.default_language)
    return match, lang or match.lang


def answer_one(question: str, out: TextIO, *, settings: Settings, lang: str | None,
               as_json: bool) -> None:
    matcher = Matcher(load_knowledge_base())
    match, answer_lang = _answer(matcher, question, settings, lang)
    if as_json:
        out.write(json.dumps(_as_dict(question, match, answer_lang), ensure_ascii=False) + "\n")
    else:
        out.write(_plain(question, match, answer_lang))


def answer_lines(lines: TextIO, out: TextIO, *, settings: Settings, lang: str | None,
                 as_json: bool) -> None:
    """One answer per input line; blank lines are skipped."""
    matcher = Matcher(load_knowledge_base())
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
