"""A real SMTP server for the tests: aiosmtpd in a thread, on a free loopback port, keeping what it receives.

It speaks SMTP over a real socket, so the app's smtplib client, its login and the message it builds are the
real ones. `refuse` makes it turn every message down (a full mailbox, a relay that says no).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session


@dataclass
class Received:
    """One message as the server got it: the envelope's addresses and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class _Handler:
    messages: list[Received] = field(default_factory=list)
    refuse: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "554 5.7.1 Message refused"
        content = envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 OK"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        # Bound to port 0: learn the port the system gave before aiosmtpd connects to check it is up.
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """An SMTP server on 127.0.0.1; with `user` and `password`, it takes only that login (AUTH over plain SMTP)."""

    def __init__(self, *, user: str | None = None, password: str | None = None) -> None:
        self._handler = _Handler()
        self._running = False
        self.logins: list[str] = []
        options: dict[str, Any] = {}
        if user is not None:
            # AUTH over plain SMTP, offered but not required: the test checks the app logged in (self.logins)
            options = {"authenticator": self._check(user, password or ""), "auth_require_tls": False}
        self._controller = _Controller(self._handler, hostname="127.0.0.1", port=0, **options)

    def _check(self, user: str, password: str) -> Any:
        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (user, password)
            if ok:
                self.logins.append(user)
            return AuthResult(success=ok)

        return authenticate

    def start(self) -> SmtpServer:
        self._controller.start()
        self._running = True
        return self

    def stop(self) -> None:
        """Stop listening (a test may stop it early: then this does nothing)."""
        if self._running:
            self._running = False
            self._controller.stop()

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def messages(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.messages)

    def refuse(self) -> None:
        """Turn every message down from now on."""
        self._handler.refuse = True
