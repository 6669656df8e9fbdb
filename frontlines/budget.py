"""A time budget for one article's coding.

A pathological report (a regular expression that backtracks, a paragraph of a million words)
must not hold a batch up: each article gets ``seconds`` of work, and one that runs past them
is skipped with a coded error (E701) while the batch goes on.

How the budget is kept depends on where the work runs:

* in the main thread of a POSIX process (``frontlines run``, a script), an interval timer
  (``SIGALRM``) interrupts the work when the time is up: Python code, and the regular
  expression engine, which checks for signals as it runs, stop at once; a long call into
  compiled code (spaCy) stops when it returns;
* anywhere else (a server's worker thread, or a process whose ``SIGALRM`` is already in use),
  the deadline is checked at each stage boundary (``Budget.check``), so a slow article is still
  skipped, though only once the stage it is in has finished.
"""
from __future__ import annotations

import logging
import signal
import threading
import time

log = logging.getLogger(__name__)

#: Seconds of work an article may take before it is skipped (``frontlines run --article-seconds``).
DEFAULT_ARTICLE_SECONDS = 30.0


class ArticleTimeout(BaseException):
    """The article in hand ran past its time budget.

    A BaseException, as asyncio's CancelledError is: library code's ``except Exception`` must not
    swallow it halfway through an article."""


class Budget:
    """``with Budget(seconds):`` raises ArticleTimeout inside the block once ``seconds`` have passed
    (see the module docstring for where that is immediate and where it waits for ``check``).
    ``seconds`` of None or 0 means no budget."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = float(seconds) if seconds else None
        self.deadline: float | None = None
        self.started = 0.0
        self._armed = False
        self._active = False
        self.expired = False
        self._previous_handler = None

    # ------------------------------------------------------------------ use
    def __enter__(self) -> "Budget":
        self.started = time.monotonic()
        if self.seconds is None:
            return self
        self.deadline = self.started + self.seconds
        self._active = True
        self._armed = self._arm()
        return self

    def __exit__(self, *exc: object) -> None:
        self._active = False
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous_handler)
            self._armed = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self) -> None:
        """Raise ArticleTimeout if the deadline has passed (the check between stages)."""
        if self._active and self.deadline is not None and (self.expired or time.monotonic() > self.deadline):
            self.expired = True
            raise ArticleTimeout(f"over {self.seconds:g}s")

    # ------------------------------------------------------------------ the timer
    def _arm(self) -> bool:
        if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return False
        try:
            current = signal.getsignal(signal.SIGALRM)
            if current not in (signal.SIG_DFL, signal.SIG_IGN, None):
                return False               # someone else's alarm (a test runner's timeout, say): leave it be
            if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
                return False
            self._previous_handler = current
            signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        except (ValueError, OSError) as exc:     # not the main interpreter, or no timer here
            log.debug("no interval timer for the article budget: %s", exc)
            return False
        return True

    def _on_alarm(self, _signum, _frame) -> None:
        if self._active:
            self.expired = True
            raise ArticleTimeout(f"over {self.seconds:g}s")
