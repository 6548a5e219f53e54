"""Step 4: draft actions in the talk's columns (topic, action, time horizon, responsible,
participants) plus KPI — made from the top statements or typed by members — and the
pitfall checks the bot says before the manager saves one into the plan.

The checks are the talk's stumbling blocks as they show in a draft: no KPI -> missing
monitoring and evaluation; one actor group only -> lack of openness; a horizon shorter than
its scope allows -> unclear or unrealistic expectations (the health rule of the pitfalls:
about 90 days per extra participant group, at most a year, and never under three months).
"""

from __future__ import annotations

import html
import re
from typing import Any

from core.actor import Actor
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from core.workshop.access import WorkshopProblem, load_round
from core.workshop.buttons import ACTIONS
from storage.engine import session_scope
from storage.workshop.contributions import (
    add_contribution,
    contributions,
    get_contribution,
    save_contribution,
    vote_counts,
)
from storage.workshop.tables import WorkshopContribution

PLAN_GROUPS = ("research", "companies", "politics", "public_sector", "cluster", "others")
ACTOR_TO_PLAN = {"companies": "companies", "research": "research", "clusters": "cluster",
                 "others": "others"}
GROUP_WORDS = {
    "research": ("forschung", "wissenschaft", "hochschule", "research", "science"),
    "companies": ("unternehmen", "firmen", "wirtschaft", "industrie", "companies",
                  "business", "industry"),
    "politics": ("politik", "politics"),
    "public_sector": ("verwaltung", "öffentliche hand", "kommunen", "public sector",
                      "administration"),
    "cluster": ("cluster", "netzwerk", "network", "cluster/netzwerk", "cluster/network"),
    "others": ("andere", "sonstige", "others", "other"),
}
LIMITS = {"topic": 200, "action": 1000, "responsible": 200, "participants": 500, "kpi": 500}
FIELDS = ("topic", "action", "horizon", "responsible", "participants", "kpi")
DEFAULT_HORIZON = 12  # months
MAX_HORIZON = 120
TOP_STATEMENTS = 5
HORIZON = re.compile(r"^(\d{1,3})\s*([a-zäöü]*)\.?$")
YEAR_WORDS = ("j", "jahr", "jahre", "jahren", "y", "year", "years")
MONTH_WORDS = ("", "m", "mon", "monat", "monate", "monaten", "month", "months")


def parse_horizon(text: str) -> int:
    """'36', '36 Monate', '3 Jahre', '18 months' -> months, or WorkshopProblem."""
    found = HORIZON.match(" ".join(text.lower().split()))
    if not found or found.group(2) not in YEAR_WORDS + MONTH_WORDS:
        raise WorkshopProblem("ws_bad_horizon")
    months = int(found.group(1)) * (12 if found.group(2) in YEAR_WORDS else 1)
    if not 1 <= months <= MAX_HORIZON:
        raise WorkshopProblem("ws_bad_horizon")
    return months


def parse_groups(text: str) -> tuple[list[str], str]:
    """'Forschung, Unternehmen, Stadtwerke X' -> the known groups and the free rest."""
    groups: set[str] = set()
    free: list[str] = []
    for part in re.split(r"[,;]", text):
        word = " ".join(part.lower().split())
        if not word:
            continue
        group = next((g for g, names in GROUP_WORDS.items() if word in names), None)
        if group is None:
            free.append(" ".join(part.split()))
        else:
            groups.add(group)
    return [g for g in PLAN_GROUPS if g in groups], ", ".join(free)


def check_field(name: str, value: str) -> str:
    value = " ".join(value.split())
    if name in ("topic", "action") and not value:
        raise WorkshopProblem("ws_draft_field_empty", field=name)
    if len(value) > LIMITS[name]:
        raise WorkshopProblem("ws_too_long", limit=LIMITS[name], length=len(value))
    return value


def parse_draft(text: str) -> dict[str, Any]:
    """'Topic | Action | Horizon | Responsible | Participants | KPI' (the last three
    optional) -> a checked draft, or WorkshopProblem; nothing is kept half-way."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) < 3 or len(parts) > len(FIELDS):
        raise WorkshopProblem("ws_draft_usage")
    parts += [""] * (len(FIELDS) - len(parts))
    groups, free = parse_groups(parts[4])
    return {"topic": check_field("topic", parts[0]), "action": check_field("action", parts[1]),
            "horizon": parse_horizon(parts[2]),
            "responsible": check_field("responsible", parts[3]), "groups": groups,
            "participants": check_field("participants", free),
            "kpi": check_field("kpi", parts[5]), "source": None}


def pitfalls(draft: dict[str, Any]) -> list[str]:
    """Text keys of the stumbling blocks this draft runs into."""
    found: list[str] = []
    if not draft.get("kpi"):
        found.append("ws_pit_no_kpi")
    groups = list(draft.get("groups", []))
    if len(groups) <= 1:
        found.append("ws_pit_one_group")
    needed_days = max(90, min(90 * max(len(groups) - 1, 0), 365))
    if int(draft.get("horizon", 0)) * 30 < needed_days:
        found.append("ws_pit_short_horizon")
    return found


def columns(draft: dict[str, Any], lang: str) -> str:
    """The draft in the plan's columns, one per line (escaped)."""
    groups = [t(lang, f"ws_plan_group_{g}") for g in draft.get("groups", [])]
    participants = ", ".join([*groups, *([draft["participants"]]
                                         if draft.get("participants") else [])])
    dash = "–"
    return "\n".join([
        t(lang, "ws_col_topic", value=html.escape(draft.get("topic", ""))),
        t(lang, "ws_col_action", value=html.escape(draft.get("action", ""))),
        t(lang, "ws_col_horizon", count=int(draft.get("horizon", 0))),
        t(lang, "ws_col_responsible", value=html.escape(draft.get("responsible") or dash)),
        t(lang, "ws_col_participants", value=html.escape(participants or dash)),
        t(lang, "ws_col_kpi", value=html.escape(draft.get("kpi") or dash)),
    ])


def from_statement(statement: WorkshopContribution) -> dict[str, Any]:
    """A draft that starts from a top statement: its text as topic and action."""
    group = ACTOR_TO_PLAN.get(statement.actor_group or "others", "others")
    return {"topic": statement.text[:LIMITS["topic"]], "action": statement.text,
            "horizon": DEFAULT_HORIZON, "responsible": "", "groups": [group],
            "participants": "", "kpi": "", "source": statement.id}


def load_draft(services: Services, actor: Actor, draft_id: int) -> WorkshopContribution:
    with session_scope(services.engine) as session:
        found = get_contribution(session=session, contribution_id=draft_id)
        if found is None or found.step != 4 or found.status not in ("open", "planned"):
            raise WorkshopProblem("ws_draft_gone", id=draft_id)
        load_round(session, actor, found.round_id)
        return found


def draft_card(services: Services, actor: Actor, draft_id: int, *, before: str = "",
               edit: bool = True) -> Reply:
    """One draft with its pitfall warnings and the button that saves it into the plan."""
    lang = actor.language
    try:
        found = load_draft(services, actor, draft_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    lines = [t(lang, "ws_draft_title", id=draft_id), columns(found.draft, lang)]
    warnings = pitfalls(found.draft)
    if warnings:
        lines.append(t(lang, "ws_pit_intro") + "\n" + "\n".join(
            "⚠️ " + t(lang, key) for key in warnings))
    buttons: list[Choice] = []
    if found.item_id is not None:
        lines.append(t(lang, "ws_draft_planned", item=found.item_id))
    else:
        buttons.append(ACTIONS.button(t(lang, "ws_btn_to_plan"), "to_plan", draft_id, "check"))
    buttons.append(ACTIONS.button(t(lang, "ws_btn_drafts"), "drafts", found.round_id))
    text = "\n\n".join(lines)
    return Reply(f"{before}\n\n{text}" if before else text, rows(buttons), edit=edit)


def press_draft(services: Services, actor: Actor, draft_id: int) -> Reply:
    return draft_card(services, actor, draft_id)


def press_drafts(services: Services, actor: Actor, round_id: int) -> Reply:
    """At step 4: the top statements become drafts (once each); list every draft."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = load_round(session, actor, round_id)
            if found.step != 4:
                raise WorkshopProblem("ws_drafts_step4")
            votes = vote_counts(session=session, round_id=round_id)
            drafts = contributions(session=session, round_id=round_id, step=4)
            sources = {d.draft.get("source") for d in drafts}
            candidates = [c for step in (2, 3) for c in
                          contributions(session=session, round_id=round_id, step=step)
                          if c.status == "open"]
            candidates.sort(key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0))
            for statement in candidates[:TOP_STATEMENTS]:
                if statement.id in sources:
                    continue
                draft = from_statement(statement)
                drafts.append(add_contribution(
                    session=session, round_id=round_id, step=4, author_id=actor.user_id,
                    text=draft["topic"][:300], lang=statement.lang, draft=draft))
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    if not drafts:
        return Reply(t(lang, "ws_drafts_none"), edit=True)
    lines = [t(lang, "ws_drafts_title", count=len(drafts))]
    for row in drafts:
        warn = " ⚠️" * len(pitfalls(row.draft))
        done = f" ✅ #{row.item_id}" if row.item_id else ""
        lines.append(f"#{row.id} {html.escape(row.text[:80])}{warn}{done}")
    buttons = [ACTIONS.button(f"#{d.id}", "draft", d.id) for d in drafts]
    buttons.append(ACTIONS.button(t(lang, "ws_btn_back"), "card", round_id))
    return Reply("\n".join(lines), rows(buttons, 4), edit=True)


def edit_draft(services: Services, actor: Actor, args: str) -> Reply:
    """/workshop draft ID FIELD TEXT: change one column of a draft (managers)."""
    lang = actor.language
    parts = args.split(maxsplit=2)
    if len(parts) < 2 or not parts[0].isdigit() or parts[1].lower() not in FIELDS:
        return Reply(t(lang, "ws_draft_edit_usage"))
    draft_id, name, value = int(parts[0]), parts[1].lower(), parts[2] if len(parts) > 2 else ""
    try:
        found = load_draft(services, actor, draft_id)
        if found.item_id is not None:
            raise WorkshopProblem("ws_draft_planned", item=found.item_id)
        draft = dict(found.draft)
        if name == "horizon":
            draft["horizon"] = parse_horizon(value)
        elif name == "participants":
            draft["groups"], free = parse_groups(value)
            draft["participants"] = check_field("participants", free)
        else:
            draft[name] = check_field(name, value)
    except WorkshopProblem as problem:
        return Reply(problem.text(lang))
    with session_scope(services.engine) as session:
        row = get_contribution(session=session, contribution_id=draft_id)
        assert row is not None
        row.draft = draft
        if name == "topic":
            row.text = draft["topic"][:300]
        save_contribution(session=session, found=row)
    return draft_card(services, actor, draft_id, before=t(lang, "ws_draft_changed"),
                      edit=False)
