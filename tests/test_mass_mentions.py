"""User text that says @channel, @here, @everyone or @group reads as typed everywhere and notifies nobody.

Slack sends what people type as `<!channel>`, `<!here>`, `<!everyone>` and `<!subteam^S…|@group>`. Every
test's fake Slack fails the test when any message, view or ack the app sends carries one of them (or the bare
words, which Slack may parse); the tests here put such text in every field and walk every message kind.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import Call, Canned, FakeSlack
from render.formats import harmless
from render.ids import ActionId, BlockId, comment_block, rating_block
from storage.models import Promise, Survey
from tests.channels import link, message
from tests.driver import SlackDriver
from tests.helpers import Sweeps, nudges, posts, press

WJ = "\u2060"
ALERT = '"<!channel> Alert Co"'  # as Slack sends a name typed as "@channel Alert Co"
SHOWN = f"@{WJ}channel Alert Co"  # as people read it in Slack: a word, not a mention
MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def alert(slack: SlackDriver) -> None:
    slack.command(f"add {ALERT} key")
    slack.command(f"log {ALERT} <!here> asked about <!subteam^S0DESIGN|@design> and @everyone")


def _sent(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


def _reply(fake: FakeSlack) -> str:
    return json.dumps(fake.last_response(), ensure_ascii=False)


def test_harmless_keeps_what_people_read() -> None:
    assert harmless("<!channel> <!here|here> <!everyone>") == f"@{WJ}channel @{WJ}here @{WJ}everyone"
    assert harmless("ask <!subteam^S0DESIGN|@design>, <!subteam^S1>") == f"ask @{WJ}design, @{WJ}group"
    assert harmless("typed @here and @Channel, mail a@here.com") == f"typed @{WJ}here and @{WJ}Channel, mail a@here.com"
    assert harmless("<@U1|dana> and <#C1|general> and <!date^1790000000^{date}|Nov 1>") == (
        "<@U1|dana> and <#C1|general> and <!date^1790000000^{date}|Nov 1>"  # one person, a channel link, a date
    )
    assert harmless("<!foo|bar> <!subteam^S2|@ops>") == f"bar @{WJ}ops"
    assert "<!" not in harmless("<<!x|!channel>>") and "<!" not in harmless("<!a|<!b|!here>>")  # nested tokens


def test_command_replies_show_user_text_as_typed(slack: SlackDriver, session: Session, alert: None) -> None:
    assert SHOWN in _reply(slack.fake) and f"@{WJ}here asked about @{WJ}design and @{WJ}everyone" in _reply(slack.fake)
    slack.command(f"promise {ALERT} tell <!everyone> the plan by 2026-12-24")
    assert f"tell @{WJ}everyone the plan" in _reply(slack.fake)
    slack.command(f"alias {ALERT} <!here> Corp")
    assert f"@{WJ}here Corp" in _reply(slack.fake)
    for command in (f"show {ALERT}", "list", "list key", "surveys", "config"):
        slack.command(command)
        if command.startswith(("show", "list")):
            assert SHOWN in _reply(slack.fake), command
    slack.command("show <!here> nobody")  # an unknown name is echoed in the error
    assert f"@{WJ}here nobody" in _reply(slack.fake)
    slack.command(f"owner {ALERT} <@UBOB|bob>")
    assert SHOWN in _sent(slack.fake.calls_to("chat.postMessage")[-1])  # the DM to the new owner
    slack.command(f"export {ALERT}")
    [upload] = slack.fake.calls_to("files.completeUploadExternal")
    assert SHOWN in upload.params["initial_comment"]
    slack.command(f"done {session.scalars(select(Promise.id)).one()}")
    assert f"tell @{WJ}everyone the plan" in _reply(slack.fake)
    assert slack.fake.mass_mentions == []


def test_nudges_reminders_and_team_channel_posts(
    slack: SlackDriver, sweeps: Sweeps, session: Session, alert: None
) -> None:
    for n in range(5):  # five more quiet key clients: the sixth nudge of the day goes into the combined message
        slack.command(f'add "<!here> Client {n}" key')
    slack.command(f"promise {ALERT} tell <!everyone> the plan by 2026-12-08")
    slack.command("config channel <#CTEAM|team>")
    sweeps.at(MONDAY_10_WARSAW)
    dms = [c for c in posts(slack.fake) if c.params["channel"] == "UALICE"]
    assert len(dms) == 6  # five separate nudges and one combined
    assert any(SHOWN in _sent(c) and f"@{WJ}here asked about" in _sent(c) for c in dms)  # quiet: name, last note
    assert any("more thing" in _sent(c) and f"@{WJ}here Client" in _sent(c) for c in dms)  # the combined one
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=3))  # Thursday: reminders in the threads
    reminders = posts(slack.fake, thread=True)
    assert reminders and all("<!" not in _sent(c) for c in reminders)
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=7))  # next Monday: the team channel
    team_posts = [c for c in posts(slack.fake) if c.params["channel"] == "CTEAM"]
    assert team_posts and any(f"@{WJ}here Client" in _sent(c) or SHOWN in _sent(c) for c in team_posts)
    quiet = next(n for n in nudges(session) if n.escalation_ts and n.kind == "quiet")
    press(slack, quiet, ActionId.NUDGE_TAKE, value=str(quiet.id), user="UCAROL", escalated=True)
    assert slack.fake.calls_to("chat.update")  # the answered messages, edited
    promise_nudge = next(n for n in nudges(session) if n.kind != "quiet" and n.status == "posted")
    press(slack, promise_nudge, ActionId.NUDGE_HAND_OVER, user="UALICE", selected_user="UBOB")
    handed = [c for c in posts(slack.fake) if c.params["channel"] == "UBOB"]
    assert handed and SHOWN in _sent(handed[-1])
    assert slack.fake.mass_mentions == []


def test_a_client_message_nobody_answered(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock
) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command(f"add {ALERT}")
    slack.command("config channel <#CTEAM|team>")
    link(session, client="<!channel> Alert Co", keep_text=True)
    clock.set(MONDAY_10_WARSAW)
    asked = "<!here> can <@UBOB> send it? cc <!subteam^S0DESIGN|@design> and @everyone"
    message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT", text=asked)
    quoted = f"> @{WJ}here can @someone send it? cc @{WJ}design and @{WJ}everyone"  # nobody named is notified
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=1))  # a working day later
    [nudge_post] = posts(slack.fake)
    assert SHOWN in _sent(nudge_post) and quoted in _sent(nudge_post) and "<@UBOB>" not in _sent(nudge_post)
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=4))  # Friday: the reminder
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=8))  # Tuesday: the team channel
    [team_post] = [c for c in posts(slack.fake) if c.params["channel"] == "CTEAM"]
    assert SHOWN in _sent(team_post) and quoted in _sent(team_post) and "<@UBOB>" not in _sent(team_post)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_ANSWERED, value=str(nudge.id), user="UCAROL", escalated=True)
    assert len(slack.fake.calls_to("chat.update")) == 2 and all(
        quoted not in _sent(c) and SHOWN in _sent(c) for c in slack.fake.calls_to("chat.update")
    )
    assert slack.fake.mass_mentions == []


def test_survey_invitations_summaries_and_fixes(slack: SlackDriver, session: Session, sweeps: Sweeps) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command(f"add {ALERT}")
    slack.command(f"channel {ALERT} <#CACME|acme-shared>")
    for _ in range(2):  # the client's person cannot be DMed (Slack Connect): asked in the client's channel
        slack.fake.queue("conversations.open", _no_dm_with_the_client)
    slack.command(f'survey {ALERT} "<!everyone> relaunch" client <@UCLIENT|jo> team <@UBOB|bob>')
    invitation = next(c for c in posts(slack.fake) if c.params["channel"] == "CACME")
    assert SHOWN in _sent(invitation) and f"@{WJ}everyone relaunch" in _sent(invitation)
    session.expire_all()
    survey = session.scalars(select(Survey)).one()
    sweeps.at(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # the next working day: reminders
    assert any(f"@{WJ}everyone relaunch" in _sent(c) for c in posts(slack.fake, thread=True))
    _answer(slack, survey.id, "UBOB", channel="DUBOB", ratings=4, comment=None)
    _answer(
        slack, survey.id, "UCLIENT", channel="CACME", ratings=1, comment="@channel nobody told us"
    )  # a modal sends it as typed
    summary = next(c for c in posts(slack.fake) if c.params["channel"] == "UALICE")
    assert f"@{WJ}channel nobody told us" in _sent(summary) and f"@{WJ}everyone relaunch" in _sent(summary)
    view = _press_fix(slack, survey.id, "informed")
    assert f"@{WJ}everyone relaunch" in json.dumps(view, ensure_ascii=False)
    slack.view_submission(view, {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "@here weekly mail <!here>"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-12-04"}},
    })  # fmt: skip
    assert f"@{WJ}here weekly mail" in _sent(slack.fake.calls_to("chat.update")[-1])
    assert slack.fake.mass_mentions == []


def test_home_tab_picker_and_shortcut(slack: SlackDriver, alert: None) -> None:
    slack.post(json.dumps({
        "token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "EvHome",
        "event_time": 1790000000, "event": {"type": "app_home_opened", "user": "UALICE", "tab": "home"},
    }), "application/json")  # fmt: skip
    assert SHOWN in _sent(slack.fake.calls_to("views.publish")[-1])
    slack.message_shortcut(text="<!here> can we move the call? cc <!subteam^S0DESIGN|@design>")
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    assert f"@{WJ}here can we move the call? cc @{WJ}design" in json.dumps(view, ensure_ascii=False)
    options = slack.options(ActionId.CLIENT_PICK, "alert", view=view)
    assert SHOWN in options.body.encode().decode("unicode_escape")
    assert slack.fake.mass_mentions == []


def _no_dm_with_the_client(call: Call) -> Canned:
    if call.params.get("users") == "UCLIENT":
        return Canned({"ok": False, "error": "cannot_dm_external"})
    return Canned({"ok": True, "channel": {"id": "D" + str(call.params.get("users"))}})


def _answer(slack: SlackDriver, survey_id: int, user: str, *, channel: str, ratings: int, comment: str | None) -> None:
    slack.interact(_action(user, channel, ActionId.SURVEY_ANSWER, str(survey_id)))
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    values: dict[str, Any] = {}
    for key in ("informed", "dates", "quality", "priorities", "overall"):
        option = {"value": str(ratings), "text": {"type": "plain_text", "text": str(ratings)}}
        values[rating_block(key)] = {ActionId.RATING: {"type": "radio_buttons", "selected_option": option}}
        values[comment_block(key)] = {ActionId.COMMENT: {"type": "plain_text_input", "value": comment}}
    slack.view_submission(view, values, user=user)


def _press_fix(slack: SlackDriver, survey_id: int, item: str) -> dict[str, Any]:
    value = json.dumps({"survey": survey_id, "item": item})
    slack.interact(_action("UALICE", "DUALICE", ActionId.SURVEY_PLAN_FIX, value))
    view: dict[str, Any] = slack.fake.calls_to("views.open")[-1].params["view"]
    return view


def _action(user: str, channel: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "block_actions", "team": {"id": "T1"}, "user": {"id": user, "team_id": "T1"}, "api_app_id": "A1",
        "token": "legacy", "trigger_id": "trigger-x", "container": {"type": "message", "channel_id": channel},
        "response_url": "http://127.0.0.1:9/unused", "actions": [{"action_id": action_id, "value": value}],
    }  # fmt: skip
