"""CLI commands for members import/export, match."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this feature's commands and sub-commands to the main CLI."""
