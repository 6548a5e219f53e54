"""Collecting well: the statements of a step with their 👍 (one per person and statement,
a second tap takes it back), merging proposals shown to the manager before anything is
merged, and the manager's edit, merge and drop. Merged and dropped statements are kept
with their author; a merged one's votes count for the statement it was merged into."""

from __future__ import annotations

import html

from sqlmodel import Session

from core.actor import Actor, Role
from core.i18n import t
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from core.workshop.access import WorkshopProblem, clean_statement, load_round, shown
from core.workshop.buttons import ACTIONS
from core.workshop.duplicates import Proposal, Statement, proposals
from storage.engine import session_scope
from storage.workshop.contributions import (
    contributions,
    get_contribution,
    move_votes,
    save_contribution,
    toggle_vote,
    vote_counts,
)
from storage.workshop.tables import WorkshopContribution

PAGE = 8
SHOWN_PROPOSALS = 6


def press_list(services: Services, actor: Actor, round_id: int, step: int, page: int,
               *, before: str = "") -> Reply:
    """One page of a step's statements, most 👍 first, with a 👍 button each."""
    lang = actor.language
    if not 1 <= step <= 4:
        return refused_press(t(lang, "stale_button"))
    try:
        with session_scope(services.engine) as session:
            load_round(session, actor, round_id)
            found = contributions(session=session, round_id=round_id, step=step)
            votes = vote_counts(session=session, round_id=round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    found.sort(key=lambda c: (-votes.get(c.id or 0, 0), c.id or 0))
    pages = max(1, -(-len(found) // PAGE))
    page = min(page, pages - 1)
    shown_now = found[page * PAGE:(page + 1) * PAGE]
    lines = [t(lang, "ws_list_title", name=t(lang, f"ws_step_{step}"), count=len(found))]
    lines += [shown(c, votes.get(c.id or 0, 0)) for c in shown_now]
    if not found:
        lines.append(t(lang, "ws_list_empty"))
    buttons: list[Choice] = [ACTIONS.button(f"👍 #{c.id}", "vote", c.id or 0, page)
                             for c in shown_now]
    if actor.at_least(Role.MANAGER):
        buttons += [ACTIONS.button(f"🗑 #{c.id}", "drop", c.id or 0) for c in shown_now]
    if page > 0:
        buttons.append(ACTIONS.button("◀️", "list", round_id, step, page - 1))
    if page + 1 < pages:
        buttons.append(ACTIONS.button("▶️", "list", round_id, step, page + 1))
    buttons.append(ACTIONS.button(t(lang, "ws_btn_back"), "card", round_id))
    text = "\n".join(lines)
    return Reply(f"{before}\n\n{text}" if before else text, rows(buttons, 4), edit=True)


def _open_statement(session: Session, actor: Actor, contribution_id: int
                    ) -> WorkshopContribution:
    found = get_contribution(session=session, contribution_id=contribution_id)
    if found is None or found.status != "open":
        raise WorkshopProblem("ws_statement_gone", id=contribution_id)
    load_round(session, actor, found.round_id)
    return found


def press_vote(services: Services, actor: Actor, contribution_id: int, page: int) -> Reply:
    """Give or take back my 👍 for a statement; the list is redrawn in place."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            found = _open_statement(session, actor, contribution_id)
            given = toggle_vote(session=session, contribution_id=contribution_id,
                                voter_id=actor.user_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    reply = press_list(services, actor, found.round_id, found.step, page)
    key = "ws_voted" if given else "ws_unvoted"
    return Reply(reply.text, reply.choices, edit=True, notice=t(lang, key, id=contribution_id))


def round_proposals(services: Services, round_id: int) -> tuple[
        list[Proposal], dict[int, WorkshopContribution]]:
    with session_scope(services.engine) as session:
        found = [c for step in (1, 2, 3) for c in
                 contributions(session=session, round_id=round_id, step=step)
                 if c.status == "open"]
    by_id = {c.id or 0: c for c in found}
    statements = [Statement(c.id or 0, c.text, f"{c.step}{c.swot_field or ''}") for c in found]
    return proposals(statements), by_id


def press_dups(services: Services, actor: Actor, round_id: int, *, before: str = "") -> Reply:
    """The merging proposals: both statements side by side; merging is the manager's tap."""
    lang = actor.language
    try:
        with session_scope(services.engine) as session:
            load_round(session, actor, round_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(lang))
    found, by_id = round_proposals(services, round_id)
    lines = [t(lang, "ws_dups_title", count=len(found))] if found else [t(lang, "ws_dups_none")]
    buttons: list[Choice] = []
    for proposal in found[:SHOWN_PROPOSALS]:
        keep, dup = by_id[proposal.keep], by_id[proposal.duplicate]
        lines.append(t(lang, "ws_dup_line", score=proposal.score,
                       keep=f"#{keep.id} {html.escape(keep.text[:100])}",
                       dup=f"#{dup.id} {html.escape(dup.text[:100])}"))
        buttons.append(ACTIONS.button(t(lang, "ws_btn_merge", dup=dup.id, keep=keep.id),
                                      "merge", keep.id or 0, dup.id or 0))
    buttons.append(ACTIONS.button(t(lang, "ws_btn_back"), "card", round_id))
    text = "\n\n".join(lines)
    return Reply(f"{before}\n\n{text}" if before else text, rows(buttons), edit=True)


def merge(services: Services, actor: Actor, keep_id: int, dup_id: int) -> tuple[int, str]:
    """Merge statement `dup_id` into `keep_id` (same round and step); the round's id and a
    note, or WorkshopProblem."""
    if keep_id == dup_id:
        raise WorkshopProblem("ws_merge_same")
    with session_scope(services.engine) as session:
        keep = _open_statement(session, actor, keep_id)
        dup = _open_statement(session, actor, dup_id)
        if keep.round_id != dup.round_id or keep.step != dup.step:
            raise WorkshopProblem("ws_merge_other_step")
        dup.status, dup.merged_into = "merged", keep_id
        save_contribution(session=session, found=dup)
        move_votes(session=session, source_id=dup_id, target_id=keep_id)
        return keep.round_id, t(actor.language, "ws_merged", dup=dup_id, keep=keep_id)


def press_merge(services: Services, actor: Actor, keep_id: int, dup_id: int) -> Reply:
    try:
        round_id, note = merge(services, actor, keep_id, dup_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(actor.language))
    return press_dups(services, actor, round_id, before=note)


def drop(services: Services, actor: Actor, contribution_id: int) -> WorkshopContribution:
    with session_scope(services.engine) as session:
        found = _open_statement(session, actor, contribution_id)
        found.status = "dropped"
        save_contribution(session=session, found=found)
        return found


def press_drop(services: Services, actor: Actor, contribution_id: int) -> Reply:
    try:
        found = drop(services, actor, contribution_id)
    except WorkshopProblem as problem:
        return refused_press(problem.text(actor.language))
    return press_list(services, actor, found.round_id, found.step, 0,
                      before=t(actor.language, "ws_dropped", id=contribution_id))


def manage_command(services: Services, actor: Actor, verb: str, args: str) -> Reply:
    """/workshop edit ID TEXT · merge KEEP DUPLICATE · drop ID (managers)."""
    lang = actor.language
    parts = args.split(maxsplit=1)
    try:
        if verb == "edit":
            if len(parts) < 2 or not parts[0].isdigit():
                return Reply(t(lang, "ws_manage_usage"))
            text = clean_statement(parts[1])
            with session_scope(services.engine) as session:
                found = _open_statement(session, actor, int(parts[0]))
                found.text = text
                save_contribution(session=session, found=found)
            return Reply(t(lang, "ws_edited", id=found.id))
        numbers = args.split()
        if verb == "merge":
            if len(numbers) != 2 or not all(n.isdigit() and len(n) < 10 for n in numbers):
                return Reply(t(lang, "ws_manage_usage"))
            return Reply(merge(services, actor, int(numbers[0]), int(numbers[1]))[1])
        if len(numbers) != 1 or not numbers[0].isdigit() or len(numbers[0]) >= 10:
            return Reply(t(lang, "ws_manage_usage"))
        drop(services, actor, int(numbers[0]))
        return Reply(t(lang, "ws_dropped", id=int(numbers[0])))
    except WorkshopProblem as problem:
        return Reply(problem.text(lang))
