"""`cluster-advisor ask` as a user runs it: start-up of one question, and 10,000 questions
through `ask --json -`, start-up included.

Goals (issue #2): 10,000 questions in <= 10 s on one core; `ask "..."` starts in <= 1.5 s.

    .venv/bin/python bench/bench_ask_cli.py
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXECUTABLE = shutil.which("cluster-advisor") or str(ROOT / ".venv" / "bin" / "cluster-advisor")
QUESTIONS = [case["q"] for case in tomllib.loads(
    (ROOT / "tests" / "data" / "matcher_cases.toml").read_text(encoding="utf-8"))["case"]]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}


def one_core(command: list[str]) -> list[str]:
    """Pin to one CPU where taskset exists, as the goal says 'on one core'."""
    return ["taskset", "-c", "0", *command] if shutil.which("taskset") else command


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        starts, cpus = [], []
        for _ in range(5):
            begin = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(one_core([EXECUTABLE, "ask", "Was ist ein Cluster?"]), cwd=folder,
                           env=_env(), check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            starts.append(time.perf_counter() - begin)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(f"ask 'Was ist ein Cluster?': median {statistics.median(starts):.2f} s, "
              f"max {max(starts):.2f} s over 5 runs; CPU time median "
              f"{statistics.median(cpus):.2f} s")

        lines = [QUESTIONS[i % len(QUESTIONS)] + ("" if i < len(QUESTIONS) else f" {i}")
                 for i in range(10_000)]
        begin = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(one_core([EXECUTABLE, "ask", "--json", "-"]), cwd=folder,
                                env=_env(), check=True, capture_output=True,
                                input="\n".join(lines) + "\n", text=True)
        elapsed = time.perf_counter() - begin
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        answered = len(result.stdout.splitlines())
        print(f"ask --json - : {answered:,} questions in {elapsed:.2f} s "
              f"({answered / elapsed:,.0f}/s), start-up included; CPU time {cpu:.2f} s")


if __name__ == "__main__":
    main()
