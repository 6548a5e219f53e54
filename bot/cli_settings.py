"""Settings for a CLI command, or exit 2 with one line naming the bad setting."""

from __future__ import annotations

import typer

from core.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    """The settings, or exit 2 with one line naming the bad setting."""
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
