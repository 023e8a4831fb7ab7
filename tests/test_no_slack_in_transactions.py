"""Slack is never called while one of our database transactions holds locks: look people up before, post after.

While the app waits for each Slack call, the fake Slack looks at the database from outside: on SQLite it tries
to take the write lock (held by any writing transaction of ours, from its BEGIN), on PostgreSQL it looks for
our connections idle inside a transaction. The flows below walk every listener kind and the sweep, one request
at a time, so any transaction open during a Slack call is ours and wrong.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from bot.cli import main
from domain.clock import FixedClock
from fakes.imap_server import Account
from fakes.slack import Call, Canned, FakeSlack
from render.ids import ActionId, BlockId
from storage.db import APPLICATION_NAME, normalize_url
from storage.models import Client, Survey
from tests.driver import SlackDriver
from tests.helpers import Sweeps, count, nudges, press, react
from tests.mail import (
    ALICE,
    BOB,
    JO,
    client_domain,
    deliver,
    forwarded_as_attachment,
    mail,
    mail_settings,
    teammates,
    utc,
)
from tests.test_home import press_on_home
from tests.test_import_slack import BOOK, apply, shown, submit_file

MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def inside(slack: SlackDriver, engine: Engine, database_url: str) -> Iterator[list[str]]:
    """The Slack calls made while a transaction of ours was open (the test asserts none)."""
    seen: list[str] = []
    probing = threading.Lock()  # two probes at once (a sweep posts to several people in parallel) lock each other
    watcher = create_engine(normalize_url(database_url), isolation_level="AUTOCOMMIT")

    def sqlite_probe(call: Call) -> None:
        with probing:
            other = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            except sqlite3.OperationalError:  # "database is locked": a writer of ours is between BEGIN and COMMIT
                seen.append(call.method)
            finally:
                other.close()

    def postgresql_probe(call: Call) -> None:
        with watcher.connect() as connection:
            open_ = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = :name AND state LIKE 'idle in transaction%'"
                ),
                {"name": APPLICATION_NAME},
            ).scalar()
        if open_:
            seen.append(call.method)

    slack.fake.probe = sqlite_probe if engine.dialect.name == "sqlite" else postgresql_probe
    yield seen
    slack.fake.probe = None
    watcher.dispose()


def test_commands_and_shortcuts(slack: SlackDriver, inside: list[str]) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    for command in (
        'add "Acme Corp" key owner <@UBOB|bob>', "log acme called about the invoice", "promise acme quote by friday",
        "show acme", "list quiet", "owner acme <@UCAROL|carol>", "export acme", "config channel <#CTEAM|team>",
        "alias acme ACME Inc", 'survey acme "Relaunch" team <@UBOB|bob> client <@UCLIENT|jo>', "surveys",
        "surveys acme", "surveys all share",
        "config me briefing 09:00", "away until friday <@UCAROL|carol>", "config", "away off",
    ):  # fmt: skip
        slack.command(command)
    slack.message_shortcut(text="can we move the call?")
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    acme = slack.options(ActionId.CLIENT_PICK, "acme", view=view).json()["options"][0]["value"]
    slack.view_submission(view, {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"type": "external_select", "selected_option": {"value": acme}}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": "moved the call"}},
    })  # fmt: skip
    slack.post(json.dumps({
        "token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "EvHome",
        "event_time": 1790000000, "event": {"type": "app_home_opened", "user": "UALICE", "tab": "home"},
    }), "application/json")  # fmt: skip
    assert len(slack.fake.calls) > 20 and inside == []


def test_channels_people_and_reply_times(slack: SlackDriver, inside: list[str]) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.fake.private.add("GSECRET")
    slack.fake.add_message("CACME", {"ts": "1790000000.000100", "user": "UCLIENT", "text": "any news?"})
    for command in (
        'add "Acme Corp"', "channel acme <#CACME|acme> text on", "channel acme <#GSECRET|secret>",
        "person acme <@UCLIENT|jo>", "reply acme 4h", "channel acme <#CACME|acme> text off", "show acme",
        "channel acme off <#GSECRET>", "person acme jo@acme.com Jo", "domain acme acme.com", "key acme on",
        "show acme", "person acme off Jo", "domain acme off acme.com", "person acme off <@UCLIENT>", "channel acme off",
    ):  # fmt: skip
        slack.command(command)
    assert slack.fake.calls_to("conversations.history") and inside == []


def test_nudges_and_their_answers(slack: SlackDriver, sweeps: Sweeps, session: object, inside: list[str]) -> None:
    slack.fake.add_user("UDANA")
    for n in range(3):
        slack.command(f"add Client{n} key")
        slack.command(f"log client{n} kickoff")
    slack.command("promise client0 the quote by 2026-12-04")
    sweeps.at(MONDAY_10_WARSAW)
    quiet = [n for n in nudges(session) if n.kind == "quiet"]  # type: ignore[arg-type]
    press(slack, quiet[0], ActionId.NUDGE_SNOOZE, selected_option={"value": f"{quiet[0].id}:7"})
    press(slack, quiet[1], ActionId.NUDGE_HAND_OVER, selected_user="UDANA")
    react(slack, quiet[2], "white_check_mark")
    slip = next(n for n in nudges(session) if n.kind == "slip")  # type: ignore[arg-type]
    press(slack, slip, ActionId.NUDGE_NEW_DATE, selected_date="2026-12-18")
    assert len(slack.fake.calls_to("chat.update")) >= 4 and inside == []


def test_surveys_from_invitation_to_fix(slack: SlackDriver, session: object, inside: list[str]) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    slack.command('survey acme "Relaunch" team <@UBOB|bob> client <@UCLIENT|jo>')
    survey_id = session.scalars(select(Survey.id)).one()  # type: ignore[attr-defined]
    for user, rating, comment in (("UBOB", 4, None), ("UCLIENT", 1, "no updates")):
        slack.interact(_press(user, ActionId.SURVEY_ANSWER, str(survey_id)))
        view = slack.fake.calls_to("views.open")[-1].params["view"]
        slack.view_submission(view, _ratings(rating, comment), user=user)
    slack.interact(_press("UALICE", ActionId.SURVEY_PLAN_FIX, json.dumps({"survey": survey_id, "item": "informed"})))
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    slack.view_submission(view, {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "weekly mail"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-12-04"}},
    })  # fmt: skip
    assert slack.fake.calls_to("chat.update") and inside == []


def test_a_refused_post_is_no_exception(slack: SlackDriver, sweeps: Sweeps, inside: list[str]) -> None:
    slack.command("add Acme key")
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "internal_error"}))
    sweeps.at(MONDAY_10_WARSAW)
    assert inside == []


def test_the_team_mailbox(
    slack: SlackDriver, session: Session, inside: list[str], mailbox: Account, fake_slack: FakeSlack,
    database_url: str, engine: Engine, clock: FixedClock,
) -> None:  # fmt: skip
    """auth.test and users.lookupByEmail (the sender, the forwarder, recipients) are asked between transactions."""
    slack.command('add "Acme Corp" key')
    client_domain(session, "acme.com")
    teammates(slack.fake)
    original = mail(sender=JO, to="dana@ourco.test", cc=ALICE, subject="Invoice", sent=utc(21, 9), body=".")
    deliver(mailbox, original, forwarded_as_attachment(original, by=BOB, sent=utc(21, 10)))
    Sweeps(mail_settings(fake_slack, database_url, mailbox.url()), engine, clock).at(MONDAY_10_WARSAW)
    asked = [c.params["email"] for c in slack.fake.calls_to("users.lookupByEmail")]
    assert asked == ["dana@ourco.test", ALICE, BOB] and slack.fake.calls_to("auth.test")
    assert inside == []


def _press(user: str, action_id: str, value: str) -> dict[str, object]:
    return {
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "team_id": "T1"}, "api_app_id": "A1",
        "token": "legacy", "trigger_id": "trigger-x", "container": {"type": "message", "channel_id": "D" + user},
        "response_url": "http://127.0.0.1:9/unused", "actions": [{"action_id": action_id, "value": value}],
    }  # fmt: skip


def _ratings(rating: int, comment: str | None) -> dict[str, object]:
    values: dict[str, object] = {}
    for key in ("informed", "dates", "quality", "priorities", "overall"):
        option = {"value": str(rating), "text": {"type": "plain_text", "text": str(rating)}}
        values[f"rate:{key}"] = {"rating": {"type": "radio_buttons", "selected_option": option}}
        values[f"comment:{key}"] = {"comment": {"type": "plain_text_input", "value": comment}}
    return values


def test_importing_clients(
    slack: SlackDriver, session: Session, inside: list[str], database_url: str, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    """The App Home's import (users.info, users.lookupByEmail, files.info, the download) and `rapport import`."""
    slack.fake.add_user("UBOB", email="bob@ourco.test")
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    apply(slack, shown(slack.fake))
    assert slack.fake.calls_to("file_download") and slack.fake.calls_to("users.lookupByEmail")
    (tmp_path / "more.csv").write_text("name,owner\nInitech,bob@ourco.test\nGlobex,UBOB\n")
    monkeypatch.chdir(tmp_path)
    for name, value in {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": database_url,
                        "SLACK_API_URL": slack.fake.api_url}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    assert main(["import", "more.csv", "--team", "T1", "--apply"]) == 0
    assert count(session, Client) == 3 and inside == []


def test_the_boss_flows(slack: SlackDriver, sweeps: Sweeps, session: Session, inside: list[str]) -> None:
    """#12: a sponsor, the digest (asked for and by the sweep, with its chart), a briefing, cover while away, Home."""
    slack.fake.add_user("UBOB")
    slack.fake.add_user("UCAROL")
    for command in (
        "add Acme key", "log acme kickoff", "add Beta key", "promise acme the quote by 2026-12-03",
        "sponsor acme <@UBOB|bob> every 1w", "config digest <@UALICE|alice> <@UBOB|bob> mon 09:00", "digest",
        "config me briefing 09:00", "sponsor acme off", "sponsor acme <@UBOB|bob> every 1w",
    ):  # fmt: skip
        slack.command(command)
    slack.command("away until 2026-12-20 <@UALICE|alice>", user="UCAROL")
    slack.command("add Gamma owner <@UCAROL|carol>")
    sweeps.at(MONDAY_10_WARSAW)
    slip = next(n for n in nudges(session) if n.kind == "slip")
    press(slack, slip, ActionId.NUDGE_DONE)
    beta = session.scalars(select(Client.id).where(Client.name == "Beta")).one()
    press_on_home(slack, ActionId.HOME_SNOOZE_CLIENT, beta)
    assert slack.fake.calls_to("files.completeUploadExternal") and slack.fake.calls_to("views.publish")
    assert {c.params["channel"] for c in slack.fake.calls_to("chat.postMessage")} >= {"UALICE", "UBOB"}
    assert inside == []
