"""Several reminder senders on one PostgreSQL: lost, doubled and reverted messages.

Two instances of the bot (`cluster-advisor run`, each with its reminder job) and a
`cluster-advisor reminders run-once` from cron start at the same moment against one
PostgreSQL and a fake Bot API that takes `--delay` seconds per message (slow sends), with
`--owners` reminders and the managers' digest due now. Nothing is accepted before all three
have said hello to the Bot API, so they really race. Counted from the fake (what Telegram
accepted) and an audit trigger on the reminder table (every state change):

- **lost**: people who got nothing; **doubled**: messages beyond one per person;
- **reverted**: rows that went from a final state (sent, unreachable, ...) back to another.

Second scenario, `kill -9`: the same race, and one instance is killed with SIGKILL while
Telegram holds its third message (it arrived, the sender never hears). The surviving
instance's next pass (a minute later) takes over the dead one's row. Expected: at most that
one message twice, everything else once.

    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/bench_instances.py [--owners 60] [--delay 0.1] [--no-kill]

Bounded in time: about 1.5 minutes with the kill scenario (it waits for the next pass).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import fresh_database  # noqa: E402
from tests.instances_support import (  # noqa: E402
    Figures,
    SlowBotApi,
    figures,
    prepare,
    run_once,
    sender_env,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _due_now() -> dict[str, str]:
    """Settings under which every reminder and today's digest is due right now."""
    return {"TIMEZONE": "UTC", "REMINDER_TIME": "00:00",
            "DIGEST_WEEKDAY": WEEKDAYS[datetime.now(UTC).weekday()]}


def _bot(workdir: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    log = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=workdir, env=env,
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_delivered(api: SlowBotApi, expected: set[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not expected <= set(api.delivered()):
        time.sleep(0.2)


def race(base: str, owners: int, delay: float, kill: bool) -> Figures:
    """One race of two bot instances and a run-once; optionally kill one instance mid-send."""
    settings = _due_now()
    with fresh_database(base) as url, tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        today = datetime.now(UTC).date()
        expected = prepare(url, list(range(9001, 9001 + owners)), deadline=today,
                           planned=datetime.now(UTC) - timedelta(days=1),
                           **{k.lower(): v for k, v in settings.items()})
        with SlowBotApi(delay=delay, hold_at=3 if kill else 0, gate=3) as api:
            started = time.monotonic()
            bots = [_bot(workdir, sender_env(url, api, doomed=kill, **settings), "first"),
                    _bot(workdir, sender_env(url, api, **settings), "second")]
            cron = run_once(workdir, sender_env(url, api, **settings))
            try:
                if kill:
                    if not api.held.wait(90):
                        raise SystemExit("the doomed instance never sent its third message")
                    os.kill(bots[0].pid, signal.SIGKILL)
                    bots[0].wait(10)
                    api.release.set()
                _wait_delivered(api, expected, 150 if kill else 60)
                took = time.monotonic() - started  # start-up of the processes included
                cron.communicate(timeout=180)
                if kill:  # the survivor's next pass takes the dead one's row over
                    deadline = time.monotonic() + 80
                    while time.monotonic() < deadline:
                        done = figures(url, api, expected)
                        if done.states.get("sending", 0) == 0:
                            break
                        time.sleep(1)
                time.sleep(2)  # anything sent twice would arrive now
            finally:
                api.release.set()
                for bot in bots:
                    _stop(bot)
                if cron.poll() is None:
                    cron.kill()
            result = figures(url, api, expected)
        print(f"  everyone had a message {took:.1f} s after the three processes were started"
              if not result.lost else "  incomplete")
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--owners", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        print("bench_instances: TEST_DATABASE_URL is not set (a PostgreSQL to race on); "
              "skipped")
        return
    print(f"Two instances + run-once on one PostgreSQL, {args.owners} reminders + digest, "
          f"{args.delay:.2f} s per send:")
    plain = race(base, args.owners, args.delay, kill=False)
    print(f"  race:    {plain.line()}")
    if not args.no_kill:
        killed = race(base, args.owners, args.delay, kill=True)
        print(f"  kill -9: {killed.line()}")


if __name__ == "__main__":
    main()
