"""Launch to first reply: `cluster-advisor run` against the fake Bot API, beside the echo bot.

A message is waiting in the fake's queue before the process starts; measured is the time
from starting the process to that message's reply reaching the fake — what a member sees
after a deploy or a crash restart. The advisor starts on a fresh SQLite file (migrations
included) and again on the same file (the usual restart); the plain PTB echo bot of
bench_throttle.py is the yardstick.

The project's modules are compiled to bytecode first, as pip does for an installed package
and `make run` for the editable one: under PYTHONDONTWRITEBYTECODE=1 (this machine, many
images) an editable install would otherwise compile its 225 modules at every start, while
the echo bot's libraries were compiled when pip installed them.

Goal (issue #11): the advisor's restart ≤ 1.5× the echo bot.

    .venv/bin/python bench/bench_startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_throttle import QUESTIONS, TOKEN, reply, stop  # noqa: E402
from bench_throttle import __file__ as THROTTLE_BENCH  # noqa: E402

from tests.fakebot import FakeBotApi  # noqa: E402

CHAT = 7_000_001
PACKAGES = ("bot", "core", "handlers", "knowledge", "storage")


def first_reply(folder: str, *, echo: bool) -> float:
    """Seconds from launching the process to the reply to a message already queued."""
    import os

    with FakeBotApi(token=TOKEN) as api:
        api.push_message(CHAT, QUESTIONS[0])
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "DATABASE_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                   DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT))
        command = ([sys.executable, THROTTLE_BENCH, "--echo", "plain", api.base_url] if echo
                   else [sys.executable, "-m", "bot.cli", "run"])
        mark = api.mark()
        launched = time.time()
        process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return reply(api, CHAT, mark).at - launched
        finally:
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=2)
    echo, fresh, restart = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            echo.append(first_reply(folder, echo=True))
        with tempfile.TemporaryDirectory() as folder:
            fresh.append(first_reply(folder, echo=False))
            restart.append(first_reply(folder, echo=False))
    base = statistics.median(echo)
    for name, values in (("echo bot", echo), ("advisor, new database", fresh),
                         ("advisor, restart", restart)):
        middle = statistics.median(values)
        print(f"launch to first reply, {name}: median {middle:.2f} s "
              f"({', '.join(f'{v:.2f}' for v in values)}) = {middle / base:.1f}x the echo bot")


if __name__ == "__main__":
    main()
