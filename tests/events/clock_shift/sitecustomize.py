"""Loaded by the bot process of the events' end-to-end test (PYTHONPATH points here): moves
`storage.clock.utcnow` - the one clock of the code base - by the days written in the file
named by CLUSTER_ADVISOR_TEST_CLOCK_FILE, so the test can jump months ahead between two
starts of the real bot. Never on the path outside that test."""

import os
from datetime import timedelta

_PATH = os.environ.get("CLUSTER_ADVISOR_TEST_CLOCK_FILE")
if _PATH:
    import storage.clock as _clock

    _real = _clock.utcnow

    def _shifted():  # type: ignore[no-untyped-def]
        try:
            with open(_PATH, encoding="utf-8") as handle:
                days = float(handle.read().strip() or 0)
        except (OSError, ValueError):
            days = 0.0
        return _real() + timedelta(days=days)

    _clock.utcnow = _shifted
