"""What the tests share: counting rows, sweeps at a given time, reactions and button presses as Slack sends them,
answering surveys, `/client` commands and their replies, and proof that a refused command wrote nothing."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, func, select, text
from sqlalchemy.orm import Session

from bot.app import feed_policy, make_client
from bot.settings import DEFAULT_SWEEP_CONCURRENCY, Settings
from domain.clock import FixedClock
from fakes.slack import TEAM, Call, FakeSlack
from render.ids import ActionId, comment_block, rating_block
from services.sweep import Report, Sweeper
from storage.base import Base
from storage.db import make_session_factory
from storage.models import Client, ClientAlias, Contact, Nudge, Promise, Survey
from tests.driver import Response, SlackDriver

# The survey that tests start: Acme Corp's "Website relaunch", asked of UBOB (team) and UCLIENT (client).
SURVEY_START = 'survey acme "Website relaunch" team <@UBOB|bob> client <@UCLIENT|jo>'
SURVEY_ITEMS = ("informed", "dates", "quality", "priorities", "overall")


def count(session: Session, model: type) -> int:
    """How many rows the model's table holds now."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


class Sweeps:
    """Runs the real sweep at chosen times against the fake Slack; records how long 429s made it wait."""

    def __init__(
        self,
        settings: Settings,
        engine: Any,
        clock: FixedClock,
        *,
        concurrency: int = DEFAULT_SWEEP_CONCURRENCY,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.waits: list[float] = []
        self.clock = clock
        self.slack = make_client(settings, sleep=sleep or self.waits.append)
        self.sweeper = Sweeper(
            make_session_factory(engine),
            self.slack,
            clock,
            concurrency=concurrency,
            calendars=feed_policy(settings),
            mailbox=settings.mailbox,
        )

    def at(self, when: datetime) -> Report:
        self.clock.set(when)
        return self.sweeper.run()


def posts(fake: FakeSlack, *, thread: bool | None = False) -> list[Call]:
    """chat.postMessage calls: top-level ones by default, thread replies with thread=True, all with None."""
    found = fake.calls_to("chat.postMessage")
    if thread is None:
        return found
    return [c for c in found if bool(c.params.get("thread_ts")) == thread]


def blocks_text(call: Call) -> str:
    """Everything a person reads in a posted or updated message."""
    blocks = call.params.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    texts = []
    for block in blocks:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return "\n".join(texts)


def action_ids(call: Call) -> list[str]:
    """The action ids of a message's buttons and menus."""
    blocks = call.params.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def nudges(session: Session) -> list[Nudge]:
    session.expire_all()
    return list(session.scalars(select(Nudge).order_by(Nudge.id)))


def client_row(session: Session, name: str) -> Client:
    session.expire_all()
    return session.scalars(select(Client).where(Client.name == name)).one()


_events = iter(range(1, 1_000_000))


def react(
    slack: SlackDriver, nudge: Nudge, reaction: str, *, user: str = "UALICE", team: str = TEAM,
    event_id: str | None = None, retry: int | None = None, channel: str | None = None, ts: str | None = None,
) -> Response:  # fmt: skip
    """A reaction_added event on the nudge's message (or on another message)."""
    body = json.dumps(
        {
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_events)}", "event_time": int(time.time()),
            "event": {
                "type": "reaction_added", "user": user, "reaction": reaction, "item_user": "UBOT",
                "item": {"type": "message", "channel": channel or nudge.channel_id, "ts": ts or nudge.ts},
                "event_ts": "1790000000.000900",
            },
        }
    )  # fmt: skip
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
    return slack.post(body, "application/json", headers=headers)


def press(
    slack: SlackDriver, nudge: Nudge, action_id: str, *, user: str = "UALICE", team: str = TEAM, **action: Any
) -> Response:
    """A block action on the nudge's message: a button (value), a menu option, a user or a date."""
    channel = nudge.escalation_channel_id if action.pop("escalated", False) else nudge.channel_id
    ts = nudge.escalation_ts if channel == nudge.escalation_channel_id and nudge.escalation_ts else nudge.ts
    element = {"action_id": action_id, "block_id": f"nudge:{nudge.id}", "action_ts": "1790000000.1", **action}
    return slack.interact(
        {
            "type": "block_actions", "team": {"id": team, "domain": "acme"}, "user": {"id": user, "team_id": team},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
            "container": {"type": "message", "channel_id": channel, "message_ts": ts},
            "channel": {"id": channel}, "message": {"ts": ts, "type": "message"},
            "response_url": slack.fake.response_url(f"action{slack.next_id()}"), "actions": [element],
        }
    )  # fmt: skip


# surveys ---------------------------------------------------------------------------------------------------------


def the_survey(session: Session) -> Survey:
    """The one survey in the database."""
    session.expire_all()
    return session.scalars(select(Survey)).one()


def press_answer(slack: SlackDriver, survey_id: int, *, user: str, channel: str) -> Response:
    """The invitation's "Answer" button, pressed in `channel`."""
    return slack.interact(
        {
            "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "team_id": "T1"},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
            "container": {"type": "message", "channel_id": channel, "message_ts": "1"},
            "channel": {"id": channel}, "response_url": slack.fake.response_url(f"answer{slack.next_id()}"),
            "actions": [
                {"action_id": ActionId.SURVEY_ANSWER, "block_id": "x", "value": str(survey_id), "type": "button"}
            ],
        }
    )  # fmt: skip


def open_survey_modal(slack: SlackDriver, survey_id: int, user: str, *, channel: str | None = None) -> dict[str, Any]:
    """Presses "Answer" (in the user's DM unless told) and returns the survey modal that opened."""
    before = len(slack.fake.calls_to("views.open"))
    press_answer(slack, survey_id, user=user, channel=channel or "D" + user)
    opened = slack.fake.calls_to("views.open")
    assert len(opened) == before + 1
    view: dict[str, Any] = opened[-1].params["view"]
    return view


def survey_values(ratings: dict[str, int], comments: dict[str, str | None] | None = None) -> dict[str, Any]:
    """The survey modal's state: a rating (or none) and a comment (or none) per item."""
    values: dict[str, Any] = {}
    for key in SURVEY_ITEMS:
        rating = ratings.get(key)
        option = {"value": str(rating), "text": {"type": "plain_text", "text": str(rating)}} if rating else None
        values[rating_block(key)] = {ActionId.RATING: {"type": "radio_buttons", "selected_option": option}}
        values[comment_block(key)] = {
            ActionId.COMMENT: {"type": "plain_text_input", "value": (comments or {}).get(key)}
        }
    return values


def answer_survey(
    slack: SlackDriver,
    survey_id: int,
    user: str,
    ratings: dict[str, int],
    comments: dict[str, str | None] | None = None,
    *,
    channel: str | None = None,
) -> Response:
    """Opens the survey modal as `user` and submits these ratings and comments."""
    view = open_survey_modal(slack, survey_id, user, channel=channel)
    return slack.view_submission(view, survey_values(ratings, comments), user=user)


def rated(score: int) -> dict[str, int]:
    """Every survey item rated `score`."""
    return dict.fromkeys(SURVEY_ITEMS, score)


def commented(comment: str | None) -> dict[str, str | None]:
    """Every survey item commented `comment`."""
    return dict.fromkeys(SURVEY_ITEMS, comment)


def completed_survey(slack: SlackDriver, session: Session) -> Survey:
    """The survey both sides answered, with two items that need UALICE's decision (a low one, a blind spot)."""
    slack.command(SURVEY_START)
    survey = the_survey(session)
    answer_survey(slack, survey.id, "UBOB", rated(4))  # two items need a decision: low and blind spots
    answer_survey(
        slack,
        survey.id,
        "UCLIENT",
        {**rated(3), "informed": 1, "dates": 2},
        {"informed": "no updates", "dates": "late"},
    )
    return survey


def press_fix(slack: SlackDriver, survey: Survey, item: str, action_id: str) -> dict[str, Any]:
    """UALICE presses a results button about `item` (plan a fix, or no fix); returns the modal that opened."""
    value = json.dumps({"survey": survey.id, "item": item}, separators=(",", ":"))
    slack.interact(
        {
            "type": "block_actions", "team": {"id": "T1"}, "user": {"id": "UALICE", "team_id": "T1"},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
            "container": {"type": "message", "channel_id": "DUALICE", "message_ts": "1"},
            "response_url": slack.fake.response_url(f"fix{slack.next_id()}"),
            "actions": [
                {"action_id": action_id, "block_id": f"fix:{survey.id}:{item}", "value": value, "type": "button"}
            ],
        }
    )  # fmt: skip
    view: dict[str, Any] = slack.fake.calls_to("views.open")[-1].params["view"]
    return view


# /client commands -------------------------------------------------------------------------------------------------

# The tables a /client command may write, and what every refusal ends with.
TABLES = ("clients", "contacts", "promises", "client_aliases")
NOTHING_CHANGED = "Nothing was changed."


def visible(reply: dict[str, Any]) -> str:
    """What a person reads in a reply: the text of every block (or the fallback text when there are none)."""
    texts: list[str] = []
    for block in reply.get("blocks") or []:
        if block["type"] in ("section", "header"):
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(element["text"] for element in block["elements"])
    return "\n".join(texts) if texts else reply["text"]


def ask(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client <text>` (as UALICE in T1 unless told); returns the one ephemeral reply it got, as seen."""
    before = len(slack.fake.responses())
    assert slack.command(text, **kwargs).status == 200
    replies = slack.fake.responses()[before:]
    assert len(replies) == 1, f"expected one reply to /client {text!r}, got {replies}"
    [reply] = replies
    assert reply["response_type"] == "ephemeral"
    assert reply["replace_original"] is False
    return visible(reply)


def add(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client add <text>`, which must succeed."""
    reply = ask(slack, f"add {text}", **kwargs)
    assert reply.startswith("Added "), reply
    return reply


def log(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client log <text>`, which must succeed."""
    reply = ask(slack, f"log {text}", **kwargs)
    assert reply.startswith("Logged a contact with "), reply
    return reply


def promise(slack: SlackDriver, session: Session, text: str, **kwargs: Any) -> int:
    """`/client promise <text>`, which must succeed; the new promise's number."""
    reply = ask(slack, f"promise {text}", **kwargs)
    assert reply.startswith("Promise #"), reply
    return promises(session)[-1].id


def fresh(session: Session) -> Session:
    """The session with a new snapshot (SQLite keeps showing a read transaction what it first saw)."""
    session.rollback()
    return session


def snapshot(session: Session) -> dict[str, list[Row[Any]]]:
    """Every row of the tables a command may write, by primary key."""
    fresh(session)
    found = {}
    for name in TABLES:
        table = Base.metadata.tables[name]
        found[name] = list(session.execute(select(table).order_by(*table.primary_key.columns)).all())
    return found


@contextmanager
def nothing_changes(session: Session) -> Iterator[None]:
    """The block writes nothing: the same number of rows, with the same values, in every table."""
    before = snapshot(session)
    yield
    after = snapshot(session)
    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    assert after == before


def client_named(session: Session, name: str, team: str = "T1") -> Client:
    return fresh(session).scalars(select(Client).where(Client.team_id == team, Client.name == name)).one()


def clients(session: Session) -> list[Client]:
    return list(fresh(session).scalars(select(Client).order_by(Client.id)))


def contacts(session: Session) -> list[Contact]:
    return list(fresh(session).scalars(select(Contact).order_by(Contact.id)))


def promises(session: Session) -> list[Promise]:
    return list(fresh(session).scalars(select(Promise).order_by(Promise.id)))


def aliases(session: Session) -> list[ClientAlias]:
    return list(fresh(session).scalars(select(ClientAlias).order_by(ClientAlias.id)))


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    """A moment in 2026, UTC."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@contextmanager
def locked(engine: Engine, *tables: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock, or (PostgreSQL) an exclusive lock on `tables`."""
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(str(engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with engine.connect() as connection:
        connection.execute(text(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()
