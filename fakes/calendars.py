"""A real https server on loopback serving iCalendar feeds, with a certificate from a CA made for the run.

The app trusts that CA through CALENDAR_CA_FILE and reaches loopback with CALENDAR_ALLOW_PRIVATE=true, so the
tests (and bench/calendars.py) read feeds exactly as production does: DNS, TLS, conditional GET, redirects and
all. Also here: building iCalendar text for them.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme


@dataclass
class Feed:
    """What one path answers: a body with its validators, or a status (and a Location for redirects)."""

    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    location: str | None = None
    content_type: str = "text/calendar; charset=utf-8"
    hang: bool = False  # answer nothing until the server stops (a server that never answers)


@dataclass
class Seen:
    """A request the server answered."""

    path: str
    headers: dict[str, str]
    status: int


@dataclass
class CalendarServer:
    """Feeds by path, over https on 127.0.0.1; records every request."""

    ca: trustme.CA
    feeds: dict[str, Feed] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> CalendarServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (delayed ACKs)

            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.httpd.server_port}{path}"

    def serve(self, path: str, ics: str | bytes, *, etag: str | None = None, last_modified: str | None = None) -> str:
        """Serve `ics` at `path`; returns the feed's URL."""
        body = ics.encode() if isinstance(ics, str) else ics
        with self.lock:
            self.feeds[path] = Feed(body, etag, last_modified)
        return self.url(path)

    def answer(self, path: str, status: int, *, location: str | None = None) -> None:
        """Make `path` answer `status` (a redirect to `location`)."""
        with self.lock:
            self.feeds[path] = Feed(status=status, location=location)

    def hang(self, path: str) -> str:
        """Make `path` answer nothing until the server stops; returns its URL."""
        with self.lock:
            self.feeds[path] = Feed(hang=True)
        return self.url(path)

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            feed = self.feeds.get(handler.path, Feed(status=404))
        if feed.hang:
            self.stopping.wait()
            return
        status = feed.status
        if status == 200 and feed.etag and handler.headers.get("If-None-Match") == feed.etag:
            status = 304
        with self.lock:
            self.seen.append(Seen(handler.path, dict(handler.headers), status))
        body = feed.body if status == 200 else b""
        handler.send_response(status)
        if status == 200:
            handler.send_header("Content-Type", feed.content_type)
        for name, value in (("ETag", feed.etag), ("Last-Modified", feed.last_modified), ("Location", feed.location)):
            if value:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


# Building feeds ---------------------------------------------------------------------------------------------------

WARSAW = """BEGIN:VTIMEZONE
TZID:Europe/Warsaw
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE"""


def calendar(*events: str, timezones: str = WARSAW) -> str:
    """A VCALENDAR holding the events (and the Warsaw time zone), with CRLF line ends as feeds have them."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rapport tests//EN", timezones, *events, "END:VCALENDAR"]
    return "\r\n".join("\n".join(lines).splitlines()) + "\r\n"


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    uid: str, start: datetime | str, *, minutes: int = 60, title: str = "Catch-up", attendees: tuple[str, ...] = (),
    organizer: str | None = "alice@ours.example", extra: tuple[str, ...] = (),
) -> str:  # fmt: skip
    """A VEVENT; `start` is a UTC datetime, or an iCalendar DTSTART line's value part (`;TZID=…:2026…`)."""
    if isinstance(start, datetime):
        times = [f"DTSTART:{utc(start)}", f"DTEND:{utc(start + timedelta(minutes=minutes))}"]
    else:
        times = [f"DTSTART{start}", f"DURATION:PT{minutes}M"]
    people = [f"ATTENDEE;PARTSTAT={a.split('=')[1] if '=' in a else 'ACCEPTED'}:mailto:{a.split('=')[0]}"
              for a in attendees]  # fmt: skip
    boss = [f"ORGANIZER:mailto:{organizer}"] if organizer else []
    return "\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", *times, f"SUMMARY:{title}", *boss, *people,
         *extra, "END:VEVENT"]
    )  # fmt: skip
