"""What every CLI command needs: settings (or exit 2 with one line) and started services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from bot.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from bot.settings import Settings
    from core.services import Services


def settings_or_exit() -> Settings:
    """The settings, or exit 2 with one line naming the bad setting."""
    try:
        return load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


@contextmanager
def started_services(settings: Settings | None = None) -> Iterator[Services]:
    """Knowledge base, matcher and a migrated database for one CLI command."""
    from core.services import build_services

    services = build_services(settings or settings_or_exit())
    try:
        yield services
    finally:
        services.close()
