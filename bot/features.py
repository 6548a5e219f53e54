"""The one list of features, and where each one's command-line tools come from.

Adding a feature: write its package under core/ (it declares a `FEATURE`), then add one
line here. Order matters only for /help and the menus (commands are listed in this order)
and for `cluster-advisor demo` (members before the plan, whose items name them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import typer

from bot import cli_events, cli_members, cli_pitfalls, cli_plan, cli_workshop
from core import action_plan, events, members, pitfalls, questions, start, workshop
from core.feature import Feature
from core.registry import Registry


@dataclass(frozen=True)
class Wiring:
    """A feature and, when it has them, the function that adds its CLI commands."""

    feature: Feature
    cli: Callable[[typer.Typer], None] | None = None


FEATURES: tuple[Wiring, ...] = (
    Wiring(start.FEATURE),
    Wiring(questions.FEATURE),
    Wiring(members.FEATURE, cli_members.register),
    Wiring(action_plan.FEATURE, cli_plan.register),
    Wiring(pitfalls.FEATURE, cli_pitfalls.register),
    Wiring(workshop.FEATURE, cli_workshop.register),
    Wiring(events.FEATURE, cli_events.register),
)


def registry() -> Registry:
    """The features, collected for the kernel."""
    return Registry(wiring.feature for wiring in FEATURES)


def add_cli_commands(app: typer.Typer) -> None:
    """Every feature's `cluster-advisor` sub-commands."""
    for wiring in FEATURES:
        if wiring.cli is not None:
            wiring.cli(app)
