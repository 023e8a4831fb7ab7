"""Helpers for the survey page: a survey with someone outside Slack, their link, and plain HTTP to the page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.message import Message
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from fakes.slack import FakeSlack
from storage.models import SurveyParticipant
from tests.driver import SIGNING_SECRET, SlackDriver
from tests.helpers import SURVEY_ITEMS

PUBLIC_URL = "https://rapport.example.com"
START_WITH_EMAIL = 'survey acme "Website relaunch" team <@UBOB|bob> client <mailto:jo@acme.com|jo@acme.com>'
LINK = re.compile(re.escape(PUBLIC_URL) + r"/survey/([A-Za-z0-9_.\-]+)")


def page_settings(fake_slack: FakeSlack, database_url: str, **more: object) -> Settings:
    """The tests' settings with PUBLIC_URL (and whatever else is given)."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake_slack.api_url,
        database_url=database_url, public_url=PUBLIC_URL, **more,
    )  # fmt: skip


@dataclass
class Page:
    """A response of the survey page."""

    status: int
    headers: Message
    body: str
    text: str = field(init=False)  # what a person reads: the body without tags, entities decoded

    def __post_init__(self) -> None:
        without_tags = re.sub(r"<style>.*?</style>|<[^>]+>", " ", self.body, flags=re.S)
        self.text = " ".join(html.unescape(without_tags).split())

    @property
    def check(self) -> str:
        """The form's hidden field."""
        found = re.search(r'name="check" value="([^"]+)"', self.body)
        assert found, "no form on the page"
        return found.group(1)

    @property
    def lang(self) -> str:
        found = re.search(r'<html lang="([^"]+)"', self.body)
        assert found
        return found.group(1)


def token_of(reply: str) -> str:
    """The personal link's token in the requester's reply."""
    found = LINK.search(reply)
    assert found, f"no survey link in {reply!r}"
    return found.group(1)


def start_with_email(slack: SlackDriver, text: str = START_WITH_EMAIL) -> str:
    """Starts a survey naming jo@acme.com; returns the token of their link, as the requester was shown it."""
    slack.command(text)
    return token_of(slack.fake.last_response()["text"])


def request(
    slack: SlackDriver, token: str, *, method: str = "GET", form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None, body: bytes | None = None,
) -> Page:  # fmt: skip
    """One plain HTTP request to the survey page; every status is returned, never raised."""
    data = urlencode(form).encode() if form is not None else body
    kind = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    call = Request(f"{slack.url}/survey/{token}", data=data, headers={**kind, **(headers or {})}, method=method)
    try:
        with urlopen(call, timeout=30) as answer:
            page = Page(answer.status, answer.headers, answer.read().decode())
    except HTTPError as error:
        page = Page(error.code, error.headers, error.read().decode())
    slack.settle()
    return page


def answers_form(check: str, ratings: dict[str, str], comments: dict[str, str] | None = None) -> dict[str, str]:
    """The survey form as a browser posts it (a rating left out is not sent at all)."""
    form = {"check": check}
    for key in SURVEY_ITEMS:
        if key in ratings:
            form[f"rating-{key}"] = ratings[key]
        form[f"comment-{key}"] = (comments or {}).get(key, "")
    return form


def every(score: str) -> dict[str, str]:
    return dict.fromkeys(SURVEY_ITEMS, score)


def outsider(session: Session) -> SurveyParticipant:
    """The one participant invited by email."""
    session.expire_all()
    return session.scalars(select(SurveyParticipant).where(SurveyParticipant.email.is_not(None))).one()
