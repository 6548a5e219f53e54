"""The cyclic garbage collector paused while the bot starts, then its start-up frozen.

Importing the stack (SQLAlchemy, pydantic, python-telegram-bot, every feature) and building
the question index allocate millions of objects and hardly any garbage cycles; with the
collector on, CPython ran about 470 collections over the growing heap before the first
reply — 0.2-0.45 s of the imports and 0.17 s of the index build (measured with
`gc.get_stats()` in one process: imports 1.45-1.69 s -> 1.22-1.25 s, index 406-422 ms ->
231-259 ms). So the entry point pauses it until the bot is ready; then what is alive is
moved to the permanent generation (`gc.freeze()`: later collections never walk the
modules, the lexicon or the indexes again, which also keeps them cheap in a burst) and the
collector runs as usual for what the bot allocates while it runs. A process that did not
pause it here (the tests, a caller of `bot.app.run_polling`) is left as it is.
"""

from __future__ import annotations

import gc


class StartupCollector:
    """Pause once, resume once; resuming what was not paused here does nothing."""

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            gc.freeze()
            gc.enable()


startup = StartupCollector()
