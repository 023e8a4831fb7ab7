"""A real IMAP server for the tests: pymap's in-memory (dict) backend, in a thread, on a free loopback port.

It speaks IMAP over real sockets: plain, STARTTLS, or implicit TLS (IMAPS) with a certificate made for the
test run. Each test gets a mailbox of its own (a new user), filled with real APPENDs from the test.
"""

from __future__ import annotations

import asyncio
import imaplib
import ssl
import threading
import uuid
from argparse import Namespace
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from proxyprotocol.reader import ProxyProtocolReader
from pymap.backend.dict import Config, DictBackend, Identity, Login
from pymap.imap import IMAPServer
from pymap.user import Passwords, UserMetadata
from pysasl.hashing import BuiltinHash

Result = TypeVar("Result")


@dataclass(frozen=True)
class Account:
    """A mailbox on the test server: who logs in, with what, and where."""

    user: str
    password: str
    host: str
    port: int  # plain IMAP, STARTTLS offered when the server has a certificate
    tls_port: int | None  # implicit TLS (IMAPS), when the server has a certificate

    def url(self, folder: str = "INBOX", *, scheme: str = "imap", port: int | None = None) -> str:
        """IMAP_URL for this account (user and password URL-encoded)."""
        user, password = quote(self.user, safe=""), quote(self.password, safe="")
        return f"{scheme}://{user}:{password}@{self.host}:{port or self.port}/{quote(folder)}"

    def connect(self) -> imaplib.IMAP4:
        """A logged-in imaplib client, for the test's own APPENDs and checks."""
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        return client


class ImapServer:
    """pymap serving in-memory mailboxes from its own asyncio loop in a daemon thread."""

    def __init__(self, *, cert: Path | None = None, key: Path | None = None) -> None:
        self.host = "127.0.0.1"
        self.cert, self._key = cert, key  # the certificate clients must trust (SSL_CERT_FILE), when there is one
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="imap-server", daemon=True)
        self._stack = AsyncExitStack()
        self.port = 0
        self.tls_port: int | None = None

    def start(self) -> ImapServer:
        self._thread.start()
        self._run(self._start())
        return self

    def stop(self) -> None:
        self._run(self._shut_down())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def account(self) -> Account:
        """A new, empty mailbox (INBOX only) with its own user and password."""
        user = f"team-{uuid.uuid4().hex[:8]}@ourco.test"
        password = f"p@ss:/{uuid.uuid4().hex[:6]}"  # characters that must be URL-encoded
        self._run(self._add_user(user, password))
        return Account(user, password, self.host, self.port, self.tls_port)

    def _run(self, coroutine: Coroutine[Any, Any, Result]) -> Result:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _start(self) -> None:
        args = Namespace(debug=False, passlib_cfg=None, proxy_protocol=None, inherited_sockets=None)
        tls = self.cert is not None
        self.config = _Config(
            args, host=self.host, port=0, demo_data=False, demo_user="demo", demo_password="demo",
            tls_enabled=tls, cert_file=str(self.cert) if tls else None, key_file=str(self._key) if tls else None,
            invalid_user_sleep=0.0, reject_dnsbl=False, hash_context=BuiltinHash(rounds=1),  # test passwords: fast
        )  # fmt: skip
        self.config.apply_context()
        backend = DictBackend(Login(self.config), self.config)
        self.backend = backend
        callback = ProxyProtocolReader(self.config.proxy_protocol).get_callback(IMAPServer(backend.login, self.config))
        server = await asyncio.start_server(callback, host=self.host, port=0)
        await self._stack.enter_async_context(server)
        self.port = server.sockets[0].getsockname()[1]
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(self.cert), str(self._key))
            tls_server = await asyncio.start_server(callback, host=self.host, port=0, ssl=context)
            await self._stack.enter_async_context(tls_server)
            self.tls_port = tls_server.sockets[0].getsockname()[1]

    async def _shut_down(self) -> None:
        """Stop listening, then end the connections still open (a client that never logged out)."""
        await self._stack.aclose()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _add_user(self, user: str, password: str) -> None:
        config = self.backend.config
        hashed = await Passwords(config).hash_password(password)
        await Identity(user, self.backend.login, None, frozenset()).set(UserMetadata(config, user, password=hashed))


class _Config(Config):
    """The dict backend's settings, greeting without asking DNS for this machine's name."""

    @property
    def greeting(self) -> bytes:
        return b"Server ready rapport-tests"
