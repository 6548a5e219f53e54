"""`cluster-advisor`: the entry point.

`cluster-advisor ask …` is answered from the knowledge base alone, so it is dispatched
before the full command line (`bot.commands`: database layer, every feature) is imported;
that keeps a one-off question and `ask --json -` fast. Everything else goes to the full CLI.
"""

from __future__ import annotations

import logging
import sys

import typer

from bot.ask import ask_command
from bot.collector import startup


def skip_httpx_command_line() -> None:
    """httpx imports its own command-line client when rich and pygments are installed
    (typer brings both): 5 MB of the bot's memory and 30 ms of its start-up for a tool it
    never runs. None in sys.modules makes that one import fail, and httpx falls back to the
    stub it has for when they are missing (`httpx/__init__.py`: `except ImportError`)."""
    if "httpx" not in sys.modules:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]


def main() -> None:
    """Entry point of the `cluster-advisor` script."""
    logging.captureWarnings(True)
    skip_httpx_command_line()
    startup.pause()  # until the index is built or the bot is ready (bot.collector)
    if sys.argv[1:2] == ["ask"]:  # the fast path: knowledge base only
        ask_app = typer.Typer(add_completion=False)
        ask_app.command()(ask_command)
        ask_app(args=sys.argv[2:], prog_name="cluster-advisor ask")
        return
    from bot.commands import app  # the full command line

    if sys.argv[1:2] != ["run"]:
        startup.resume()
    app()


if __name__ == "__main__":
    main()
