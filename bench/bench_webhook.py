"""Webhook mode against long polling: the same bot, the same fake Bot API, the same burst.

Runs `cluster-advisor run` and `cluster-advisor run --webhook` as subprocesses against the
fake Bot API on loopback (SQLite file, every feature on). In webhook mode the fake POSTs each
update to the bot's loopback port with the secret header, one after another as soon as the
previous one was accepted (Telegram keeps up to 40 connections open; one is the harder
case). Measured per mode: `users` users write at the same moment, `rounds` times; updates
answered per second and reply latency p50/p99 (update queued in the fake → reply reached the
fake), plus the time a `GET /healthz` takes.

    .venv/bin/python bench/bench_webhook.py [--users 50] [--rounds 4]

Bounded: about a minute; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from bench_throttle import burst, stop  # noqa: E402  (the same burst as for polling)

from tests.fakebot import FakeBotApi  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdef"
SECRET = "bench-webhook-secret-0123456789"
PUBLIC_URL = "https://bot.example.test/telegram"
TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(api: FakeBotApi, folder: str, port: int | None) -> subprocess.Popen[bytes]:
    """The advisor polling (port None) or on webhooks at 127.0.0.1:port."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
               DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", LOG_LEVEL="WARNING",
               PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "bot.cli", "run"]
    if port is not None:
        env.update(WEBHOOK_URL=PUBLIC_URL, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))
        command.append("--webhook")
    stderr = open(Path(folder) / "advisor.stderr.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=stderr)
    api.wait_for("getUpdates" if port is None else "setWebhook", timeout=TIMEOUT)
    if port is not None:
        api.deliver_webhooks_to(f"http://127.0.0.1:{port}")
    return process


def health_ms(port: int, times: int = 50) -> float:
    took = []
    for _ in range(times):
        began = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
        took.append(time.perf_counter() - began)
    return statistics.median(took) * 1000


def run(webhook: bool, args: argparse.Namespace) -> dict[str, float]:
    with FakeBotApi(token=TOKEN) as api, tempfile.TemporaryDirectory() as folder:
        port = free_port() if webhook else None
        process = start(api, folder, port)
        try:
            results = burst(api, args.users, args.rounds, 7_000_000)
            if port is not None:
                results["health_ms"] = health_ms(port)
        finally:
            stop(process)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    polling, webhook = run(False, args), run(True, args)
    for name, r in (("polling", polling), ("webhook", webhook)):
        extra = f", GET /healthz median {r['health_ms']:.1f} ms" if "health_ms" in r else ""
        print(f"{name}: burst of {args.users} users x {args.rounds}: {r['rate']:.0f} updates/s, "
              f"reply p50 {r['p50'] * 1000:.0f} ms, p99 {r['p99'] * 1000:.0f} ms{extra}")
    print(f"webhook / polling: throughput {webhook['rate'] / polling['rate']:.2f}x, "
          f"p99 {webhook['p99'] / polling['p99']:.2f}x")


if __name__ == "__main__":
    main()
