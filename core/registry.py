"""The features of this bot, collected: the command table, button tables, dialogs, hooks.

Built once from the list at the wiring point (`bot/features.py`) and reached through
`Services.registry`, so the kernel and every feature can ask "which commands may this role
use?" or "who wants lines in the digest?" without importing any feature.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from core.actor import RANK, Actor, Role
from core.feature import Actions, Command, Dialog, Feature, GroupPost, Job
from core.reply import Reply
from storage.accounts.tables import Member

if TYPE_CHECKING:
    from core.services import Services

logger = logging.getLogger(__name__)


class Registry:
    """Look-ups over the features, in their declared order (= order in /help and menus)."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features: tuple[Feature, ...] = tuple(features)
        self.commands: tuple[Command, ...] = tuple(
            command for feature in self.features for command in feature.commands)
        self._commands = _unique({c.name: c for c in self.commands}, self.commands, "command")
        actions = [table for f in self.features for table in f.actions]
        self._actions: dict[str, Actions] = _unique({a.prefix: a for a in actions}, actions,
                                                    "button prefix")
        dialogs = [d for f in self.features for d in f.dialogs]
        self._dialogs: dict[str, Dialog] = _unique({d.name: d for d in dialogs}, dialogs,
                                                   "dialog")
        answering = [f.free_text for f in self.features if f.free_text is not None]
        if len(answering) > 1:
            raise ValueError("only one feature may answer free text")
        self._free_text = answering[0] if answering else None

    # --- tables ---------------------------------------------------------------------------
    def command(self, name: str) -> Command | None:
        return self._commands.get(name.lower())

    def commands_for(self, role: Role, *, menu_only: bool = False) -> list[Command]:
        """The commands someone with `role` may use, in table order."""
        return [c for c in self.commands
                if RANK[role] >= RANK[c.role] and (c.in_menu or not menu_only)]

    def actions(self, prefix: str) -> Actions | None:
        return self._actions.get(prefix)

    @property
    def button_prefixes(self) -> list[str]:
        return list(self._actions)

    def dialog(self, name: str) -> Dialog | None:
        return self._dialogs.get(name)

    @property
    def jobs(self) -> list[Job]:
        return [job for feature in self.features for job in feature.jobs]

    # --- hooks ----------------------------------------------------------------------------
    def answer_free_text(self, services: Services, actor: Actor, text: str) -> Reply | None:
        return None if self._free_text is None else self._free_text(services, actor, text)

    def start_argument(self, services: Services, actor: Actor, argument: str) -> Reply | None:
        """The first feature's reply to a /start deep-link argument, if any takes it."""
        for feature in self.features:
            if feature.start_argument is not None:
                reply = feature.start_argument(services, actor, argument)
                if reply is not None:
                    return reply
        return None

    def digest_lines(self, services: Services, lang: str, at: Any) -> list[str]:
        """Every feature's lines for the managers' digest; a failing one is left out."""
        lines: list[str] = []
        for feature in self.features:
            if feature.digest_lines is None:
                continue
            try:
                lines.extend(feature.digest_lines(services, lang, at))
            except Exception:  # one broken section must not stop the managers' digest
                logger.exception("Digest lines of %s failed; digest sent without them",
                                 feature.name)
        return lines

    def export_person(self, session: Session, telegram_id: int) -> dict[str, Any]:
        """What every feature stores about one person, keyed by feature."""
        return {f.name: f.privacy.export(session, telegram_id)
                for f in self.features if f.privacy is not None}

    def forget_person(self, session: Session, telegram_id: int,
                      successor_id: int | None) -> None:
        """Delete one person from every feature, in the caller's unit of work."""
        for feature in self.features:
            if feature.privacy is not None:
                feature.privacy.forget(session, telegram_id, successor_id)

    def fill_demo(self, services: Services) -> list[str]:
        """Every feature's demo data, in feature order (members before the plan)."""
        return [line for f in self.features if f.demo is not None for line in f.demo(services)]

    def start_features(self, services: Services) -> None:
        """Warm what the running bot needs (called once, off the event loop)."""
        for feature in self.features:
            if feature.on_start is not None:
                feature.on_start(services)

    def identified(self, session: Session, member: Member) -> None:
        for feature in self.features:
            if feature.identified is not None:
                feature.identified(session, member)

    def watch_group(self, services: Services, post: GroupPost) -> list[Reply]:
        """What follows from a group post: the features' notices and menu refreshes."""
        replies = [feature.group_watcher(services, post) for feature in self.features
                   if feature.group_watcher is not None]
        return [reply for reply in replies if reply is not None]


def _unique(by_key: dict[str, Any], items: Any, what: str) -> dict[str, Any]:
    if len(by_key) != len(items):
        raise ValueError(f"two features define the same {what}")
    return by_key
