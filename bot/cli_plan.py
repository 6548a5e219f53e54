"""CLI commands for plan import/export, reminders run-once."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this feature's commands and sub-commands to the main CLI."""
