"""Waiting out Slack's 429s with Retry-After, on a clock we can replace (tests never really sleep)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

log = logging.getLogger(__name__)
MAX_WAIT_SECONDS = 120.0


class RetryAfter(RetryHandler):
    """Retries a 429 after the seconds Slack's Retry-After asks for (at least 1, at most two minutes)."""

    def __init__(self, max_retry_count: int = 3, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("retry without a response")
        state.next_attempt_requested = True
        header = next((values for name, values in response.headers.items() if name.lower() == "retry-after"), None)
        try:
            seconds = float(header[0]) if header else 1.0
        except ValueError:
            seconds = 1.0
        seconds = min(max(seconds, 1.0), MAX_WAIT_SECONDS)
        log.info("Slack asked us to slow down (429): retrying %s in %.0f s", request.url, seconds)
        self.sleep(seconds)
        state.increment_current_attempt()
