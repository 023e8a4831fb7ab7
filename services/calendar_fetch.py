"""Reading a calendar feed over https, safely: a conditional GET, a timeout, a size limit, no private addresses.

The host is resolved here and the connection is made to an address that was checked (so a name cannot resolve
to a public address for the check and a private one for the connection); every redirect is checked the same
way. The feed's address is a secret: nothing here logs it or puts it in an error.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from domain.errors import FeedFailed, FeedProblem

USER_AGENT = "rapport (calendar reader)"
REDIRECTS = {301, 302, 303, 307, 308}
GONE = {401, 403, 404, 410}  # the secret address was reset, or the calendar is no longer shared
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FeedPolicy:
    """How feeds are read: whether private addresses are allowed, extra CAs, and the limits."""

    allow_private: bool = False
    ca_file: str | None = None
    timeout: float = 10.0  # seconds for connecting, and for each read
    deadline: float = 30.0  # seconds for the whole poll, redirects included
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 3


@dataclass(frozen=True)
class Fetched:
    """A feed's answer: its body (None when it has not changed: 304) and the validators for the next poll."""

    body: bytes | None
    etag: str | None
    last_modified: str | None


def fetch(url: str, *, policy: FeedPolicy, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET the feed (conditionally, with the validators given), following a few checked redirects."""
    deadline = time.monotonic() + policy.deadline
    context = _tls(policy)
    for _ in range(policy.max_redirects + 1):
        response, connection = _request(url, policy, context, etag, last_modified)
        try:
            if response.status in REDIRECTS and response.getheader("Location"):
                url = _redirected(url, response.getheader("Location") or "")
                continue
            if response.status == 304:
                validators = response.getheader("ETag") or etag, response.getheader("Last-Modified") or last_modified
                return Fetched(None, *validators)
            if response.status != 200:
                raise FeedFailed(FeedProblem.REFUSED if response.status in GONE else FeedProblem.HTTP, response.status)
            body = _read(response, policy, deadline)
            return Fetched(body, response.getheader("ETag"), response.getheader("Last-Modified"))
        finally:
            connection.close()
    raise FeedFailed(FeedProblem.REDIRECTS)


def check_address(url: str, *, policy: FeedPolicy) -> list[str]:
    """The addresses the feed's host resolves to, each one public unless private ones are allowed."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FeedFailed(FeedProblem.UNRESOLVABLE) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise FeedFailed(FeedProblem.UNRESOLVABLE)
    if not policy.allow_private and not all(public(a) for a in addresses):
        raise FeedFailed(FeedProblem.PRIVATE)
    return addresses


def public(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, multicast, reserved)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def _tls(policy: FeedPolicy) -> ssl.SSLContext:
    return _context(policy.ca_file)


@functools.lru_cache(maxsize=4)
def _context(ca_file: str | None) -> ssl.SSLContext:
    """The system's certificate authorities (and CALENDAR_CA_FILE's): loading them takes tens of milliseconds, so
    one context serves every poll (an SSLContext may be shared by threads)."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def _request(
    url: str, policy: FeedPolicy, context: ssl.SSLContext, etag: str | None, last_modified: str | None
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    """Connect to a checked address of the host, and send the GET."""
    parts = urlsplit(url)
    addresses = check_address(url, policy=policy)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.1", "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    connection = _Pinned(parts.hostname or "", parts.port or 443, addresses, context, policy.timeout)
    try:
        connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers=headers)
        return connection.getresponse(), connection
    except BaseException as exc:
        connection.close()
        raise _failure(exc) from None


def _redirected(url: str, location: str) -> str:
    """Where a redirect points, when it is https too."""
    target = urljoin(url, location.strip())
    if urlsplit(target).scheme.lower() != "https" or not urlsplit(target).hostname:
        raise FeedFailed(FeedProblem.REDIRECTS)
    return target


def _read(response: http.client.HTTPResponse, policy: FeedPolicy, deadline: float) -> bytes:
    """The body, up to the size limit and the deadline."""
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > policy.max_bytes:
        raise FeedFailed(FeedProblem.TOO_BIG)
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FeedFailed(FeedProblem.TOO_BIG)
            if time.monotonic() > deadline:
                raise FeedFailed(FeedProblem.TIMEOUT)
            chunks.append(chunk)
    except FeedFailed:
        raise
    except BaseException as exc:
        raise _failure(exc) from None
    return b"".join(chunks)


def _failure(exc: BaseException) -> BaseException:
    """A network failure as a FeedFailed (its message, which may hold the address, is dropped)."""
    if isinstance(exc, FeedFailed | KeyboardInterrupt | SystemExit):
        return exc
    if isinstance(exc, TimeoutError | socket.timeout):
        return FeedFailed(FeedProblem.TIMEOUT)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return FeedFailed(FeedProblem.TLS)
    if isinstance(exc, OSError | http.client.HTTPException | ValueError):
        return FeedFailed(FeedProblem.NETWORK)
    return exc


class _Pinned(http.client.HTTPSConnection):
    """An HTTPS connection to checked addresses of a host, with the host's name for SNI and the certificate."""

    def __init__(self, host: str, port: int, addresses: list[str], context: ssl.SSLContext, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses
        self._tls_context = context

    def connect(self) -> None:
        error: OSError | None = None
        for address in self._addresses:
            try:
                sock = socket.create_connection((address, self.port), self.timeout)
            except OSError as exc:
                error = exc
                continue
            try:
                self.sock = self._tls_context.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise
            return
        raise error or OSError("no address to connect to")
