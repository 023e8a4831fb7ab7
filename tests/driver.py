"""Signed requests to the real app over HTTP, as Slack sends them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from fakes.slack import MASS_MENTION, TEAM, FakeSlack
from handlers.background import Background
from render.ids import BlockId, CallbackId

SIGNING_SECRET = "test-signing-secret"


class DrainingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, which tests can wait on until every listener has finished (no sleeps)."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def drain(self, timeout: float = 30) -> None:
        """Wait until every submitted listener has finished; an exception that escaped Bolt fails the test."""
        while True:
            with self._lock:
                futures, self._futures = self._futures, []
            if not futures:
                return
            _, not_done = wait(futures, timeout=timeout)
            if not_done:
                raise TimeoutError(f"{len(not_done)} listeners still running after {timeout}s")
            for future in futures:
                if future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackDriver:
    """Sends slash commands, shortcuts, view submissions and events the way Slack does, signed."""

    def __init__(self, url: str, fake: FakeSlack, executor: DrainingExecutor, background: Background) -> None:
        self.url = url
        self.fake = fake
        self.executor = executor
        self.background = background
        self._ids = itertools.count(1)

    def post(
        self, body: str, content_type: str, *, sign: bool = True, timestamp: int | None = None,
        headers: dict[str, str] | None = None, path: str = "/slack/events", wait: bool = True,
    ) -> Response:  # fmt: skip
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, **(headers or {})}
        if sign:
            base = f"v0:{stamp}:{body}".encode()
            digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
            all_headers["X-Slack-Signature"] = f"v0={digest}"
        request = Request(self.url + path, data=body.encode(), headers=all_headers, method="POST")
        try:
            with urlopen(request, timeout=30) as answer:
                response = Response(answer.status, answer.read().decode())
        except HTTPError as error:
            response = Response(error.code, error.read().decode())
        if MASS_MENTION.search(response.body):  # an ack's body (a view, options, a reply) is shown by Slack too
            self.fake.mass_mentions.append(f"ack: {response.body[:300]}")
        if wait:
            self.settle()
        return response

    def settle(self, timeout: float = 30) -> None:
        """Wait until every listener, and all the work they left for after the ack, has finished (no sleeps)."""
        self.executor.drain(timeout)
        if not self.background.wait_idle(timeout):
            raise TimeoutError(f"post-ack work still running after {timeout}s")

    def get(self, path: str) -> Response:
        try:
            with urlopen(self.url + path, timeout=10) as answer:
                return Response(answer.status, answer.read().decode())
        except HTTPError as error:
            return Response(error.code, error.read().decode())

    def next_id(self) -> int:
        return next(self._ids)

    def command_body(
        self, text: str, *, user: str = "UALICE", team: str = TEAM, channel: str = "CGENERAL",
        trigger_id: str | None = None,
    ) -> str:  # fmt: skip
        n = self.next_id()
        return urlencode(
            {
                "token": "legacy", "team_id": team, "team_domain": "acme", "channel_id": channel,
                "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/client",
                "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
                "response_url": self.fake.response_url(f"cmd{n}"), "trigger_id": trigger_id or f"trigger-{n}",
            }
        )  # fmt: skip

    def command(self, text: str, **kwargs: Any) -> Response:
        """`/client <text>` as `user` (default UALICE) in workspace T1."""
        return self.post(self.command_body(text, **kwargs), "application/x-www-form-urlencoded")

    def interact(self, payload: dict[str, Any], **kwargs: Any) -> Response:
        """An interactivity payload (shortcut, block action, view submission, options)."""
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def message_shortcut(
        self, *, text: str, channel: str = "CCLIENT", ts: str = "1789000000.000100", user: str = "UALICE",
        author: str = "UBOB", team: str = TEAM,
    ) -> Response:  # fmt: skip
        n = self.next_id()
        return self.interact(
            {
                "type": "message_action", "callback_id": CallbackId.LOG_CONTACT_SHORTCUT, "trigger_id": f"trigger-{n}",
                "team": {"id": team, "domain": "acme"}, "user": {"id": user, "team_id": team},
                "channel": {"id": channel, "name": "client-acme"}, "api_app_id": "A1", "token": "legacy",
                "message_ts": ts, "message": {"type": "message", "user": author, "ts": ts, "text": text},
                "response_url": self.fake.response_url(f"shortcut{n}"),
            }
        )  # fmt: skip

    def view_submission(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str = "UALICE", team: str = TEAM
    ) -> Response:
        submitted = {**view, "id": view.get("id", "VTEST"), "team_id": team, "state": {"values": values}}
        return self.interact(
            {
                "type": "view_submission", "team": {"id": team, "domain": "acme"},
                "user": {"id": user, "team_id": team}, "api_app_id": "A1", "token": "legacy",
                "trigger_id": f"trigger-{self.next_id()}", "view": submitted,
            }
        )  # fmt: skip

    def options(
        self, action_id: str, value: str, *, view: dict[str, Any], user: str = "UALICE", team: str = TEAM
    ) -> Response:
        return self.interact(
            {
                "type": "block_suggestion", "action_id": action_id, "block_id": BlockId.CLIENT, "value": value,
                "team": {"id": team, "domain": "acme"}, "user": {"id": user, "team_id": team},
                "api_app_id": "A1", "token": "legacy", "view": {**view, "team_id": team},
            }
        )  # fmt: skip
