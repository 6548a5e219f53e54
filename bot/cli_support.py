"""What every CLI command needs: settings (or exit 2 with one line) and started services.

The main command puts a `ServicesOpener` (built from the one list of features) into Typer's
context object, so a feature's CLI module opens services with `started_services(ctx)`
without knowing the list of features.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import cast

import typer

from bot.cli_settings import settings_or_exit
from core.registry import Registry
from core.services import Services, build_services
from core.settings import Settings
from storage.engine import DatabaseUnavailable

# started services for one CLI command; the argument overrides the settings read from .env
ServicesOpener = Callable[[Settings | None], AbstractContextManager[Services]]


def services_or_exit(settings: Settings, registry: Registry) -> Services:
    """Started services, or exit 1 with one line saying why the database can't be used."""
    try:
        return build_services(settings, registry)
    except DatabaseUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def services_opener(registry: Registry) -> ServicesOpener:
    """`with open_services() as services:` knowledge base, matcher, migrated database."""

    @contextmanager
    def open_services(settings: Settings | None = None) -> Iterator[Services]:
        services = services_or_exit(settings or settings_or_exit(), registry)
        try:
            yield services
        finally:
            services.close()

    return open_services


def started_services(ctx: typer.Context,
                     settings: Settings | None = None) -> AbstractContextManager[Services]:
    """The services for this command, from the opener the main command put into `ctx.obj`."""
    root = ctx.find_root()
    return cast(ServicesOpener, root.obj)(settings)
