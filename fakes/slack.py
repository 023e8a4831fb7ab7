"""A stand-in for Slack's Web API over real HTTP, in a thread, recording every call (as bolt-python tests do)."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import yaml

from fakes.slack_files import Served, SlackFiles

TEAM = "T1"
# What would notify a whole channel, workspace or group if the app sent it: Slack's special mentions, and the
# words Slack may parse into them (rapport sends them with an invisible word joiner after the @).
MASS_MENTION = re.compile(r"<!(?:channel|here|everyone|subteam\^)|(?<![\w@])@(?:channel|here|everyone)\b", re.I)
BOT_USER = "UBOT"
BOT_ID = "BBOT"
MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"


def manifest_bot_scopes() -> set[str]:
    """The bot scopes manifest.yml asks for: what installing the app grants."""
    return set(yaml.safe_load(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])


@dataclass
class Call:
    """One request the app made to 'Slack'."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    raw: bytes = b""


@dataclass
class Canned:
    """A queued answer for the next call of one method."""

    body: dict[str, Any] | str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[Call], Canned]


@dataclass(frozen=True)
class SharedFile:
    """A file uploaded (getUploadURLExternal, then its bytes POSTed) and shared by files.completeUploadExternal."""

    channel_id: str | None
    filename: str | None
    title: str | None
    content: bytes
    thread_ts: str | None = None


class FakeSlack(SlackFiles):
    """Serves /api/<method>, response URLs, file uploads and downloads; answers with Slack's shapes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.mass_mentions: list[str] = []  # every call that would have pinged many people (tests assert none)
        self.probe: Callable[[Call], None] | None = None  # run while the app waits for each call's answer
        self.users: dict[str, dict[str, Any]] = {}
        self.queued: dict[str, list[Canned | Responder]] = {}
        self.scopes = manifest_bot_scopes()  # sent in auth.test's x-oauth-scopes header, as Slack does
        self.token_error: str | None = None  # set by refuse_token
        self.history: dict[str, list[dict[str, Any]]] = {}  # channel -> messages posted there, oldest first
        self.replies: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (channel, thread ts) -> its replies
        self.private: set[str] = set()  # private channels: conversations.join refuses them (invite the app)
        self.closed_views: set[str] = set()  # modals the person closed: views.update answers not_found
        self.clock: Callable[[], float] | None = None  # Slack's time for new ts (a test's clock); fixed if unset
        self.upload_slots: dict[str, dict[str, Any]] = {}  # file id -> what files.getUploadURLExternal was told
        self.shared: list[SharedFile] = []  # files shared in channels, oldest first
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._answering = threading.Event()  # cleared: every call waits (a Slack that hangs) until release()
        self._answering.set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                canned = fake._handle(self.path, dict(self.headers), raw)
                body = canned.body if isinstance(canned.body, str) else json.dumps(canned.body)
                data = body.encode()
                self.send_response(canned.status)
                self.send_header(
                    "Content-Type", "application/json" if not isinstance(canned.body, str) else "text/plain"
                )
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                served = fake._get(self.path, dict(self.headers))
                self.send_response(served.status)
                self.send_header("Content-Type", served.content_type)
                if served.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(served.body), 65536):
                        piece = served.body[start : start + 65536]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(served.body)))
                self.end_headers()
                self.wfile.write(served.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-slack", daemon=True
        )

    # lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"  # where start() binds it

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    # test controls -------------------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        tz: str = "Europe/Warsaw",
        team: str = TEAM,
        email: str | None = None,
        locale: str = "en-US",
        **extra: Any,
    ) -> None:
        """Make users.info know `user_id` (and users.lookupByEmail, with the profile `email`)."""
        profile = {"email": email} if email else {}
        self.users[user_id] = {"id": user_id, "team_id": team, "name": user_id.lower(), "tz": tz, "profile": profile,
                               "locale": locale, **extra}  # fmt: skip

    def hold(self) -> None:
        """From now on, take every call but answer none of them until release(): a Slack that hangs."""
        self._answering.clear()

    def release(self) -> None:
        """Answer the calls held, and all later ones at once."""
        self._answering.set()

    def refuse_token(self, error: str = "invalid_auth") -> None:
        """Make every auth.test answer `error`, as Slack does for a revoked or mistyped token."""
        self.token_error = error

    def queue(self, method: str, answer: Canned | Responder) -> None:
        """Answer the next call of `method` with `answer` instead of the default."""
        with self._lock:
            self.queued.setdefault(method, []).append(answer)

    def answer(self, call: Call) -> Canned:
        """What Slack answers by default (for a responder that only waits or watches, then answers as usual)."""
        return self._default(call)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def responses(self) -> list[dict[str, Any]]:
        """What the app posted to response URLs (ephemeral replies), oldest first."""
        return [c.params for c in self.calls_to("response_url")]

    def last_response(self) -> dict[str, Any]:
        found = self.responses()
        assert found, f"the app posted nothing to a response_url; calls: {[c.method for c in self.calls]}"
        return found[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30) -> list[Call]:
        """Block until `count` calls of `method` arrived (from another process or thread); no polling."""
        with self._arrived:
            arrived = self._arrived.wait_for(
                lambda: sum(c.method == method for c in self.calls) >= count, timeout=timeout
            )
            found = [c for c in self.calls if c.method == method]
        assert arrived, f"{method} was called {len(found)} times, expected {count}"
        return found

    def api_calls(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    # serving -----------------------------------------------------------------------------------------
    def _handle(self, path: str, headers: dict[str, str], raw: bytes) -> Canned:
        if path.startswith("/response/"):
            call = Call("response_url", _decode(headers, raw), headers, raw)
            call.params["_url"] = path
        elif path.startswith("/upload/"):
            call = Call("upload", {"file": path.rsplit("/", 1)[-1]}, headers, raw)
        elif path.startswith("/api/"):
            call = Call(path.removeprefix("/api/").split("?")[0], _decode(headers, raw), headers, raw)
        else:
            return Canned("not found", status=404)
        if call.method != "upload" and MASS_MENTION.search(json.dumps(call.params, ensure_ascii=False)):
            self.mass_mentions.append(f"{call.method}: {json.dumps(call.params, ensure_ascii=False)[:300]}")
        if self.probe is not None:
            self.probe(call)
        with self._lock:
            self.calls.append(call)
            self._arrived.notify_all()
            queue = self.queued.get(call.method)
            answer = queue.pop(0) if queue else None
        self._answering.wait()
        if answer is not None:
            return answer(call) if callable(answer) else answer
        return self._default(call)

    def _get(self, path: str, headers: dict[str, str]) -> Served:
        """A download (a file's url_private), recorded as the call `file_download`."""
        call = Call("file_download", {"path": path.split("?")[0]}, headers)
        if self.probe is not None:
            self.probe(call)
        with self._lock:
            self.calls.append(call)
            self._arrived.notify_all()
        self._answering.wait()
        return self.serve_file(path, headers)

    def _default(self, call: Call) -> Canned:
        method, params = call.method, call.params
        if method in ("response_url", "upload"):
            return Canned("ok")
        if method == "auth.test":
            return self._auth_test()
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        return Canned(handler(params) if handler else {"ok": True})

    def _auth_test(self) -> Canned:
        if self.token_error:
            return Canned({"ok": False, "error": self.token_error})
        identity = {"ok": True, "url": "https://acme.slack.com/", "team": "Acme", "team_id": TEAM,
                    "user": "rapport", "user_id": BOT_USER, "bot_id": BOT_ID}  # fmt: skip
        return Canned(identity, headers={"x-oauth-scopes": ",".join(sorted(self.scopes))})

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if not user:
            return {"ok": False, "error": "user_not_found"}
        if str(params.get("include_locale", "")).lower() not in ("1", "true"):  # Slack's locale only when asked
            user = {key: value for key, value in user.items() if key != "locale"}
        return {"ok": True, "user": user}

    def _users_lookupByEmail(self, params: dict[str, Any]) -> dict[str, Any]:
        """The user whose profile has this address (Slack compares addresses without regard to case)."""
        wanted = str(params.get("email", "")).lower()
        for user in self.users.values():
            if str((user.get("profile") or {}).get("email", "")).lower() == wanted and wanted:
                return {"ok": True, "user": {key: value for key, value in user.items() if key != "locale"}}
        return {"ok": False, "error": "users_not_found"}

    def _next_ts(self) -> str:
        seconds = int(self.clock()) if self.clock else 1790000000
        return f"{seconds}.{next(self._ts):06d}"

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        channel = str(params.get("channel", ""))
        if channel.startswith(("U", "W")):  # posting to a user id posts in the app's DM with them
            channel = "D" + channel
        message = {"type": "message", "ts": ts, "text": params.get("text"), "user": BOT_USER, "bot_id": BOT_ID}
        if params.get("metadata"):
            message["metadata"] = params["metadata"]
        if not params.get("thread_ts"):  # thread replies are not in the channel's history
            with self._lock:
                self.history.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts, "text": params.get("text")}}

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """Put a message in a channel's history (a thread reply, with thread_ts, goes to its thread's replies)."""
        message = {"type": "message", **message}
        with self._lock:
            thread = message.get("thread_ts")
            if thread and thread != message["ts"]:
                self.replies.setdefault((channel, thread), []).append(message)
                parent = next((m for m in self.history.get(channel, []) if m["ts"] == thread), None)
                if parent is not None:
                    parent["reply_count"] = parent.get("reply_count", 0) + 1
                    parent["latest_reply"] = max(parent.get("latest_reply", "0"), message["ts"], key=float)
                    parent["thread_ts"] = thread
                if message.get("subtype") != "thread_broadcast":
                    return
            self.history.setdefault(channel, []).append(message)
            self.history[channel].sort(key=lambda m: float(m["ts"]))

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages of the channel, newest first, after `oldest`, `limit` a page (cursor: the next)."""
        with self._lock:
            posted = list(self.history.get(str(params.get("channel", "")), []))
        oldest, limit = float(params.get("oldest") or 0), int(params.get("limit") or 100)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("true", "1")
        newer = [m for m in reversed(posted) if float(m["ts"]) > oldest]
        return self._page(newer, params, limit, lambda m: m if with_metadata else _without(m, "metadata"))

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        """A thread: its parent first, then its replies after `oldest`, oldest first, `limit` a page."""
        channel, thread = str(params.get("channel", "")), str(params.get("ts", ""))
        with self._lock:
            parent = [m for m in self.history.get(channel, []) if m["ts"] == thread]
            replies = list(self.replies.get((channel, thread), []))
        oldest = float(params.get("oldest") or 0)
        found = parent + [m for m in replies if float(m["ts"]) > oldest]
        return self._page(found, params, int(params.get("limit") or 100), lambda m: m)

    @staticmethod
    def _page(found: list[dict[str, Any]], params: dict[str, Any], limit: int,
              shown: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
        start = int(str(params.get("cursor") or "c0").removeprefix("c") or 0)
        page, more = found[start : start + limit], len(found) > start + limit
        answer: dict[str, Any] = {"ok": True, "messages": [shown(m) for m in page], "has_more": more}
        if more:
            answer["response_metadata"] = {"next_cursor": f"c{start + limit}"}
        return answer

    def _conversations_join(self, params: dict[str, Any]) -> dict[str, Any]:
        """A public channel is joined; a private one can't be (someone must invite the app), as Slack answers."""
        channel = str(params.get("channel", ""))
        if channel in self.private:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        return {"ok": True, "channel": {"id": channel, "is_channel": True, "is_private": False}}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}

    def _chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), str(params.get("message_ts", ""))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://acme.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        return {"ok": True, "view": {**(view or {}), "id": "V" + self._next_ts().replace(".", "")}}

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = str(params.get("view_id", ""))
        if view_id in self.closed_views:
            return {"ok": False, "error": "not_found"}
        view = params.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        return {"ok": True, "view": {**(view or {}), "id": view_id}}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0]}}

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = "F" + self._next_ts().replace(".", "")
        with self._lock:
            self.upload_slots[file_id] = {"filename": params.get("filename"), "length": int(params.get("length") or 0)}
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        """Share uploaded files in a channel; as Slack does, a file never uploaded (or cut short) is refused."""
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        uploads = {c.params["file"]: c.raw for c in self.calls_to("upload")}
        for f in files or []:
            slot = self.upload_slots.get(f["id"])
            if slot is None or f["id"] not in uploads or len(uploads[f["id"]]) != slot["length"]:
                return {"ok": False, "error": "file_not_found"}
        with self._lock:
            for f in files or []:
                slot = self.upload_slots[f["id"]]
                self.shared.append(SharedFile(params.get("channel_id"), slot["filename"], f.get("title"),
                                              uploads[f["id"]], params.get("thread_ts")))  # fmt: skip
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}


def _without(message: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != key}


def _decode(headers: dict[str, str], raw: bytes) -> dict[str, Any]:
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    text = raw.decode("utf-8", "replace")
    if "json" in kind:
        return json.loads(text or "{}")
    if "form" in kind:
        params: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
        for name in ("blocks", "attachments", "view", "files", "metadata"):
            if isinstance(params.get(name), str) and params[name][:1] in "[{":
                params[name] = json.loads(params[name])
        return params
    return {"_raw": text}
