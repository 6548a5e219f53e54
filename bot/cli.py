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


def main() -> None:
    """Entry point of the `cluster-advisor` script."""
    logging.captureWarnings(True)
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
