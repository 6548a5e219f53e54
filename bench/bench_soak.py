"""A soak under mixed load on one SQLite file: nothing lost, nothing doubled, never locked.

Runs `cluster-advisor run` (started as bench_throttle.py starts it) against the fake Bot API
on loopback with a SQLite file (WAL) for `--minutes`, while many users write at once, each
waiting for the reply before writing again (a few seconds of thinking between):

* visitors ask questions in German and English (typos, out of scope), browse /topics, switch
  /language, press 👍 under answers;
* members join through the manager's invite link (over the first half of the run), walk
  through /profile and later edit one field, /match by keywords, open events and register
  with the card's button, read /plan mine and mark items done from the reminders they got;
* one manager adds action items with deadlines today, tomorrow and in three days — due at
  REMINDER_TIME, which the soak sets to the whole minute about 40 % into the run — and in two
  or ten days (not due), and creates events for tomorrow, whose day-before reminders fall due
  at the same minute (as does the weekly digest: DIGEST_WEEKDAY is today); some items name a
  member who has not started the bot yet, who is told at the first pass after starting it
  (the bot's or run-once's, whichever comes first); the other manager asks, reads /health
  and /plan;
* every `--run-once-every` seconds `cluster-advisor reminders run-once` runs beside the bot on
  the same file, racing the bot's own pass (every minute).

After the load the soak waits (at most DRAIN seconds) for the passes to deliver, then checks:
every message and every button press answered (the missing ones listed), no reply or
unexplained extra message beyond them; each due plan reminder, "you are responsible" notice,
event reminder and digest sent exactly once — the fake's sendMessage calls against the plan
items, registrations and managers in the database; no "database is locked", traceback or
ERROR in the bot's or run-once's standard error. Printed besides: reply latency p50/p99, the
bot's resident memory at the end and its CPU time. Exit code 1 when a check fails.

    .venv/bin/python bench/bench_soak.py [--minutes 10] [--members 24] [--visitors 16]
                                         [--think 4] [--run-once-every 15] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_throttle import TOKEN, start, stop  # noqa: E402  (the same bot process, same stop)
from soak_crowd import (  # noqa: E402
    BERLIN,
    DIGEST,
    DUE_IN,
    MANAGERS,
    OFFSETS,
    PLAN_REMINDER,
    REPLY_TIMEOUT,
    Person,
    Planner,
    Reader,
    Soak,
    User,
    Visitor,
    button_data,
    live,
    plan_ids,
    unasked,
)
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import select  # noqa: E402

from core.i18n import LANGUAGES  # noqa: E402
from storage.accounts.tables import Member  # noqa: E402
from storage.action_plan.tables import PlanItem  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.events.tables import Event, EventRegistration  # noqa: E402
from tests.fakebot import FakeBotApi  # noqa: E402

DRAIN = 150.0  # s after the load: two passes of the bot (every minute) and of run-once
BAD_LOG = re.compile(r"database is locked|Traceback|\bERROR\b|\bCRITICAL\b")

# -------------------------------------------------------------------------- run-once racer


@dataclass
class RunOnce:
    runs: int = 0
    failed: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    stderr: str = ""


def race(soak: Soak, env: dict[str, str], folder: str, every: float, stop_at: threading.Event,
         result: RunOnce) -> None:
    """`cluster-advisor reminders run-once` beside the bot, on the same file, until stopped."""
    while not stop_at.wait(every):
        done = subprocess.run([sys.executable, "-m", "bot.cli", "reminders", "run-once"],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=300,
                              check=False)
        result.runs += 1
        result.stderr += done.stderr
        if done.returncode:
            result.failed.append(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
        elif not done.stdout.startswith("0 message(s)"):
            result.summaries.append(done.stdout.strip())


# ---------------------------------------------------------------------------------- checks


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def expected(engine: Engine, soak: Soak) -> dict[str, set[Any]]:
    """What must have been sent once, from the database: reminders of the items due at
    REMINDER_TIME (deadline in 0, 1 or 3 days, added before it, a member responsible),
    the notices of every item with a member responsible, an event reminder per registration
    for tomorrow's events, one digest per manager."""
    with session_scope(engine) as session:
        members = {m.id: m.telegram_id for m in session.exec(select(Member)).all()}
        items = session.exec(select(PlanItem)).all()
        tomorrow = soak.today + timedelta(days=1)
        events = {e.id for e in session.exec(select(Event)).all()
                  if aware(e.starts_at).astimezone(BERLIN).date() == tomorrow}
        registrations = session.exec(select(EventRegistration)).all()
    owned = [(i.id, members[i.responsible_id]) for i in items if i.responsible_id in members]
    due = {(i.id, members[i.responsible_id]) for i in items if i.responsible_id in members
           and (i.deadline - soak.today).days in DUE_IN
           and aware(i.created_at) < soak.reminder_at}  # done moves planned_from
    return {"plan reminder": due, "notice": set(owned),
            "event reminder": {(r.event_id, r.telegram_id) for r in registrations
                               if r.event_id in events},
            "digest": set(MANAGERS)}


def delivered(api: FakeBotApi) -> dict[str, list[Any]]:
    """What the passes and the replies' side messages sent, as the fake received it."""
    sent: dict[str, list[Any]] = {"plan reminder": [], "notice": [], "event reminder": [],
                                  "digest": []}
    for call in api.calls_to("sendMessage"):
        kind, chat = unasked(call), call.params.get("chat_id")
        if call.status != 200 or kind is None:
            continue
        text = str(call.params.get("text", ""))
        if kind == "plan":
            notices, reminders = plan_ids(text)
            sent["notice"] += [(i, chat) for i in notices]
            sent["plan reminder"] += [(i, chat) for i in reminders]
        elif kind == "digest":
            sent["digest"].append(chat)
        elif kind == "event reminder":
            ids = {int(m) for _, d in button_data(call) for m in re.findall(r"events:\w+:(\d+)",
                                                                             d)}
            sent["event reminder"] += [(i, chat) for i in sorted(ids)[:1]]
    return sent


def once(want: dict[str, set[Any]], got: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    """Per kind: (expected, sent, lost, doubled, unexpected)."""
    table = {}
    for kind, wanted in want.items():
        sent = got[kind]
        lost = sorted(wanted - set(sent))
        doubled = sorted({x for x in sent if sent.count(x) > 1})
        extra = sorted(set(sent) - wanted)
        table[kind] = (len(wanted), len(sent), lost, doubled, extra)
    return table


def pending(engine: Engine, soak: Soak, api: FakeBotApi) -> int:
    figures = once(expected(engine, soak), delivered(api))
    return sum(len(lost) for _, _, lost, _, _ in figures.values())


def stray(api: FakeBotApi, soak: Soak) -> list[str]:
    """Messages into the users' chats that answer nothing and no pass sent (a reply twice?),
    and calls Telegram refused."""
    answers = {id(e.reply) for e in soak.exchanges if e.reply is not None}
    users = {e.user for e in soak.exchanges}
    lines = []
    for call in api.get_calls():
        if call.method not in ("sendMessage", "editMessageText", "answerCallbackQuery"):
            continue
        if call.status != 200:
            lines.append(f"refused {call.method} [{call.status}] {call.response!r:.150}")
        elif (call.method == "sendMessage" and call.params.get("chat_id") in users
              and id(call) not in answers and unasked(call) is None):
            lines.append(f"unasked message to {call.params.get('chat_id')}: "
                         f"{str(call.params.get('text'))[:100]!r}")
    return lines


def log_errors(log: str) -> dict[str, int]:
    """Distinct bad log records (ERROR, CRITICAL, a traceback, a locked database), each as
    its first line and, for a traceback, the exception it ended in; with counts."""
    found: dict[str, int] = {}
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", log)
    for record in records:
        if not BAD_LOG.search(record):
            continue
        lines = record.strip().splitlines()
        head = re.sub(r"^[\d:, -]+", "", lines[0])
        head = re.sub(r"\d+", "N", head)  # "Update 100072 failed" once, not per update
        last = lines[-1].strip() if len(lines) > 1 else ""
        key = f"{head} -> {last}" if last else head
        found[key] = found.get(key, 0) + 1
    return found


def process_figures(pid: int) -> tuple[float, float, float]:
    """Resident memory now and at its peak (MB), and CPU seconds, of the bot process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, hwm, cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered \
        else float("nan")


# ------------------------------------------------------------------------------------ main

TZ_NAME = "Europe/Berlin"


def settle_reminder_time(load_seconds: float) -> datetime:
    """REMINDER_TIME: the whole minute about 40 % into the load; sleeps until the bot can
    start so that it is (start-up takes 10-20 s)."""
    startup = 20.0
    now = datetime.now(BERLIN)
    target = now + timedelta(seconds=startup + 0.4 * load_seconds)
    moment = (target + timedelta(minutes=1)).replace(second=0, microsecond=0) \
        if target.second or target.microsecond else target
    wait = (moment - target).total_seconds()
    print(f"REMINDER_TIME {moment:%H:%M} ({TZ_NAME}); waiting {wait:.0f} s so that it falls "
          f"40 % into the load", flush=True)
    time.sleep(wait)
    return moment.astimezone(UTC)


@dataclass
class Outcome:
    """Everything the report needs, gathered while the fake and the bot still ran."""

    soak: Soak
    users: int
    racer: RunOnce
    figures: dict[str, tuple[Any, ...]]
    strays: list[str]
    pass_messages: int
    log: str
    load_wall: float
    wall: float
    bench_cpu: float
    rss: float
    hwm: float
    cpu: float


def crowd(soak: Soak, args: argparse.Namespace) -> list[User]:
    rng = random.Random(args.seed)
    users: list[User] = [Planner(soak, MANAGERS[0], "de", rng.random(), args.think),
                         Reader(soak, MANAGERS[1], "en", rng.random(), args.think)]
    users += [Person(soak, 2_000_000 + n, LANGUAGES[n % 2], rng.random(), args.think)
              for n in range(args.members)]
    users += [Visitor(soak, 3_000_000 + n, LANGUAGES[n % 2], rng.random(), args.think)
              for n in range(args.visitors)]
    return users


def run(args: argparse.Namespace, folder: str) -> Outcome:
    """Start the bot, run the load and the racer, wait for the passes, gather the figures."""
    load = args.minutes * 60
    reminder_at = settle_reminder_time(load)
    today = reminder_at.astimezone(BERLIN).date()
    # start() passes the environment on, minus TELEGRAM_* and DATABASE_*: the soak's settings
    os.environ.update(MANAGER_IDS=",".join(map(str, MANAGERS)), TIMEZONE=TZ_NAME,
                      REMINDER_OFFSETS=",".join(map(str, OFFSETS)),
                      REMINDER_TIME=reminder_at.astimezone(BERLIN).strftime("%H:%M"),
                      DIGEST_WEEKDAY=today.strftime("%a").lower(), CLUSTER_NAME="Soak")
    url = f"sqlite:///{folder}/bench.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    with FakeBotApi(token=TOKEN) as api:
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                   DATABASE_URL=url, LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        wall, bench_cpu = time.monotonic(), time.process_time()
        process = start(api, folder)
        soak = Soak(api, time.monotonic() + load, reminder_at, today)
        if reminder_at <= datetime.now(UTC):
            soak.problems.append("the bot started after REMINDER_TIME: no reminder falls due")
        users = crowd(soak, args)
        soak.people = [u.id for u in users if isinstance(u, Person)]
        threads = [threading.Thread(target=live, args=(u,), daemon=True) for u in users]
        halt, racer = threading.Event(), RunOnce()
        engine = make_engine(url)  # the soak's own reads: a third process on the file
        racing = threading.Thread(target=race, args=(soak, env, folder, args.run_once_every,
                                                     halt, racer), daemon=True)
        try:
            for thread in [*threads, racing]:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(1.0, soak.until - time.monotonic()) + REPLY_TIMEOUT * 3)
            load_wall = time.monotonic() - wall
            drain_until = time.monotonic() + DRAIN
            while time.monotonic() < drain_until and pending(engine, soak, api):
                time.sleep(5)
            halt.set()
            racing.join(timeout=300)
            rss, hwm, cpu = process_figures(process.pid)
        finally:
            stop(process)
        figures = once(expected(engine, soak), delivered(api))
        engine.dispose()
        passes = sum(1 for c in api.calls_to("sendMessage") if c.status == 200 and (
            DIGEST.match(str(c.params.get("text", "")))
            or PLAN_REMINDER.search(str(c.params.get("text", "")))))
        return Outcome(soak, len(users), racer, figures, stray(api, soak), passes,
                       (Path(folder) / "advisor.stderr.log").read_text(errors="replace"),
                       load_wall, time.monotonic() - wall, time.process_time() - bench_cpu,
                       rss, hwm, cpu)


def report_answers(out: Outcome, failures: list[str]) -> None:
    messages = [e for e in out.soak.exchanges if not e.what.startswith("press ")]
    presses = [e for e in out.soak.exchanges if e.what.startswith("press ")]
    unanswered = [e for e in messages if e.reply is None]
    unpressed = [e for e in presses if e.answered is None]
    print(f"Messages: {len(messages)} sent ({len(messages) / out.load_wall:.1f}/s), "
          f"{len(messages) - len(unanswered)} answered; button presses: {len(presses)}, "
          f"{len(presses) - len(unpressed)} answered")
    for e in unanswered + unpressed:
        print(f"  MISSING: user {e.user}: {e.what!r} at {datetime.fromtimestamp(e.at):%H:%M:%S}")
        failures.append("a message or press got no answer")
    for line in out.strays[:20]:
        print(f"  {line}")
    if out.strays:
        failures.append(f"{len(out.strays)} refused or unexplained messages")
    replies = [e.latency for e in messages if e.reply is not None]
    answers = [e.latency for e in presses if e.answered is not None]
    print(f"Reply latency over the soak: p50 {percentile(replies, .5) * 1000:.0f} ms, p99 "
          f"{percentile(replies, .99) * 1000:.0f} ms, max {max(replies or [0]) * 1000:.0f} ms; "
          f"press answered p50 {percentile(answers, .5) * 1000:.0f} ms, p99 "
          f"{percentile(answers, .99) * 1000:.0f} ms")
    slowest = sorted((e for e in messages if e.reply is not None), key=lambda e: -e.latency)
    for e in slowest[:3]:
        print(f"  slowest: user {e.user}: {e.what[:40]!r} at "
              f"{datetime.fromtimestamp(e.at):%H:%M:%S}, {e.latency * 1000:.0f} ms")


def report_deliveries(out: Outcome, failures: list[str]) -> None:
    for kind, (want, sent, lost, doubled, extra) in out.figures.items():
        print(f"{kind.capitalize()}s: {want} due, {sent} sent; lost {len(lost)}, doubled "
              f"{len(doubled)}, not due but sent {len(extra)}")
        for label, values in (("lost", lost), ("doubled", doubled), ("not due", extra)):
            if values:
                print(f"  {label}: {values[:20]}")
                failures.append(f"{kind}: {label}")
    by_run_once = sum(int(line.split(" ", 1)[0]) for line in out.racer.summaries
                      if line.split(" ", 1)[0].isdigit())
    print(f"Race: {out.pass_messages} plan reminder and digest messages in all; run-once "
          f"({out.racer.runs} runs) sent {by_run_once} messages (reminders, digests and the "
          f"notices of members who started the bot late), the bot's own pass the rest")


def report_logs(out: Outcome, failures: list[str]) -> None:
    bad = log_errors(out.log + out.racer.stderr)
    locked = sum(count for line, count in bad.items() if "database is locked" in line)
    warnings = [line for line in out.log.splitlines() if " WARNING " in line]
    print(f"Logs: {locked} 'database is locked', {sum(bad.values())} errors or tracebacks "
          f"(bot and run-once), {len(warnings)} warnings in the bot's log; run-once failed "
          f"{len(out.racer.failed)} times")
    for line, count in sorted(bad.items(), key=lambda pair: -pair[1])[:12]:
        print(f"  {count} x {line[:240]}")
    for line in out.racer.failed[:6]:
        print(f"  run-once: {line}")
    if bad or out.racer.failed:
        failures.append("errors in the logs")
    distinct: dict[str, int] = {}
    for problem in out.soak.problems:
        key = re.sub(r"\b\d{7}\b", "N", problem.splitlines()[0] if "crashed" not in problem
                     else problem)
        distinct[key] = distinct.get(key, 0) + 1
    for problem, count in list(distinct.items())[:12]:
        print(f"  problem ({count} x): {problem[:1500]}")
    if out.soak.problems:
        failures.append("users saw problems")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--members", type=int, default=24)
    parser.add_argument("--visitors", type=int, default=16)
    parser.add_argument("--think", type=float, default=4.0, help="mean seconds between two "
                        "messages of one user")
    parser.add_argument("--run-once-every", type=float, default=15.0)
    parser.add_argument("--keep", action="store_true", help="keep the folder (database, logs)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="soak-")
    out = run(args, folder)
    print(f"\nSoak: {args.minutes:g} min of load ({out.load_wall:.0f} s with the users' last "
          f"replies), {out.users} users ({args.members} members, {args.visitors} visitors, "
          f"2 managers), think {args.think:g} s; reminders due at "
          f"{out.soak.reminder_at.astimezone(BERLIN):%H:%M}; run-once every "
          f"{args.run_once_every:g} s")
    failures: list[str] = []
    report_answers(out, failures)
    report_deliveries(out, failures)
    report_logs(out, failures)
    print(f"Bot process at the end: resident {out.rss:.0f} MB (peak {out.hwm:.0f} MB), CPU "
          f"{out.cpu:.0f} s in {out.wall:.0f} s wall; the soak itself {out.bench_cpu:.0f} s CPU")
    if args.keep:
        print(f"Kept: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    print("PASS" if not failures else "FAIL: " + "; ".join(sorted(set(failures))))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
