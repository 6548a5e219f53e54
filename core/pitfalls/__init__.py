"""The five pitfalls: self-check, health warnings from data, funding (issue #5).

Modules: content (the statements and advice from knowledge/selfcheck.toml), scoring,
selfcheck (/selfcheck), summary (/selfcheck_summary), funding_curve and funding (/funding),
health_rules (pure rules), health (/health, the weekly digest lines), charts (matplotlib,
imported only when a chart is drawn).
"""

from __future__ import annotations

from core.actor import Role
from core.pitfalls import funding_entry, health, selfcheck, summary
from core.pitfalls.content import PITFALL_IDS
from core.pitfalls.health import digest_lines
from core.registry import Button, Command, DialogFunction

COMMANDS: tuple[Command, ...] = (
    Command("selfcheck", Role.VISITOR,
            {"de": "Selbstcheck: die fünf Stolpersteine (2 Min.)",
             "en": "Self-check: the five pitfalls (2 min)"}, selfcheck.start,
            private_only=True),
    Command("selfcheck_summary", Role.MANAGER,
            {"de": "Selbstcheck: Durchschnitt im Cluster", "en": "Self-check: cluster average"},
            summary.summary),
    Command("health", Role.MANAGER,
            {"de": "Warnungen zu den Stolpersteinen aus den Daten",
             "en": "Pitfall warnings from the cluster's data"}, health.command),
    Command("funding", Role.MANAGER,
            {"de": "Finanzierung erfassen und mit der Kurve vergleichen",
             "en": "Record funding and compare with the curve"}, funding_entry.command,
            private_only=True),
)
BUTTONS: dict[str, Button] = {
    "selfcheck": Button(Role.VISITOR, selfcheck.press),
    "funding": Button(Role.MANAGER, funding_entry.press),
}
DIALOGS: dict[str, DialogFunction] = {
    selfcheck.FEATURE: selfcheck.typed,
    funding_entry.FEATURE: funding_entry.step,
}
# who may continue a dialog: checked on every step, so a demoted manager cannot finish one
DIALOG_ROLES: dict[str, Role] = {funding_entry.FEATURE: Role.MANAGER}

__all__ = ["BUTTONS", "COMMANDS", "DIALOGS", "PITFALL_IDS", "digest_lines"]
