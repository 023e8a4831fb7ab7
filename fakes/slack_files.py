"""Files in the fake Slack, as Slack serves them: files.info, and the file at its url_private for the bot token.

Without the right `Authorization: Bearer <bot token>`, Slack answers a file's url_private with its sign-in page
(200, text/html), not with an error: the fake does the same.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any


@dataclass
class Served:
    """What the fake sends back for a GET."""

    status: int
    content_type: str
    body: bytes
    chunked: bool = False  # no Content-Length: the size shows only while reading


class SlackFiles:
    """Uploaded files, by id; a mixin of FakeSlack (its `_files_info` answers files.info)."""

    bot_token = "xoxb-test"  # the tests' SLACK_BOT_TOKEN
    _file_ids = itertools.count(1)

    def __init__(self) -> None:
        self.files: dict[str, dict[str, Any]] = {}  # id -> what files.info says
        self.file_content: dict[str, tuple[bytes, bool]] = {}  # id -> its bytes, and whether to send them chunked
        self._files_lock = threading.Lock()

    @property
    def url(self) -> str:  # FakeSlack's
        raise NotImplementedError

    def add_file(
        self, content: bytes, *, name: str = "clients.csv", user: str = "UALICE", team: str = "T1",
        filetype: str = "csv", size: int | None = None, chunked: bool = False,
    ) -> dict[str, Any]:  # fmt: skip
        """A file `user` uploaded in `team` (a modal's file input does this); returns its files.info object.

        `size` is what files.info says (the real size by default); `chunked` sends it without a Content-Length.
        """
        file_id = f"F{next(self._file_ids):08d}"
        private = f"{self.url}/files-pri/{team}-{file_id}/{name}"
        info = {
            "id": file_id, "name": name, "title": name, "filetype": filetype, "mimetype": "text/csv",
            "size": len(content) if size is None else size, "user": user, "user_team": team, "mode": "hosted",
            "url_private": private, "url_private_download": private.replace(file_id + "/", file_id + "/download/"),
        }  # fmt: skip
        with self._files_lock:
            self.files[file_id] = info
            self.file_content[file_id] = (content, chunked)
        return info

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self.files.get(str(params.get("file", "")))
        return {"ok": True, "file": found} if found else {"ok": False, "error": "file_not_found"}

    def serve_file(self, path: str, headers: dict[str, str]) -> Served:
        """GET /files-pri/<team>-<file id>/[download/]<name>."""
        parts = path.split("?")[0].split("/")
        file_id = parts[2].partition("-")[2] if len(parts) > 3 and parts[1] == "files-pri" else ""
        authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if file_id not in self.file_content:
            return Served(404, "text/plain", b"not found")
        if authorization != f"Bearer {self.bot_token}":
            return Served(200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>")
        content, chunked = self.file_content[file_id]
        return Served(200, "text/csv", content, chunked)
