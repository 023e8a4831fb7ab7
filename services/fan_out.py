"""Slack calls to many conversations at once: each DM and channel is its own Slack rate-limit bucket.

One conversation's items run one after another on one worker, so its messages keep their order and a 429
(RetryAfter sleeps in the calling thread) pauses that conversation alone; other conversations go on in the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
DEFAULT_CONCURRENCY = 8  # conversations posted to at once (SWEEP_CONCURRENCY)


def per_conversation(
    items: Iterable[T], *, conversation: Callable[[T], Hashable], work: Callable[[T], object], workers: int
) -> None:
    """Run `work` on every item: in order within a conversation, up to `workers` conversations at once.

    Every conversation is worked to its end even when another's work raises; the first error is raised after.
    """
    queues: dict[Hashable, list[T]] = {}
    for item in items:
        queues.setdefault(conversation(item), []).append(item)
    if len(queues) <= 1:  # nothing to overlap: no threads
        for queue in queues.values():
            _in_order(queue, work)
        return
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(queues))), thread_name_prefix="rapport-post") as pool:
        futures = [pool.submit(_in_order, queue, work) for queue in queues.values()]
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error


def _in_order(queue: list[T], work: Callable[[T], object]) -> None:
    for item in queue:
        work(item)
