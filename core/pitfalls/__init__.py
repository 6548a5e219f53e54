"""The five pitfalls: self-check, health warnings from data, funding (issue #5).

Modules: content (the statements and advice from knowledge/selfcheck.toml), scoring, report
(how scores are shown), selfcheck (/selfcheck and its buttons), summary (/selfcheck_summary),
funding_curve (the talk's curve, input parsing), funding (/funding overview and its buttons,
deleting a year), funding_entry (recording a year), health_rules (pure rules), health_text
(the evidence in words, naming the plan items behind a warning), health (/health, the digest
lines), formatting (dates, euros, percent, lists), charts (matplotlib, imported only when a
chart is drawn).

Two button tables: `selfcheck:…` for everyone (the questions feature links to
`selfcheck:start` under a pitfall answer, as data) and `funding:…` for managers.
"""

from __future__ import annotations

from sqlmodel import Session

from core.actor import Role
from core.feature import Command, Dialog, Feature, Privacy
from core.pitfalls import funding, funding_entry, health, selfcheck, summary
from core.pitfalls.content import PITFALL_IDS
from storage.pitfalls.privacy import forget_member, member_data


def _export(session: Session, telegram_id: int) -> dict[str, object]:
    """A person's self-check results (funding records belong to the cluster)."""
    return member_data(session=session, telegram_id=telegram_id)


def _forget(session: Session, telegram_id: int, successor_id: int | None) -> None:
    """Delete a person's self-check results; funding records stay, without their name."""
    forget_member(session=session, telegram_id=telegram_id, successor_telegram_id=successor_id)


FEATURE = Feature(
    name="pitfalls",
    commands=(
        Command("selfcheck", Role.VISITOR, selfcheck.start, private_only=True),
        Command("selfcheck_summary", Role.MANAGER, summary.summary),
        Command("health", Role.MANAGER, health.command),
        Command("funding", Role.MANAGER, funding_entry.command, private_only=True),
    ),
    actions=(selfcheck.ACTIONS, funding.ACTIONS),
    dialogs=(
        Dialog(selfcheck.DIALOG, selfcheck.typed, Role.VISITOR),
        # checked on every step, so a demoted manager cannot finish an entry
        Dialog(funding.DIALOG, funding_entry.step, Role.MANAGER),
    ),
    digest_lines=health.digest_lines,
    privacy=Privacy(export=_export, forget=_forget),
)

__all__ = ["FEATURE", "PITFALL_IDS"]
