"""One throttled chat must not stall the others, and how many updates a second the bot answers.

Runs `cluster-advisor run` as a subprocess against the fake Bot API on loopback (SQLite file,
every feature on) and measures:

1. **Throttled neighbour**: Telegram answers chat A's next message with 429, retry_after 30;
   while A waits, chat B asks five questions, one a second. Reported: how much A's
   throttling adds to B's reply latency (B's slowest reply during minus B's median before;
   goal ≤ 1 s, with PTB's AIORateLimiter it was the whole 30 s) and when A's reply went out.
2. **Burst**: 50 users write at the same moment, several rounds (the first round are new
   users, so their first contact is recorded too). Reported: updates answered per second
   and reply latency p50/p99 (from the update being queued to the reply reaching the fake).

The burst runs twice for the advisor: with Telegram's limit of 30 messages a second (the
default, `TELEGRAM_MESSAGES_PER_SECOND`), which caps a 50-user burst near 30 updates/s by
design, and with the limit lifted to 1,000 (paid broadcasts), which shows the bot's own
per-update cost against the echo bot (the issue's ratio).

Both are run for a plain python-telegram-bot echo bot on the same fake for comparison (written
below, `--echo`): PTB's defaults (one update at a time, no rate limiter) for the burst, and
with `AIORateLimiter(max_retries=3)` — what the advisor used before — for the throttling.
Note the advisor keeps Telegram's limit of 30 messages in any second, so a burst of 50
replies cannot finish in less than a second; the echo bot keeps no limit at all.

    .venv/bin/python bench/bench_throttle.py [--rounds 4] [--users 50] [--retry-after 30]

Bounded in time: about 1.5 minutes (two 30 s waits); every wait has a timeout.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    AIORateLimiter,
    Application,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebot import Call, FakeBotApi  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdef"
QUESTIONS = ["Was ist ein Cluster?", "Was ist ein Netzwerk?", "Wie finanziert man ein Cluster?",
             "What is cluster management?", "Welche Aufgaben hat ein Clustermanager?"]
THROTTLED, NEIGHBOUR = 5_000_001, 5_000_002
REPLY_TIMEOUT = 60.0


def start(api: FakeBotApi, folder: str, *, echo: str | None = None,
          per_second: int = 30) -> subprocess.Popen[bytes]:
    """The advisor (`cluster-advisor run`, at most `per_second` messages a second) or the
    echo bot, polling the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
               DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", LOG_LEVEL="WARNING",
               PYTHONPATH=str(ROOT), TELEGRAM_MESSAGES_PER_SECOND=str(per_second))
    command = ([sys.executable, __file__, "--echo", echo, api.base_url] if echo
               else [sys.executable, "-m", "bot.cli", "run"])
    stderr = open(Path(folder) / f"{echo or 'advisor'}.stderr.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=stderr)
    api.wait_for("getUpdates", timeout=60)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def reply(api: FakeBotApi, chat: int, after: int, timeout: float = REPLY_TIMEOUT) -> Call:
    """The next accepted sendMessage into `chat` after call index `after`."""
    return api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat
                        and c.status == 200, timeout=timeout, after=after)


def ask(api: FakeBotApi, chat: int, text: str) -> float:
    """Seconds from queuing a message to the bot's reply reaching the fake."""
    mark = api.mark()
    sent = time.time()
    api.push_message(chat, text)
    return reply(api, chat, mark).at - sent


def throttled_neighbour(api: FakeBotApi, retry_after: int) -> dict[str, float]:
    """B's latency before and while A waits out a 429; when A's reply went out."""
    for chat in (THROTTLED, NEIGHBOUR):
        ask(api, chat, QUESTIONS[0])
    before = [ask(api, NEIGHBOUR, QUESTIONS[n % len(QUESTIONS)]) for n in range(5)]
    time.sleep(3.1)  # the neighbour's own per-chat window is empty again
    mark = api.mark()
    api.fail_next("sendMessage", error_code=429, retry_after=retry_after, chat_id=THROTTLED,
                  description=f"Too Many Requests: retry after {retry_after}")
    api.push_message(THROTTLED, QUESTIONS[1])
    refused = api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == THROTTLED,
                           timeout=REPLY_TIMEOUT, after=mark)
    during = []
    for n in range(5):
        during.append(ask(api, NEIGHBOUR, QUESTIONS[n % len(QUESTIONS)]))
        if n < 4:
            time.sleep(1.05)  # one a second: the neighbour's own limit is not what we measure
    late = reply(api, THROTTLED, mark, timeout=retry_after + REPLY_TIMEOUT)
    return {"before_p50": statistics.median(before), "during_p50": statistics.median(during),
            "during_max": max(during), "added": max(during) - statistics.median(before),
            "throttled_reply_after": late.at - refused.at}


def burst(api: FakeBotApi, users: int, rounds: int, first_user: int) -> dict[str, float]:
    """`users` messages at once, `rounds` times; throughput and reply latencies."""
    latencies: list[float] = []
    rates: list[float] = []
    for round_ in range(rounds):
        if round_:
            time.sleep(3.1)  # nobody's per-chat window is still filled
        mark = api.mark()
        chats = range(first_user, first_user + users)
        queued: dict[int, float] = {}
        for n, chat in enumerate(chats):
            queued[chat] = time.time()
            api.push_message(chat, QUESTIONS[n % len(QUESTIONS)])
        replies = {chat: reply(api, chat, mark) for chat in chats}
        latencies += [replies[chat].at - queued[chat] for chat in chats]
        rates.append(users / (max(c.at for c in replies.values()) - min(queued.values())))
    ordered = sorted(latencies)
    return {"rate": statistics.median(rates), "first_round_rate": rates[0],
            "p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]}


def run(echo: str | None, args: argparse.Namespace, *, per_second: int = 30,
        throttle: bool = True) -> dict[str, dict[str, float]]:
    """Start the bot, measure (the burst unless "aiorl", the throttling unless "plain")."""
    results: dict[str, dict[str, float]] = {}
    with FakeBotApi(token=TOKEN) as api, tempfile.TemporaryDirectory() as folder:
        process = start(api, folder, echo=echo, per_second=per_second)
        try:
            if echo != "aiorl":
                results["burst"] = burst(api, args.users, args.rounds, 6_000_000)
            if echo != "plain" and throttle:
                results["throttle"] = throttled_neighbour(api, args.retry_after)
        finally:
            stop(process)
    return results


def report(name: str, results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    if "burst" in results:
        b = results["burst"]
        print(f"{name}: burst of {args.users} users x {args.rounds}: {b['rate']:.0f} updates/s "
              f"(first round, new users: {b['first_round_rate']:.0f}/s), reply p50 "
              f"{b['p50'] * 1000:.0f} ms, p99 {b['p99'] * 1000:.0f} ms")
    if "throttle" in results:
        t = results["throttle"]
        print(f"{name}: chat A throttled ({args.retry_after} s): chat B's reply p50 "
              f"{t['before_p50'] * 1000:.0f} ms before, {t['during_p50'] * 1000:.0f} ms during, "
              f"slowest {t['during_max'] * 1000:.0f} ms -> adds {t['added'] * 1000:.0f} ms; "
              f"A's reply went out {t['throttled_reply_after']:.1f} s after the 429")


# ---------------------------------------------------------------------------- the echo bot


def echo_bot(kind: str, base_url: str) -> None:
    """A plain PTB echo bot (`kind` "plain": PTB's defaults; "aiorl": AIORateLimiter)."""

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    builder = Application.builder().token(TOKEN).base_url(base_url)
    application = (builder.rate_limiter(AIORateLimiter(max_retries=3)).build() if kind == "aiorl"
                   else builder.build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--echo":
        echo_bot(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--retry-after", type=int, default=30)
    args = parser.parse_args()
    started = time.monotonic()
    report("advisor", run(None, args), args)
    ceiling = run(None, args, per_second=1000, throttle=False)
    report("advisor, TELEGRAM_MESSAGES_PER_SECOND=1000 (its own ceiling)", ceiling, args)
    echo = run("plain", args)
    report("PTB echo bot, defaults", echo, args)
    report("PTB echo bot, AIORateLimiter", run("aiorl", args), args)
    own, plain = ceiling["burst"], echo["burst"]
    print(f"advisor's own ceiling vs the echo bot: throughput {own['rate'] / plain['rate']:.2f}x "
          f"(goal >= 0.8x), reply p99 {own['p99'] / plain['p99']:.2f}x (goal <= 1.5x)")
    print(f"(bench took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
