"""Post-ack work on a bounded pool of its own, so a slow or failing Slack never delays an ack.

Bolt runs listeners on its listener executor and waits (up to 3 s) for each one to call ack(). A listener that
then calls Slack holds its thread for as long as Slack takes (a 429 back-off: minutes), and once every thread
is busy, new requests wait for a thread and miss Slack's 3 s. So listeners only ack (and, for a modal, check
what was typed) on Bolt's threads, and hand everything that talks to Slack to this pool. Its backlog is bounded:
during a Slack outage new work is refused at once (the user is told to try again) instead of piling up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

log = logging.getLogger("rapport.background")

WORKERS = 8
BACKLOG = 200


class Background:
    """A thread pool with a bounded backlog: reserve() a place before acking, then run() the work in it."""

    def __init__(self, *, workers: int = WORKERS, backlog: int = BACKLOG) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rapport-post-ack")
        self.capacity = workers + backlog  # pieces of work that may run or wait at once
        self._places = threading.BoundedSemaphore(self.capacity)
        self._running: set[Future[None]] = set()
        self._lock = threading.Lock()

    def reserve(self) -> bool:
        """Take a place for one piece of work; False (at once) when the pool and its backlog are full."""
        if self._places.acquire(blocking=False):
            return True
        log.warning("post-ack work refused: %s pieces already running or waiting (is Slack slow?)", self.capacity)
        return False

    def release(self) -> None:
        """Give back a reserved place that is not needed after all."""
        self._places.release()

    def run(self, work: Callable[[], None]) -> None:
        """Run `work` in a place taken with reserve(); the place is free again when it ends."""
        future = self._pool.submit(self._guarded, work)
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._forget)

    def _guarded(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # the work reports its own errors to the user; this is the last line of defence
            log.exception("post-ack work failed")
        finally:
            self._places.release()

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._running.discard(future)

    def wait_idle(self, timeout: float = 30) -> bool:
        """Wait until all work submitted so far has ended (tests settle on it; no sleeps)."""
        while True:
            with self._lock:
                running = list(self._running)
            if not running:
                return True
            _, not_done = wait(running, timeout=timeout)
            if not_done:
                return False

    def shutdown(self) -> None:
        """Finish what is running and waiting, then stop the threads (at exit, Python does this by itself)."""
        self._pool.shutdown(wait=True)
