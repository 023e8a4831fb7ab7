"""A client's message nobody of ours answers within the client's reply time nudges the client's owner.

End to end: the client's messages arrive as signed message events in a linked channel (CACME, keeping text),
the real sweep runs at chosen times, answers come as button presses and reactions. Reply times are counted in
the owner's working time (09:00-17:00, Monday to Friday, in their zone).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from domain.hours import WorkingHours
from fakes.slack import FakeSlack
from render.ids import ActionId
from render.unanswered import quoted, waited
from storage.models import ChannelMessage, Client, ClientEvent, Contact, Nudge
from tests.channels import CHANNEL, link, message, reaction, stored
from tests.driver import SlackDriver
from tests.helpers import Sweeps, action_ids, blocks_text, count, fresh, nudges, posts, press, react

# Friday 27 Nov 2026, 16:00 in Warsaw (UTC+1): an hour of work left that week.
FRIDAY_16_WARSAW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MONDAY_12_WARSAW = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # four working hours later
MONDAY_16_WARSAW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # one working day later
TUESDAY_12_WARSAW = MONDAY_12_WARSAW + timedelta(days=1)
QUESTION = "Could you send the signed contract?"
MINUTE = timedelta(minutes=1)


@pytest.fixture
def acme(slack: SlackDriver, session: Session) -> None:
    """Acme Corp (no cadence, so no quiet nudges), owned by UALICE (Warsaw); its channel CACME is linked and
    keeps text; UCLIENT is a Slack Connect member of the client's organization (TCLIENT)."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    link(session, keep_text=True)


def reply_time(session: Session, value: str | None, client: str = "Acme Corp") -> None:
    fresh(session)
    with session.begin():
        session.execute(update(Client).where(Client.name == client).values(reply_time=value))


def client_asks(slack: SlackDriver, clock: FixedClock, at: datetime, text: str = QUESTION, **kwargs: str) -> str:
    """UCLIENT writes in the client's channel at `at` (read then, as events are); returns its ts."""
    clock.set(at)
    return message(slack, at, user="UCLIENT", team="TCLIENT", text=text, **kwargs)


def unanswered(session: Session) -> list[Nudge]:
    return [n for n in nudges(session) if n.kind == "unanswered"]


def waiting(session: Session) -> ChannelMessage:
    [row] = [r for r in stored(session) if r.side == "client"]
    return row


def updates(fake: FakeSlack) -> list[str]:
    return [blocks_text(c) for c in fake.calls_to("chat.update")]


@pytest.fixture
def nudged(slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None) -> Nudge:
    """The client asked on Friday at 16:00 (reply time 4h); UALICE was nudged on Monday at 12:00."""
    reply_time(session, "4h")
    client_asks(slack, clock, FRIDAY_16_WARSAW)
    assert sweeps.at(MONDAY_12_WARSAW).posted == 1
    [nudge] = unanswered(session)
    return nudge


# when ------------------------------------------------------------------------------------------------------------


def test_four_working_hours_from_friday_afternoon_end_on_monday_at_noon(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    reply_time(session, "4h")
    ts = client_asks(slack, clock, FRIDAY_16_WARSAW)
    assert waiting(session).due_at == MONDAY_12_WARSAW
    for not_yet in (
        FRIDAY_16_WARSAW + timedelta(minutes=59),
        MONDAY_12_WARSAW - timedelta(hours=3),
        MONDAY_12_WARSAW - MINUTE,
    ):
        assert sweeps.at(not_yet).posted == 0
    assert sweeps.at(MONDAY_12_WARSAW).posted == 1
    [post] = posts(slack.fake)
    assert post.params["channel"] == "UALICE"
    link_to = f"https://acme.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}"
    assert blocks_text(post).splitlines() == [
        f":speech_balloon: <@UCLIENT> (*Acme Corp*) asked in <#{CHANNEL}> 4 working hours ago and nobody answered.",
        f"<{link_to}|View message>",
        f"> {QUESTION}",
        "React :white_check_mark: answered · :zzz: snooze (asked again in a working day)",
    ]
    assert action_ids(post) == [ActionId.NUDGE_ANSWERED, ActionId.NUDGE_SNOOZE_DAY]
    [nudge] = nudges(session)
    row = waiting(session)
    assert (nudge.kind, nudge.target_id, nudge.cycle_at, nudge.client_id) == (
        "unanswered",
        row.id,
        row.due_at,
        row.client_id,
    )
    assert nudge.promise_id is None
    assert sweeps.at(MONDAY_12_WARSAW + timedelta(hours=3)).posted == 0  # one nudge per message


def test_one_working_day_is_the_same_time_the_next_working_day(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    client_asks(slack, clock, FRIDAY_16_WARSAW)  # no reply time set: a working day
    assert sweeps.at(MONDAY_16_WARSAW - MINUTE).posted == 0
    assert sweeps.at(MONDAY_16_WARSAW).posted == 1
    assert "asked in <#CACME> 1 working day ago and nobody answered." in blocks_text(posts(slack.fake)[0])


def test_a_channel_that_keeps_no_text_shows_only_the_link(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock
) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    link(session)  # keeps no text
    client_asks(slack, clock, FRIDAY_16_WARSAW)
    sweeps.at(MONDAY_16_WARSAW)
    text = blocks_text(posts(slack.fake)[0])
    assert "View message>" in text and QUESTION not in text and "\n>" not in text


def test_reply_time_across_the_end_of_summer_time(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    link(session)
    reply_time(session, "4h")
    # Friday 23 Oct 16:00 in Warsaw is 14:00 UTC (summer time); Monday 26 Oct 12:00 there is 11:00 UTC (winter).
    client_asks(slack, clock, datetime(2026, 10, 23, 14, 0, tzinfo=UTC))
    assert waiting(session).due_at == datetime(2026, 10, 26, 11, 0, tzinfo=UTC)
    assert sweeps.at(datetime(2026, 10, 26, 10, 59, tzinfo=UTC)).posted == 0
    assert sweeps.at(datetime(2026, 10, 26, 11, 0, tzinfo=UTC)).posted == 1
    assert "4 working hours ago" in blocks_text(posts(slack.fake)[0])


def test_reply_time_runs_in_the_owners_working_hours(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock
) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    for user, tz, channel in (("ULAX", "America/Los_Angeles", "CLAX"), ("UTYO", "Asia/Tokyo", "CTYO")):
        slack.fake.add_user(user, tz=tz)
        slack.command(f'add "{user} Client" owner <@{user}>')
        link(session, channel, client=f"{user} Client")
        reply_time(session, "4h", client=f"{user} Client")
    # Monday 30 Nov, 17:00 UTC: 09:00 in Los Angeles; 02:00 on Tuesday in Tokyo, before work.
    asked = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    for channel in ("CLAX", "CTYO"):
        client_asks(slack, clock, asked, channel=channel)
    due = {r.channel_id: r.due_at for r in stored(session)}
    assert due == {
        "CLAX": datetime(2026, 11, 30, 21, 0, tzinfo=UTC),  # 13:00 in Los Angeles
        "CTYO": datetime(2026, 12, 1, 4, 0, tzinfo=UTC),  # Tuesday 13:00 in Tokyo
    }
    assert sweeps.at(datetime(2026, 11, 30, 20, 59, tzinfo=UTC)).posted == 0
    assert sweeps.at(datetime(2026, 11, 30, 21, 0, tzinfo=UTC)).posted == 1
    assert sweeps.at(datetime(2026, 12, 1, 3, 59, tzinfo=UTC)).posted == 0
    assert sweeps.at(datetime(2026, 12, 1, 4, 0, tzinfo=UTC)).posted == 1
    assert [c.params["channel"] for c in posts(slack.fake)] == ["ULAX", "UTYO"]
    assert all("4 working hours ago" in blocks_text(c) for c in posts(slack.fake))


# answered in the channel ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["reply", "later message", "check mark"])
def test_answered_before_the_reply_time_runs_out_no_nudge(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None, how: str
) -> None:
    reply_time(session, "4h")
    ts = client_asks(slack, clock, FRIDAY_16_WARSAW)
    clock.set(FRIDAY_16_WARSAW + timedelta(minutes=30))
    if how == "reply":
        message(slack, FRIDAY_16_WARSAW + timedelta(minutes=30), user="UBOB", thread_ts=ts)
    elif how == "later message":
        message(slack, FRIDAY_16_WARSAW + timedelta(minutes=30), user="UBOB")
    else:
        reaction(slack, ts, user="UBOB")
    assert waiting(session).answered_by == "UBOB"
    assert sweeps.at(MONDAY_12_WARSAW).posted == 0
    assert sweeps.at(MONDAY_16_WARSAW + timedelta(days=1)).posted == 0
    assert nudges(session) == []


def test_a_bots_reply_does_not_count(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    reply_time(session, "4h")
    ts = client_asks(slack, clock, FRIDAY_16_WARSAW)
    message(slack, FRIDAY_16_WARSAW + MINUTE, user=None, bot_id="BOTHER", subtype="bot_message", thread_ts=ts)
    assert sweeps.at(MONDAY_12_WARSAW).posted == 1


def test_answered_after_the_nudge_closes_it_at_the_next_sweep(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, nudged: Nudge
) -> None:
    clock.set(MONDAY_12_WARSAW + timedelta(minutes=10))
    message(slack, MONDAY_12_WARSAW + timedelta(minutes=10), user="UBOB", thread_ts=waiting(session).ts)
    assert slack.fake.calls_to("chat.update") == []  # the sweep closes it, not the message event
    report = sweeps.at(MONDAY_12_WARSAW + timedelta(minutes=15))
    assert (report.closed, report.posted) == (1, 0)
    [nudge] = unanswered(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("closed", "answered", "UBOB")
    [edit] = slack.fake.calls_to("chat.update")
    assert (edit.params["channel"], edit.params["ts"]) == (nudge.channel_id, nudge.ts)
    assert ":white_check_mark: Answered by <@UBOB>." in blocks_text(edit)
    assert "*Acme Corp*: <@UCLIENT> asked in <#CACME>" in blocks_text(edit)
    assert action_ids(edit) == []
    press(slack, nudge, ActionId.NUDGE_ANSWERED, value=str(nudge.id))
    assert "<@UBOB> already answered this one" in slack.fake.last_response()["text"]


def test_a_deleted_message_closes_its_nudge(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, nudged: Nudge
) -> None:
    ts = waiting(session).ts
    message(slack, MONDAY_12_WARSAW + MINUTE, user=None, subtype="message_deleted", deleted_ts=ts,
            previous_message={"type": "message", "ts": ts})  # fmt: skip
    assert sweeps.at(MONDAY_12_WARSAW + timedelta(minutes=5)).closed == 1
    [nudge] = unanswered(session)
    assert (nudge.status, nudge.answer) == ("closed", "deleted")
    edited = updates(slack.fake)[-1]
    assert "The message was deleted, or its channel unlinked: nothing to answer." in edited and QUESTION not in edited


# answered from the nudge ----------------------------------------------------------------------------------------


def test_the_answered_button_answers_the_message_without_a_contact(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, nudged: Nudge
) -> None:
    clock.set(MONDAY_12_WARSAW + timedelta(minutes=20))
    press(slack, nudged, ActionId.NUDGE_ANSWERED, value=str(nudged.id))
    row = waiting(session)
    assert (row.answered_by, row.answer, row.answered_at) == (
        "UALICE",
        "nudge",
        MONDAY_12_WARSAW + timedelta(minutes=20),
    )
    [nudge] = unanswered(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("answered", "done", "UALICE")
    assert count(session, Contact) == 0  # the owner says it was answered; that is no contact of ours
    [edit] = slack.fake.calls_to("chat.update")
    assert "<@UALICE> marked it answered." in blocks_text(edit) and action_ids(edit) == []
    press(slack, nudged, ActionId.NUDGE_ANSWERED, value=str(nudged.id))  # a double click
    assert "<@UALICE> already answered this one" in slack.fake.last_response()["text"]
    assert len(slack.fake.calls_to("chat.update")) == 1
    for days in (1, 3, 6):  # no new nudge, no reminder, no team channel
        report = sweeps.at(MONDAY_12_WARSAW + timedelta(days=days))
        assert (report.posted, report.reminders, report.escalations) == (0, 0, 0)


def test_a_check_mark_on_the_nudge_answers_the_message_once(
    slack: SlackDriver, session: Session, sweeps: Sweeps, nudged: Nudge
) -> None:
    react(slack, nudged, "white_check_mark", event_id="EvCheck")
    react(slack, nudged, "white_check_mark", event_id="EvCheck", retry=1)  # Slack's retry
    assert (waiting(session).answered_by, waiting(session).answer) == ("UALICE", "nudge")
    assert unanswered(session)[0].status == "answered"
    assert len(slack.fake.calls_to("chat.update")) == 1
    assert count(session, Contact) == 0


def test_snooze_asks_again_the_next_working_day_at_the_same_time(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, nudged: Nudge
) -> None:
    press(slack, nudged, ActionId.NUDGE_SNOOZE_DAY, value=str(nudged.id))
    row = waiting(session)
    assert (row.due_at, row.answered_at) == (TUESDAY_12_WARSAW, None)
    [nudge] = unanswered(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("answered", "snooze", "UALICE")
    assert ":zzz: <@UALICE> snoozed it until Tue 1 Dec 12:00." in updates(slack.fake)[-1]
    fresh(session)
    [event] = session.scalars(select(ClientEvent)).all()
    assert (event.kind, event.actor_id, event.data["channel"], event.data["user"]) == (
        "message_snoozed", "UALICE", CHANNEL, "UCLIENT"
    )  # fmt: skip
    press(slack, nudged, ActionId.NUDGE_SNOOZE_DAY, value=str(nudged.id))  # a double click
    assert "<@UALICE> already answered this one" in slack.fake.last_response()["text"]
    assert (waiting(session).due_at, count(session, ClientEvent)) == (TUESDAY_12_WARSAW, 1)
    slack.command("show acme")
    shown = json.dumps(slack.fake.last_response()["blocks"], ensure_ascii=False)
    assert "<@UALICE> snoozed the nudge about a message from <@UCLIENT> in <#CACME> until Tue 1 Dec" in shown
    assert sweeps.at(TUESDAY_12_WARSAW - MINUTE).posted == 0
    assert sweeps.at(TUESDAY_12_WARSAW).posted == 1
    again = unanswered(session)[-1]
    assert (again.cycle_at, again.status) == (TUESDAY_12_WARSAW, "posted")
    assert "asked in <#CACME> 1 working day ago" in blocks_text(posts(slack.fake)[-1])  # Fri 16:00 to Tue 12:00


def test_zzz_snoozes_and_raising_hand_does_nothing(
    slack: SlackDriver, session: Session, sweeps: Sweeps, nudged: Nudge
) -> None:
    react(slack, nudged, "raising_hand")
    react(slack, nudged, "raising_hand", user="UCAROL")
    assert unanswered(session)[0].status == "posted" and slack.fake.calls_to("chat.update") == []
    react(slack, nudged, "zzz")
    assert waiting(session).due_at == TUESDAY_12_WARSAW
    react(slack, nudged, "zzz", user="UALICE")  # a second 💤: answered already, nothing moves
    assert waiting(session).due_at == TUESDAY_12_WARSAW
    assert count(session, ClientEvent) == 1


def test_only_the_recipient_or_the_owner_answers_a_dm_nudge(
    slack: SlackDriver, session: Session, sweeps: Sweeps, nudged: Nudge
) -> None:
    press(slack, nudged, ActionId.NUDGE_ANSWERED, value=str(nudged.id), user="UCAROL")
    assert "This nudge went to <@UALICE>" in slack.fake.last_response()["text"]
    react(slack, nudged, "white_check_mark", user="UCAROL")
    assert waiting(session).answered_at is None and unanswered(session)[0].status == "posted"
    slack.command("owner acme <@UBOB|bob>")  # the owner now may answer it
    press(slack, nudged, ActionId.NUDGE_ANSWERED, value=str(nudged.id), user="UBOB")
    assert waiting(session).answered_by == "UBOB"


def test_another_workspaces_ids_are_refused(
    slack: SlackDriver, session: Session, sweeps: Sweeps, nudged: Nudge
) -> None:
    press(slack, nudged, ActionId.NUDGE_ANSWERED, value=str(nudged.id), team="T2")
    assert "I can't find that nudge any more" in slack.fake.last_response()["text"]
    press(slack, nudged, ActionId.NUDGE_SNOOZE_DAY, value=str(nudged.id), team="T2")
    react(slack, nudged, "white_check_mark", team="T2")
    row = waiting(session)
    assert (row.answered_at, row.due_at) == (None, MONDAY_12_WARSAW)
    assert unanswered(session)[0].status == "posted" and slack.fake.calls_to("chat.update") == []


def test_an_answer_after_someone_answered_in_the_channel_closes_the_nudge(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, nudged: Nudge
) -> None:
    message(slack, MONDAY_12_WARSAW + MINUTE, user="UCAROL")  # before any sweep noticed
    press(slack, nudged, ActionId.NUDGE_SNOOZE_DAY, value=str(nudged.id))
    row = waiting(session)
    assert (row.answered_by, row.due_at) == ("UCAROL", MONDAY_12_WARSAW)  # nothing snoozed
    [nudge] = unanswered(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("closed", "answered", "UCAROL")
    assert "Answered by <@UCAROL>." in updates(slack.fake)[-1]
    assert count(session, ClientEvent) == 0


def test_a_snooze_on_a_message_already_given_a_later_deadline_moves_nothing(
    slack: SlackDriver, session: Session, sweeps: Sweeps, nudged: Nudge
) -> None:
    """Two snoozes at once (two nudges of one message, or two clicks racing): the deadline moves once."""
    later = MONDAY_16_WARSAW + timedelta(days=1)
    fresh(session)
    with session.begin():
        session.execute(update(ChannelMessage).where(ChannelMessage.side == "client").values(due_at=later))
    press(slack, nudged, ActionId.NUDGE_SNOOZE_DAY, value=str(nudged.id))
    assert (waiting(session).due_at, count(session, ClientEvent)) == (later, 0)
    assert ":zzz: <@UALICE> snoozed it until Tue 1 Dec 16:00." in updates(slack.fake)[-1]


# several, and the follow-ups -------------------------------------------------------------------------------------


def test_the_sixth_message_of_a_day_goes_in_the_combined_message(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    reply_time(session, "4h")
    for n in range(7):  # a client's later message answers nothing: seven wait
        client_asks(slack, clock, FRIDAY_16_WARSAW + n * MINUTE, text=f"question {n}")
    assert sweeps.at(MONDAY_12_WARSAW + timedelta(minutes=10)).posted == 6
    combined = posts(slack.fake)[-1]
    text = blocks_text(combined)
    assert "2 more things need you today" in text
    assert "> question 5" in text and "> question 6" in text
    assert action_ids(combined) == [ActionId.NUDGE_ANSWERED, ActionId.NUDGE_SNOOZE_DAY] * 2
    last = unanswered(session)[-1]
    assert last.combined
    react(slack, last, "white_check_mark")  # answers both of its items
    assert {r.text: r.answer for r in stored(session)} == {
        **{f"question {n}": None for n in range(5)}, "question 5": "nudge", "question 6": "nudge"
    }  # fmt: skip
    assert updates(slack.fake)[-1].count("marked it answered") == 2


def test_a_client_waiting_comes_before_other_nudges(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    clock.set(FRIDAY_16_WARSAW - timedelta(days=30))
    for n in range(5):
        slack.command(f"add Quiet{n} key")
    client_asks(slack, clock, FRIDAY_16_WARSAW)  # a working day: Monday 16:00
    sweeps.at(MONDAY_16_WARSAW)
    first = posts(slack.fake)[0]
    assert ":speech_balloon:" in blocks_text(first)
    assert "1 more thing need you today" in blocks_text(posts(slack.fake)[-1])  # a quiet client left for it


def test_unanswered_nudge_is_reminded_then_taken_to_the_team_channel(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    reply_time(session, "4h")
    client_asks(slack, clock, FRIDAY_16_WARSAW)
    sweeps.at(MONDAY_12_WARSAW)
    assert sweeps.at(MONDAY_12_WARSAW + timedelta(days=3)).reminders == 1  # Thursday: 3 working days
    [reminder] = posts(slack.fake, thread=True)
    assert "<@UCLIENT> (*Acme Corp*) is still waiting for an answer." in blocks_text(reminder)
    assert sweeps.at(MONDAY_12_WARSAW + timedelta(days=7)).escalations == 1  # 2 more working days
    team_post = posts(slack.fake)[-1]
    assert team_post.params["channel"] == "CTEAM"
    text = blocks_text(team_post)
    # Friday's last hour, a week of work and Monday morning: five and a half working days, said in whole days.
    assert (
        "asked in <#CACME> 5 working days ago and nobody answered. <@UALICE> has not answered for a week. Who" in text
    )
    assert f"> {QUESTION}" in text
    assert action_ids(team_post) == [ActionId.NUDGE_ANSWERED, ActionId.NUDGE_SNOOZE_DAY]
    [nudge] = unanswered(session)
    press(slack, nudge, ActionId.NUDGE_ANSWERED, value=str(nudge.id), user="UCAROL", escalated=True)
    assert waiting(session).answered_by == "UCAROL"
    assert {c.params["channel"] for c in slack.fake.calls_to("chat.update")} == {"DUALICE", "CTEAM"}


# the wording ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "hours", "said"),
    [
        (0, WorkingHours(), "less than a working hour"),
        (59, WorkingHours(), "less than a working hour"),
        (60, WorkingHours(), "1 working hour"),
        (5 * 60 + 59, WorkingHours(), "5 working hours"),  # whole hours: never more than it was
        (8 * 60 - 1, WorkingHours(), "7 working hours"),
        (8 * 60, WorkingHours(), "1 working day"),  # a working day's length (09:00-17:00): a reply time of 1d
        (12 * 60, WorkingHours(), "1 working day"),
        (16 * 60, WorkingHours(), "2 working days"),
        (4 * 60, WorkingHours(time(10, 0), time(14, 0)), "1 working day"),  # a shorter working day
        (3 * 60, WorkingHours(time(10, 0), time(14, 0)), "3 working hours"),
    ],
)
def test_working_time_waited_reads_in_hours_within_a_day_then_in_days(
    minutes: int, hours: WorkingHours, said: str
) -> None:
    assert waited(minutes, hours) == said


def test_people_named_in_a_quoted_message_are_not_notified() -> None:
    assert quoted("<@U1> and <@W2|dana>, see\n<#C1|general> <https://x.y|here>") == (
        "@someone and @dana, see <#C1|general> <https://x.y|here>"
    )
