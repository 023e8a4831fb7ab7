"""Signed Events API requests sent at a paced rate, as Slack sends them, with each ack's latency.

bench.channels runs `send` in a process of its own (`LoadProcess`), so the client's threads do not share the
app's interpreter lock: the latencies are what Slack would see, less the network. Only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import math
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from types import TracebackType

SLACK_ACK_DEADLINE = 3.0  # seconds: Slack retries an event it has no answer for by then
TIMEOUT = 30.0  # seconds the client waits for an answer before counting it as failed


@dataclass(frozen=True)
class Delivery:
    """One request: when it is due (seconds after the burst starts), its JSON body, its retry number (0: first),
    and which message it carries (deliveries of one message share it)."""

    due: float
    body: bytes
    retry: int = 0
    key: str = ""


@dataclass(frozen=True)
class Sent:
    """What happened to one delivery: when it went (seconds after the start), how long the ack took, its status."""

    due: float
    sent: float
    latency: float
    status: int  # 0: no answer (refused, reset or timed out)
    error: str = ""  # why there was no answer


@dataclass(frozen=True)
class Burst:
    """A burst's results, in the order of the deliveries, the wall-clock time (epoch) it started at, and the CPU
    seconds the sending process used."""

    started: float
    sent: list[Sent]
    cpu: float

    def first_send(self) -> float:
        return self.started + min(s.sent for s in self.sent)

    def last_send(self) -> float:
        return self.started + max(s.sent for s in self.sent)


def signed_headers(secret: str, body: bytes, retry: int) -> dict[str, str]:
    """Slack's headers: the v0 signature of the timestamp and body, and for a retry its number and reason."""
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp}
    headers["X-Slack-Signature"] = f"v0={digest}"
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return headers


def post(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST on a new connection (as the app's server closes each one): the status, or 0 and why no answer came."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status, ""
    except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out: Slack counts it as not acked
        return 0, f"{type(error).__name__}: {error}"
    finally:
        connection.close()


def send(host: str, port: int, path: str, secret: str, deliveries: list[Delivery], senders: int) -> Burst:
    """Send every delivery at its due time (a wall-clock schedule, so lateness never adds up) from `senders` threads.

    A thread takes the next delivery, sleeps until it is due, sends it and waits for the ack; with every thread
    waiting for an ack, the next delivery goes late (the burst's `sent` times show it).
    """
    results: list[Sent | None] = [None] * len(deliveries)
    cpu = time.process_time()
    taken = itertools.count()
    lock = threading.Lock()
    start = time.perf_counter() + 0.2  # every thread is waiting when the first delivery is due
    started = time.time() + 0.2

    def work() -> None:
        while True:
            with lock:
                index = next(taken)
            if index >= len(deliveries):
                return
            delivery = deliveries[index]
            time.sleep(max(0.0, start + delivery.due - time.perf_counter()))
            headers = signed_headers(secret, delivery.body, delivery.retry)
            before = time.perf_counter()
            status, error = post(host, port, path, delivery.body, headers)
            results[index] = Sent(delivery.due, before - start, time.perf_counter() - before, status, error)

    threads = [threading.Thread(target=work, name=f"sender-{n}") for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Burst(started, [r for r in results if r is not None], time.process_time() - cpu)


def ready() -> bool:
    return True


class LoadProcess:
    """A process of its own that sends bursts (spawned, not forked: the app's threads are running)."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))

    def __enter__(self) -> LoadProcess:
        self._pool.submit(ready).result()  # started and imported before any burst is timed
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True)

    def send(self, url: str, secret: str, deliveries: list[Delivery], senders: int) -> Burst:
        """Send the burst to `url` (http://host:port/path) and wait for every ack."""
        host_port, _, path = url.removeprefix("http://").partition("/")
        host, _, port = host_port.partition(":")
        return self._pool.submit(send, host, int(port), "/" + path, secret, deliveries, senders).result()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0.95: p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(share * len(ordered)))) - 1]
