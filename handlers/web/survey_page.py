"""`/survey/<token>`: a client contact outside Slack answers a survey on a page, once (GET shows, POST answers).

Thin, like a Slack listener: read the request, call the domain, render, reply. The answer goes through the same
domain path as a Slack answer; the summary goes out after the commit, on the post-ack pool.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from slack_sdk import WebClient

from domain.survey_links import Answered, LinkRefused, LinkState, answer_by_link, form_check, open_link_or_raise
from domain.surveys import Rating
from handlers.context import Deps
from render import survey_page as render
from render.i18n import current, speaking
from services.surveying import send_summary
from storage.db import read_only, unit_of_work

PATH = re.compile(r"/survey/(?P<token>[^/]+)/?")
FORM_MAX = 256 * 1024  # bytes of a posted form: five comments at their longest, percent-encoded (9 bytes a letter)
RATINGS = {"1", "2", "3", "4", "5"}
STATUS = {
    LinkState.TAMPERED: "404 Not Found",
    LinkState.UNKNOWN: "404 Not Found",
    LinkState.EXPIRED: "410 Gone",
    LinkState.CLOSED: "410 Gone",
    LinkState.ANSWERED: "409 Conflict",
}
StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Reply:
    """What to answer: a status, the invitation's language (None: the browser's), and the page, rendered later in
    the language in effect."""

    status: str
    language: str | None
    page: Callable[[], str]


def survey_page(
    environ: dict[str, Any], start_response: StartResponse, *, token: str, deps: Deps, slack: WebClient
) -> Iterable[bytes]:
    """Show the questions (GET), or store the answers once (POST); a clear page for any link that can't be used."""
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD", "POST"):
        reply = Reply("405 Method Not Allowed", None, render.not_allowed_page)
    else:
        try:
            reply = _answer(environ, token, deps, slack) if method == "POST" else _show(token, deps)
        except LinkRefused as refused:
            reply = Reply(STATUS[refused.state], refused.language, partial(render.refused_page, refused.state))
    with speaking(render.page_language(reply.language, environ.get("HTTP_ACCEPT_LANGUAGE"))):
        body = reply.page().encode("utf-8")
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                   ("Content-Language", current().value), *render.SECURITY_HEADERS]  # fmt: skip
    if reply.status.startswith("405"):
        headers.append(("Allow", "GET, HEAD, POST"))
    start_response(reply.status, headers)
    return [] if method == "HEAD" else [body]


def _show(token: str, deps: Deps) -> Reply:
    """The questions, nothing filled in yet."""
    key = deps.survey_links.key
    with read_only(deps.sessions) as session:
        opened = open_link_or_raise(session, key=key, token=token, now=deps.clock.now())
    check = form_check(key=key, token=token)
    return Reply("200 OK", opened.language,
                 partial(render.survey_form, opened, ratings={}, comments={}, problems={}, check=check))  # fmt: skip


def _answer(environ: dict[str, Any], token: str, deps: Deps, slack: WebClient) -> Reply:
    """The answers stored once; the form again, with everything typed and an error by each field that needs one."""
    key, now = deps.survey_links.key, deps.clock.now()
    with read_only(deps.sessions) as session:
        opened = open_link_or_raise(session, key=key, token=token, now=now)
    check, form = form_check(key=key, token=token), _form(environ)
    if form is None or not hmac.compare_digest(form.get("check", ""), check):
        return Reply("400 Bad Request", opened.language, render.stale_form_page)
    ratings = {q.key: form.get(f"rating-{q.key}", "") for q in opened.items}
    comments = {q.key: form.get(f"comment-{q.key}", "") for q in opened.items}
    given = {k: Rating(int(r) if r in RATINGS else None, _stored(comments[k]) or None) for k, r in ratings.items()}
    with unit_of_work(deps.sessions) as session:
        outcome = answer_by_link(session, key=key, token=token, given=given, now=now)
    if not isinstance(outcome, Answered):
        page = partial(render.survey_form, opened, ratings=ratings, comments=comments, problems=outcome, check=check)
        return Reply("422 Unprocessable Entity", opened.language, page)
    if outcome.completed:
        _after(deps, partial(send_summary, slack, deps.sessions, team_id=outcome.team_id,
                             survey_id=outcome.survey_id, now=now))  # fmt: skip
    return Reply("200 OK", opened.language, render.thanks_page)


def _form(environ: dict[str, Any]) -> dict[str, str] | None:
    """The posted form's fields (the first value of each), or None when it is no form we could have sent."""
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= FORM_MAX:
        return None
    body = environ["wsgi.input"].read(length)
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: values[0] for name, values in fields.items()}


def _stored(comment: str) -> str:
    """A comment as stored: line breaks as typed, and nothing Slack would read as markup, a mention or a link."""
    text = comment.replace("\r\n", "\n").strip()
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _after(deps: Deps, work: Callable[[], None]) -> None:
    """Slack work after the commit, on the post-ack pool (here and now when the pool is full)."""
    if deps.background.reserve():
        deps.background.run(work)
    else:
        work()
