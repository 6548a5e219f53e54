"""Resident memory of the running bot (goal: < 150 MB with the shipped knowledge base).

Starts `cluster-advisor run` against the fake Bot API on loopback, asks 200 questions and
presses buttons, then reads VmRSS/VmHWM from /proc.

    .venv/bin/python bench/bench_memory.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakebot import FakeBotApi  # noqa: E402

TOKEN = "123456:BENCH-TOKEN-abcdef"
QUESTIONS = [case["q"] for case in tomllib.loads(
    (ROOT / "tests" / "data" / "matcher_cases.toml").read_text(encoding="utf-8"))["case"]]


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def main() -> None:
    api = FakeBotApi(token=TOKEN)
    api.start()
    folder = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
               DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", LOG_LEVEL="WARNING")
    bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=folder, env=env)
    try:
        api.wait_for("getUpdates", timeout=60)
        for number in range(200):
            mark = api.mark()
            api.push_message(1000 + number % 20, QUESTIONS[number % len(QUESTIONS)])
            call = api.wait_for("sendMessage", after=mark, timeout=30)
            keyboard = (call.params.get("reply_markup") or {}).get("inline_keyboard")
            if keyboard and number % 5 == 0:
                mark = api.mark()
                api.push_callback(1000 + number % 20, keyboard[0][0]["callback_data"],
                                  message=api.sent_message(call))
                api.wait_for("answerCallbackQuery", after=mark, timeout=30)
        usage = memory_kb(bot.pid)
        print(f"running bot after 200 questions: RSS {usage['VmRSS'] / 1024:.0f} MB, "
              f"peak {usage['VmHWM'] / 1024:.0f} MB")
    finally:
        bot.send_signal(signal.SIGINT)
        bot.wait(timeout=30)
        api.stop()


if __name__ == "__main__":
    main()
