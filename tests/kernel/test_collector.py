"""The garbage collector during start-up (`bot.collector`, #11): paused by the entry point,
running again once the bot is built, and untouched in a process that did not pause it."""

from __future__ import annotations

import gc

from bot.collector import StartupCollector


def test_the_collector_runs_again_after_start_up_with_the_start_up_frozen() -> None:
    collector = StartupCollector()
    try:
        collector.pause()
        assert not gc.isenabled()
        collector.resume()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up left alive is never walked again
        frozen = gc.get_freeze_count()
        collector.resume()  # a second resume changes nothing
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_process_that_did_not_pause_is_left_alone() -> None:
    gc.unfreeze()
    StartupCollector().resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        StartupCollector().resume()  # someone else's pause is theirs to end
        assert not gc.isenabled()
    finally:
        gc.enable()
