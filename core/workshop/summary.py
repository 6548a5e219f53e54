"""Summaries people would rather look at than read: per step a short text and a chart
(competences per actor group; the SWOT four-field picture; votes per statement), and the
round as CSV and Markdown (`/workshop` export button, `cluster-advisor workshop export`)."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter

from core.actor import Actor
from core.i18n import t
from core.reply import Attachment, Reply, refused_press, rows
from core.services import Services
from core.workshop import charts
from core.workshop.access import WorkshopProblem, load_round, step_name
from core.workshop.buttons import ACTIONS
from core.workshop.drafts import pitfalls
from storage.engine import session_scope
from storage.members.people import people_of
from storage.workshop.contributions import contributions, vote_counts
from storage.workshop.tables import ACTOR_GROUPS, SWOT_FIELDS, WorkshopContribution, WorkshopRound

TOP = 3
MD_COLUMNS = ("topic", "action", "horizon", "responsible", "participants", "kpi")


def swot_png(items: list[WorkshopContribution], votes: dict[int, int], lang: str,
             title: str) -> bytes:
    fields: dict[str, list[tuple[str, int]]] = {f: [] for f in SWOT_FIELDS}
    for c in sorted(items, key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0)):
        fields[c.swot_field or "S"].append((c.text, votes.get(c.id or 0, 0)))
    return charts.swot_chart(fields, names={f: t(lang, f"ws_field_{f}") for f in SWOT_FIELDS},
                             title=title, more=t(lang, "ws_chart_more"))


def votes_png(items: list[WorkshopContribution], votes: dict[int, int], lang: str,
              title: str) -> bytes:
    ranked = sorted(items, key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0))
    return charts.bar_chart([(f"#{c.id} {c.text}", votes.get(c.id or 0, 0)) for c in ranked],
                            title=title, axis_label=t(lang, "ws_chart_votes"))


def competences_png(items: list[WorkshopContribution], lang: str, title: str) -> bytes:
    counts = Counter(c.actor_group or "others" for c in items)
    return charts.bar_chart([(t(lang, f"ws_group_{g}"), counts.get(g, 0)) for g in ACTOR_GROUPS],
                            title=title, axis_label=t(lang, "ws_chart_competences"))


def summary(services: Services, found: WorkshopRound, step: int, lang: str
            ) -> tuple[str, tuple[Attachment, ...]]:
    """The step's short text and its chart(s)."""
    assert found.id is not None
    with session_scope(services.engine) as session:
        items = contributions(session=session, round_id=found.id, step=step)
        votes = vote_counts(session=session, round_id=found.id)
    title = f"{found.title} · {step_name(lang, step)}"
    authors = len({c.author_id for c in items})
    lines = [t(lang, "ws_summary_title", title=html.escape(title)),
             t(lang, "ws_summary_counts", count=len(items), people=authors)]
    ranked = sorted(items, key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0))
    files: tuple[Attachment, ...]
    if step == 1:
        counts = Counter(c.actor_group or "others" for c in items)
        lines.append(", ".join(f"{t(lang, f'ws_group_{g}')} {counts.get(g, 0)}"
                               for g in ACTOR_GROUPS))
        png = competences_png(items, lang, title)
        files = (Attachment("competences.png", png, "photo"),)
    elif step == 2:
        for field in SWOT_FIELDS:
            inside = [c for c in ranked if c.swot_field == field]
            best = html.escape(inside[0].text[:80]) if inside else "–"
            lines.append(f"<b>{t(lang, f'ws_field_{field}')}</b> ({len(inside)}): {best}")
        files = (Attachment("swot.png", swot_png(items, votes, lang, title), "photo"),
                 Attachment("votes.png", votes_png(items, votes, lang, title), "photo"))
    else:
        lines += [f"#{c.id} 👍{votes.get(c.id or 0, 0)} {html.escape(c.text[:80])}"
                  + (" ⚠️" * len(pitfalls(c.draft)) if step == 4 else "")
                  for c in ranked[:TOP]]
        files = (Attachment("votes.png", votes_png(items, votes, lang, title), "photo"),)
    return "\n".join(lines), files


def press_summary(services: Services, actor: Actor, round_id: int, step: int) -> Reply:
    lang = actor.language
    if not 1 <= step <= 4:
        return refused_press(t(lang, "stale_button"))
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    text, files = summary(services, found, step, lang)
    others = [ACTIONS.button(step_name(lang, s), "summary", round_id, s)
              for s in range(1, 5) if s != step]
    return Reply(text, rows(others + [ACTIONS.button(t(lang, "ws_btn_back"), "card",
                                                     round_id)], 2), attachments=files)


def _rows(services: Services, found: WorkshopRound) -> list[list[str]]:
    assert found.id is not None
    with session_scope(services.engine) as session:
        items = contributions(session=session, round_id=found.id, open_only=False)
        votes = vote_counts(session=session, round_id=found.id)
        people = people_of(session=session, telegram_ids={c.author_id for c in items})
    table: list[list[str]] = []
    for c in items:
        author = people.get(c.author_id)
        draft = c.draft or {}
        table.append([str(c.id), str(c.step), c.swot_field or "", c.actor_group or "",
                      c.text, c.lang, str(votes.get(c.id or 0, 0)), c.status,
                      str(c.merged_into or ""), author[0].name if author else "",
                      str(draft.get("horizon", "")), draft.get("responsible", ""),
                      ", ".join(draft.get("groups", [])), draft.get("kpi", ""),
                      str(c.item_id or "")])
    return table


HEADER_KEYS = ("id", "step", "field", "group", "text", "lang", "votes", "status",
               "merged_into", "author", "horizon", "responsible", "participants", "kpi",
               "item")


def export_csv(services: Services, found: WorkshopRound, lang: str) -> bytes:
    """Every contribution with its author, UTF-8 with BOM for Excel (`;` in German)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "de" else ",")
    writer.writerow([t(lang, f"ws_csv_{key}") for key in HEADER_KEYS])
    for row in _rows(services, found):
        writer.writerow([f"'{v}" if v[:1] in ("=", "+", "-", "@") else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def export_markdown(services: Services, found: WorkshopRound, lang: str) -> bytes:
    """The round as a Markdown document: one section per step, statements by 👍."""
    assert found.id is not None
    with session_scope(services.engine) as session:
        votes = vote_counts(session=session, round_id=found.id)
        by_step = {s: contributions(session=session, round_id=found.id, step=s)
                   for s in range(1, 5)}
    out = [f"# {found.title}", ""]
    for step, items in by_step.items():
        out += [f"## {step}. {step_name(lang, step)}", ""]
        ranked = sorted(items, key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0))
        if step == 4:
            heads = [t(lang, f"ws_md_{key}") for key in MD_COLUMNS]
            out += ["| " + " | ".join(heads) + " |", "|---" * len(heads) + "|"]
            for c in ranked:
                d = c.draft
                cells = [d.get("topic", ""), d.get("action", ""), str(d.get("horizon", "")),
                         d.get("responsible", ""), ", ".join(d.get("groups", [])),
                         d.get("kpi", "")]
                out.append("| " + " | ".join(x.replace("|", "/") for x in cells) + " |")
        else:
            for c in ranked:
                field = f"**{c.swot_field}** " if c.swot_field else ""
                out.append(f"- {field}{c.text} ({votes.get(c.id or 0, 0)} 👍, {c.lang})")
        out.append("")
    return "\n".join(out).encode()


def press_export(services: Services, actor: Actor, round_id: int) -> Reply:
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    files = (Attachment(f"workshop-{round_id}.csv", export_csv(services, found, lang)),
             Attachment(f"workshop-{round_id}.md", export_markdown(services, found, lang)))
    return Reply(t(lang, "ws_exported", id=round_id), attachments=files)
