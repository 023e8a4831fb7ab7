"""A file someone uploaded to Slack (a modal's file input), read by the app: files.info, then its url_private.

Only the file's id comes from the request. files.info (the files:read scope) says who uploaded it, in which
workspace, what it is and where it lives; only a file the person acting uploaded in their own workspace is read.
The download sends the bot token as a Bearer token, so it goes only to Slack's file hosts (or wherever
SLACK_API_URL points, for a proxy or a test server), never follows a redirect, and stops at `limit` bytes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.import_errors import BadFile, FileProblem, FileRefusal, FileRefused
from services.failures import failure

DOWNLOAD_TIMEOUT = 20  # seconds without a byte before the download gives up
CHUNK = 64 * 1024
SLACK_FILE_HOSTS = (".slack.com", ".slack-gov.com")
FILE_ID = re.compile(r"F[A-Z0-9]{2,31}")


@dataclass(frozen=True)
class Upload:
    """A file's name and content, and a digest that tells whether it is the same file next time."""

    file_id: str
    name: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class _NoRedirect(HTTPRedirectHandler):
    """A redirect is an error: urllib would send the Authorization header on to wherever it points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def read_upload(slack: WebClient, *, file_id: str, team_id: str, user_id: str, limit: int) -> Upload:
    """The CSV file `user_id` uploaded in `team_id`; FileRefused or BadFile (too big, not a CSV) otherwise."""
    if not FILE_ID.fullmatch(file_id):  # metadata someone wrote by hand: never sent on to Slack
        raise FileRefused(FileRefusal.NOT_YOURS)
    info = _info(slack, file_id)
    name = str(info.get("name") or info.get("title") or file_id)[:200]
    if info.get("user") != user_id or (info.get("user_team") or info.get("source_team") or team_id) != team_id:
        raise FileRefused(FileRefusal.NOT_YOURS)
    if info.get("filetype") != "csv" and not name.lower().endswith(".csv"):
        raise BadFile(FileProblem.NOT_CSV, detail=name)
    if int(info.get("size") or 0) > limit:
        raise BadFile(FileProblem.TOO_BIG, limit=limit)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not trusted(url, api_url=slack.base_url):
        raise FileRefused(FileRefusal.UNAVAILABLE, "its address is not Slack's")
    return Upload(file_id, name, _download(url, token=slack.token or "", limit=limit))


def trusted(url: str, *, api_url: str) -> bool:
    """An https address on one of Slack's hosts, or on SLACK_API_URL's own scheme, host and port."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host.endswith(SLACK_FILE_HOSTS):
        return True
    return bool(host) and (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def _info(slack: WebClient, file_id: str) -> dict[str, Any]:
    try:
        found = slack.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        if exc.response.get("error") == "file_not_found":
            raise FileRefused(FileRefusal.NOT_YOURS) from None  # as far as this workspace is concerned
        raise FileRefused(FileRefusal.UNAVAILABLE, failure(exc)) from None
    except OSError as exc:
        raise FileRefused(FileRefusal.UNAVAILABLE, failure(exc)) from None
    return found if isinstance(found, dict) else {}


def _download(url: str, *, token: str, limit: int) -> bytes:
    """The file's bytes, read until `limit` (BadFile beyond it: a size files.info understated stops here too)."""
    request = Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with build_opener(_NoRedirect()).open(request, timeout=DOWNLOAD_TIMEOUT) as response:
            if "text/html" in str(response.headers.get("Content-Type", "")):  # Slack's sign-in page: token refused
                raise FileRefused(FileRefusal.UNAVAILABLE, "Slack answered with a sign-in page")
            length = str(response.headers.get("Content-Length") or "")
            if length.isdigit() and int(length) > limit:
                raise BadFile(FileProblem.TOO_BIG, limit=limit)
            chunks, size = [], 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise BadFile(FileProblem.TOO_BIG, limit=limit)
                chunks.append(chunk)
    except HTTPError as exc:  # a redirect lands here too
        raise FileRefused(FileRefusal.UNAVAILABLE, f"HTTP {exc.code}") from None
    except OSError as exc:
        raise FileRefused(FileRefusal.UNAVAILABLE, failure(exc)) from None
    return b"".join(chunks)
