"""Several senders on one PostgreSQL (and on one SQLite file), as real processes
(`cluster-advisor reminders run-once`) against a slow fake Bot API: racing, every reminder
and digest goes out exactly once and no outcome is reverted; one sender killed with SIGKILL
while Telegram holds its message: at most that one message arrives twice, every other
exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import date
from pathlib import Path

from tests.action_plan.support import berlin
from tests.instances_support import (
    SlowBotApi,
    figures,
    prepare,
    run_once,
    sender_env,
)

OWNERS = list(range(8101, 8121))  # 20 owners + the manager's digest
AT = "2027-03-17T09:30:00"  # Wednesday; the Monday digest of that week is due too


def _finish(process: subprocess.Popen[str], name: str) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, f"{name} failed ({process.returncode}): {err[-3000:]}"
    return out


def test_two_senders_racing_send_everything_once_and_revert_nothing(
        own_database_url: str, tmp_path: Path) -> None:
    expected = prepare(own_database_url, OWNERS, deadline=date(2027, 3, 31),
                       planned=berlin(2027, 3, 1))
    reports: list[str] = []
    with SlowBotApi(delay=0.2, gate=2) as api:  # nothing is sent before both are up
        env = sender_env(own_database_url, api)
        first = run_once(tmp_path, env, "--at", AT)
        try:
            second = run_once(tmp_path, env, "--at", AT)
            reports.append(_finish(second, "second sender"))
        finally:
            reports.append(_finish(first, "first sender"))
        result = figures(own_database_url, api, expected)
    assert (result.lost, result.doubled, result.reverted) == (0, 0, 0), result.line()
    assert result.states == {"sent": len(expected)}, result.line()
    assert result.senders == 2, f"both processes sent a share: {result.line()}; {reports}"


def test_a_sender_killed_mid_send_doubles_at_most_that_message(
        own_database_url: str, tmp_path: Path) -> None:
    expected = prepare(own_database_url, OWNERS, deadline=date(2027, 3, 31),
                       planned=berlin(2027, 3, 1))
    with SlowBotApi(delay=0.1, hold_at=3, gate=2) as api:
        doomed = run_once(tmp_path, sender_env(own_database_url, api, doomed=True), "--at", AT)
        env = sender_env(own_database_url, api)
        survivor = run_once(tmp_path, env, "--at", AT)
        try:
            assert api.held.wait(60), "the doomed sender's third send never came"
            in_flight = api.held_chat
            os.kill(doomed.pid, signal.SIGKILL)  # Telegram has it, the sender never hears
            doomed.wait(10)
        finally:
            api.release.set()
            if doomed.poll() is None:
                doomed.kill()
        _finish(survivor, "surviving sender")
        left = figures(own_database_url, api, expected)
        assert left.states.get("sending") == 1, f"the killed one's message: {left.line()}"
        assert left.reverted == 0, left.line()
        _finish(run_once(tmp_path, env, "--at", AT), "next pass")  # e.g. the restart
        result = figures(own_database_url, api, expected)
    assert result.lost == 0, result.line()
    assert result.doubled == 1 and result.delivered[in_flight] == 2, result.line()
    assert result.reverted == 0 and result.states == {"sent": len(expected)}, result.line()
