"""Nudges end to end: the sweep posts them, people answer by reaction or button, the message says what happened."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.clock import FixedClock
from fakes.slack import Canned, FakeSlack
from render.ids import ActionId, BlockId
from storage.models import Client, ClientEvent, Contact, ProcessedEvent, Promise
from tests.driver import SlackDriver
from tests.helpers import Sweeps, action_ids, blocks_text, client_row, nudges, posts, press, react
from tests.helpers import count as _count

# Sunday 22 Nov 2026 is when the tests' clock starts; a key client logged then is quiet from Sun 6 Dec.
MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _updates(fake: FakeSlack) -> list[str]:
    return [blocks_text(c) for c in fake.calls_to("chat.update")]


# quiet clients -------------------------------------------------------------------------------------------------


def test_quiet_key_client_nudges_its_owner_once(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    assert sweeps.at(MONDAY_10_WARSAW - timedelta(days=1)).posted == 0  # Sunday: not a working day
    report = sweeps.at(MONDAY_10_WARSAW)
    assert report.posted == 1
    [nudge_post] = posts(slack.fake)
    assert nudge_post.params["channel"] == "UALICE"
    text = blocks_text(nudge_post)
    assert "15 days since anyone talked to *Acme Corp* (you planned every 14 days)." in text
    assert "Last: Sun 22 Nov, <@UALICE>: “invoice call”" in text
    assert text.splitlines()[-1].startswith("React :white_check_mark: when done")
    assert action_ids(nudge_post) == [ActionId.NUDGE_LOGGED, ActionId.NUDGE_SNOOZE, ActionId.NUDGE_HAND_OVER]
    [nudge] = nudges(session)
    assert (nudge.kind, nudge.status, nudge.channel_id) == ("quiet", "posted", "DUALICE")
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(hours=3)).posted == 0
    assert len(posts(slack.fake)) == 1


def test_check_mark_logs_a_contact_and_edits_the_nudge(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    assert react(slack, nudge, "heavy_check_mark", user="UALICE").status == 200
    latest = session.scalars(select(Contact).order_by(Contact.id.desc())).first()
    assert latest is not None
    assert (latest.note, latest.user_id, latest.source) == ("confirmed from nudge", "UALICE", "nudge")
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("answered", "done", "UALICE")
    [update] = slack.fake.calls_to("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (nudge.channel_id, nudge.ts)
    assert "<@UALICE> confirmed it's done" in blocks_text(update)
    assert action_ids(update) == []
    assert client_row(session, "Acme Corp").quiet_due_at == MONDAY_10_WARSAW + timedelta(days=14)


def test_the_same_event_twice_takes_effect_once(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    contacts = _count(session, Contact)
    react(slack, nudge, "white_check_mark", event_id="EvSame")
    react(slack, nudge, "white_check_mark", event_id="EvSame", retry=1)
    assert _count(session, Contact) == contacts + 1
    assert len(slack.fake.calls_to("chat.update")) == 1
    assert _count(session, ProcessedEvent) == 1


@pytest.mark.parametrize(
    ("reaction", "user", "team", "elsewhere"),
    [
        ("white_check_mark", "UBOT", "T1", False),  # the bot itself
        ("white_check_mark", "UALICE", "T2", False),  # another workspace
        ("white_check_mark", "UALICE", "T1", True),  # another message
        ("thumbsup", "UALICE", "T1", False),  # a reaction that means nothing here
    ],
)
def test_reactions_that_are_ignored(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None, reaction: str, user: str, team: str,
    elsewhere: bool,
) -> None:  # fmt: skip
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    contacts = _count(session, Contact)
    react(slack, nudge, reaction, user=user, team=team, ts="1790000000.999999" if elsewhere else None)
    assert _count(session, Contact) == contacts
    assert nudges(session)[0].status == "posted"
    assert slack.fake.calls_to("chat.update") == []


def test_snooze_by_button_postpones_without_a_contact(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    contacts = _count(session, Contact)
    press(slack, nudge, ActionId.NUDGE_SNOOZE, selected_option={"value": f"{nudge.id}:3"})
    assert _count(session, Contact) == contacts
    client = client_row(session, "Acme Corp")
    assert client.snoozed_until == MONDAY_10_WARSAW + timedelta(days=3)
    assert client.quiet_due_at == MONDAY_10_WARSAW + timedelta(days=3)
    assert "snoozed it until Thu 10 Dec" in _updates(slack.fake)[-1]
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=2)).posted == 0
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3, minutes=5)).posted == 1
    slack.command("show acme")
    shown = slack.fake.last_response()["blocks"]
    text = json.dumps(shown)
    assert "snoozed the quiet-client nudge until Thu 10 Dec (no contact logged)" in text


def test_zzz_reaction_snoozes_a_week(slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    react(slack, nudge, "zzz")
    assert client_row(session, "Acme Corp").snoozed_until == MONDAY_10_WARSAW + timedelta(days=7)
    assert (nudges(session)[0].answer, nudges(session)[0].answered_by) == ("snooze", "UALICE")


def test_hand_over_by_menu_tells_the_new_owner_the_story(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_HAND_OVER, selected_user="UBOB")
    assert client_row(session, "Acme Corp").owner_id == "UBOB"
    dm = [c for c in posts(slack.fake) if c.params["channel"] == "UBOB"]
    assert len(dm) == 1
    assert "<@UALICE> handed *Acme Corp* over to you" in blocks_text(dm[0])
    assert "“invoice call”" in blocks_text(dm[0])
    assert "handed it over to <@UBOB>" in _updates(slack.fake)[-1]


def test_hand_over_to_a_bot_is_refused(slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None) -> None:
    slack.fake.add_user("UROBOT", is_bot=True)
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_HAND_OVER, selected_user="UROBOT")
    assert client_row(session, "Acme Corp").owner_id == "UALICE"
    assert nudges(session)[0].status == "posted"
    assert "is a bot" in slack.fake.last_response()["text"]


@pytest.fixture
def orphan(slack: SlackDriver, session: Session) -> None:
    """A key client "Acme" whose owner is deactivated, with a team channel: its nudges go there."""
    slack.fake.add_user("UGONE", deleted=True)
    slack.command("add Acme key")
    slack.command("config channel <#CTEAM|team>")
    with session.begin():
        client_row(session, "Acme").owner_id = "UGONE"


def test_raising_hand_from_someone_else_makes_them_the_owner(
    slack: SlackDriver, sweeps: Sweeps, session: Session, orphan: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)  # in the team channel, where anyone of the workspace may take it
    react(slack, nudge, "raising_hand::skin-tone-4", user="UCAROL")
    assert client_row(session, "Acme").owner_id == "UCAROL"
    assert "<@UCAROL> took it over" in _updates(slack.fake)[-1]


def test_a_dm_nudge_is_answered_only_by_whoever_got_it_or_the_owner(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    react(slack, nudge, "raising_hand", user="UALICE")  # the owner: nothing to take
    for reaction in ("raising_hand", "white_check_mark", "zzz"):
        react(slack, nudge, reaction, user="UCAROL")  # not in that DM: a reaction there cannot be theirs
    press(slack, nudge, ActionId.NUDGE_TAKE, value=str(nudge.id), user="UCAROL")
    assert "This nudge went to <@UALICE>" in slack.fake.last_response()["text"]
    press(slack, nudge, ActionId.NUDGE_SNOOZE, user="UCAROL", selected_option={"value": f"{nudge.id}:7"})
    assert (nudges(session)[0].status, client_row(session, "Acme Corp").owner_id) == ("posted", "UALICE")
    assert client_row(session, "Acme Corp").snoozed_until is None
    assert _count(session, Contact) == 1 and slack.fake.calls_to("chat.update") == []


def test_been_in_touch_opens_a_modal_that_logs_the_contact(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_LOGGED, value=str(nudge.id))
    [opened] = slack.fake.calls_to("views.open")
    view = opened.params["view"]
    note_block = next(b for b in view["blocks"] if b["block_id"] == "note")
    assert "initial_value" not in note_block["element"]
    values = {BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": "called Dana, all good"}}}
    assert slack.view_submission(view, values).status == 200
    latest = session.scalars(select(Contact).order_by(Contact.id.desc())).first()
    assert latest is not None and latest.note == "called Dana, all good"
    assert "<@UALICE> logged a contact." in _updates(slack.fake)[-1]


def test_a_second_answer_changes_nothing(slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_SNOOZE, selected_option={"value": f"{nudge.id}:14"})
    press(slack, nudge, ActionId.NUDGE_SNOOZE, selected_option={"value": f"{nudge.id}:3"})
    assert client_row(session, "Acme Corp").snoozed_until == MONDAY_10_WARSAW + timedelta(days=14)
    assert "<@UALICE> already answered this one" in slack.fake.last_response()["text"]


def test_a_contact_logged_elsewhere_closes_the_nudge(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    slack.command("log acme they called us about the renewal")
    sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5))
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer) == ("closed", "contacted")
    assert "A contact was logged since" in _updates(slack.fake)[-1]


# promises -------------------------------------------------------------------------------------------------------


@pytest.fixture
def promise(slack: SlackDriver) -> None:
    slack.command('add "Acme Corp"')
    slack.command("promise acme send revised quote by 2026-11-24")  # Tuesday


def test_heads_up_the_working_day_before(slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None) -> None:
    assert sweeps.at(datetime(2026, 11, 23, 7, 0, tzinfo=UTC)).posted == 0  # Mon 08:00 Warsaw: too early
    assert sweeps.at(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)).posted == 1
    [heads_up] = posts(slack.fake)
    assert "Heads-up: You promised *Acme Corp* “send revised quote” by Tue 24 Nov." in blocks_text(heads_up)
    assert action_ids(heads_up) == [ActionId.NUDGE_DONE, ActionId.NUDGE_NEW_DATE, ActionId.NUDGE_HAND_OVER]


def test_slip_nudge_counts_working_days_late(
    slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None
) -> None:
    sweeps.at(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thursday
    slip = [c for c in posts(slack.fake) if "late" in blocks_text(c)]
    assert len(slip) == 1
    assert "You promised *Acme Corp* “send revised quote” by Tue 24 Nov: 2 working days late." in blocks_text(slip[0])


def test_new_date_records_the_slip(slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None) -> None:
    sweeps.at(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    nudge = next(n for n in nudges(session) if n.kind == "slip")
    press(slack, nudge, ActionId.NUDGE_NEW_DATE, selected_date="2026-11-25")  # already past: refused
    assert "must be after today" in slack.fake.last_response()["text"]
    session.expire_all()
    assert session.scalars(select(Promise)).one().due_on == date(2026, 11, 24)
    press(slack, nudge, ActionId.NUDGE_NEW_DATE, selected_date="2026-12-02")
    session.expire_all()
    assert session.scalars(select(Promise)).one().due_on == date(2026, 12, 2)
    [moved] = session.scalars(select(ClientEvent).where(ClientEvent.kind == "promise_moved")).all()
    assert (moved.actor_id, moved.data) == ("UALICE", {"old": "2026-11-24", "new": "2026-12-02"})
    slack.command("show acme")
    text = json.dumps(slack.fake.last_response()["blocks"], ensure_ascii=False)
    assert "Tue 24 Nov → Wed 2 Dec, moved by <@UALICE>" in text


def test_done_button_keeps_the_promise(slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None) -> None:
    sweeps.at(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    nudge = next(n for n in nudges(session) if n.kind == "slip")
    press(slack, nudge, ActionId.NUDGE_DONE, value=str(nudge.id), user="UALICE")
    session.expire_all()
    kept = session.scalars(select(Promise)).one()
    assert (kept.done_by, kept.done_at) == ("UALICE", datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert "<@UALICE> confirmed it's done" in _updates(slack.fake)[-1]


# when, and to whom ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "who"),
    [
        # Warsaw left summer time on Sun 25 Oct: 07:30 UTC is 09:30 on Friday 23, 08:30 on Monday 26.
        # (Tokyo, UTC+9 all year, is at 16:30 then: still working.)
        (datetime(2026, 10, 23, 7, 30, tzinfo=UTC), {"UWAW", "UTYO"}),
        (datetime(2026, 10, 26, 7, 30, tzinfo=UTC), {"UTYO"}),
        # Los Angeles left summer time on Sun 1 Nov: 16:30 UTC is 09:30 on Fri 30 Oct, 08:30 on Mon 2 Nov.
        (datetime(2026, 10, 30, 16, 30, tzinfo=UTC), {"ULAX"}),
        (datetime(2026, 11, 2, 16, 30, tzinfo=UTC), set()),
        # Tokyo: Monday 09:30 there is still Sunday in UTC.
        (datetime(2026, 11, 2, 0, 30, tzinfo=UTC), {"UTYO"}),
    ],
)
def test_nudges_only_in_the_recipients_working_hours(
    slack: SlackDriver, sweeps: Sweeps, clock: FixedClock, utc: datetime, who: set[str]
) -> None:
    clock.set(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    for user, tz in (("UWAW", "Europe/Warsaw"), ("ULAX", "America/Los_Angeles"), ("UTYO", "Asia/Tokyo")):
        slack.fake.add_user(user, tz=tz)
        slack.command(f"add {user}-client key every 7d owner <@{user}>")
    sweeps.at(utc)
    assert {c.params["channel"] for c in posts(slack.fake)} == who


def test_five_separate_nudges_a_day_then_one_combined(slack: SlackDriver, sweeps: Sweeps, session: Session) -> None:
    for n in range(7):
        slack.command(f"add Client{n} key")
    report = sweeps.at(MONDAY_10_WARSAW)
    sent = posts(slack.fake)
    assert report.posted == 6 and len(sent) == 6
    combined = sent[-1]
    assert "2 more things need you today" in blocks_text(combined)
    assert action_ids(combined).count(ActionId.NUDGE_LOGGED) == 2
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(hours=1)).posted == 0


def test_unanswered_nudge_is_reminded_then_taken_to_the_team_channel(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    sweeps.at(MONDAY_10_WARSAW)
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=2)).reminders == 0
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3)).reminders == 1  # Thursday: 3 working days
    [reminder] = posts(slack.fake, thread=True)
    [nudge] = nudges(session)
    assert (reminder.params["channel"], reminder.params["thread_ts"]) == (nudge.channel_id, nudge.ts)
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=4)).escalations == 0
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=7)).escalations == 1  # next Monday: 2 more working days
    team_post = posts(slack.fake)[-1]
    assert team_post.params["channel"] == "CTEAM"
    assert "Who takes it?" in blocks_text(team_post)
    assert blocks_text(team_post).startswith(  # the team reads how long, against which cadence, and the last contact
        ":hourglass: 22 days since anyone talked to *Acme Corp* (planned every 14 days). "
        "Last: Sun 22 Nov, <@UALICE>: “invoice call”"
    )
    assert action_ids(team_post) == [ActionId.NUDGE_TAKE]
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=8)).escalations == 0
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_TAKE, value=str(nudge.id), user="UCAROL", escalated=True)
    assert client_row(session, "Acme Corp").owner_id == "UCAROL"
    edited = {c.params["channel"] for c in slack.fake.calls_to("chat.update")}
    assert edited == {"DUALICE", "CTEAM"}


def test_deactivated_owner_sends_the_nudge_to_the_team_channel(
    slack: SlackDriver, sweeps: Sweeps, session: Session, orphan: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [team_post] = posts(slack.fake)
    assert team_post.params["channel"] == "CTEAM"
    assert "Its owner <@UGONE> is not around" in blocks_text(team_post)
    assert action_ids(team_post) == [ActionId.NUDGE_TAKE]


def test_without_a_team_channel_it_goes_to_whoever_added_the_client(
    slack: SlackDriver, sweeps: Sweeps, session: Session
) -> None:
    slack.command("add Acme key owner <@UCAROL>", user="UBOB")
    slack.fake.add_user("UCAROL", deleted=True)  # deactivated since; the sweep asks Slack again (cache is a day)
    sweeps.at(MONDAY_10_WARSAW)
    assert [c.params["channel"] for c in posts(slack.fake)] == ["UBOB"]


def test_unreachable_dm_falls_back_to_the_team_channel(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "user_not_found"}))
    assert sweeps.at(MONDAY_10_WARSAW).posted == 1
    assert [c.params["channel"] for c in posts(slack.fake)] == ["UALICE", "CTEAM"]
    [nudge] = nudges(session)
    assert (nudge.recipient_id, nudge.channel_id, nudge.status) == ("CTEAM", "CTEAM", "posted")


def test_other_slack_errors_are_retried_by_a_later_sweep(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "internal_error"}))
    report = sweeps.at(MONDAY_10_WARSAW)
    assert (report.posted, report.failed) == (0, 1)
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=1)).posted == 0  # waits before trying again
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5)).posted == 1
    [nudge] = nudges(session)
    assert (nudge.status, nudge.attempts, nudge.last_error) == ("posted", 1, "internal_error")


def test_rate_limited_post_waits_and_is_delivered_once(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.fake.queue(
        "chat.postMessage", Canned({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "7"})
    )
    assert sweeps.at(MONDAY_10_WARSAW).posted == 1
    assert sweeps.waits == [7.0]
    assert len(posts(slack.fake)) == 2  # the refused try and the delivery
    assert len(nudges(session)) == 1 and nudges(session)[0].status == "posted"


def test_a_sweep_killed_after_its_claim_leaves_the_nudge_to_a_later_sweep(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    from domain.nudge_candidates import load_candidates
    from domain.nudge_claims import claim
    from domain.nudge_planning import plan
    from storage.db import make_session_factory

    with make_session_factory(session.get_bind())() as dying, dying.begin():
        candidates = load_candidates(dying, now=MONDAY_10_WARSAW)
        candidates.people.update(dict.fromkeys([("T1", "UALICE")], _person()))
        claim(dying, plan(candidates).posts, now=MONDAY_10_WARSAW)  # ... and the process dies here
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5)).posted == 0  # the claim is still leased
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=11)).posted == 1
    assert len(posts(slack.fake)) == 1
    assert [n.status for n in nudges(session)] == ["posted"]


def _person():  # type: ignore[no-untyped-def]
    from storage.models import Person

    return Person(team_id="T1", user_id="UALICE", tz="Europe/Warsaw", is_bot=False, deleted=False,
                  fetched_at=MONDAY_10_WARSAW)  # fmt: skip


def test_two_sweeps_at_once_post_each_nudge_once(
    slack: SlackDriver, settings: Settings, engine: object, clock: FixedClock, session: Session
) -> None:
    import threading

    for n in range(4):
        slack.fake.add_user(f"UOWNER{n}")
        slack.command(f"add Client{n} key owner <@UOWNER{n}>")
    clock.set(MONDAY_10_WARSAW)
    first, second = Sweeps(settings, engine, clock), Sweeps(settings, engine, clock)
    start = threading.Barrier(2)
    reports = []

    errors: list[BaseException] = []

    def run(sweeps: Sweeps) -> None:
        start.wait()
        try:
            reports.append(sweeps.sweeper.run())
        except BaseException as exc:  # a thread's exception would only be a warning: keep it for the assert
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(reports) == 2
    assert sum(r.posted for r in reports) == 4
    assert sorted(c.params["channel"] for c in posts(slack.fake)) == [f"UOWNER{n}" for n in range(4)]
    assert len(nudges(session)) == 4


def test_rapport_sweep_command(slack: SlackDriver, settings: Settings, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], acme: None) -> None:  # fmt: skip
    from bot.cli import main

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["sweep", "--now", "2026-12-07T10:00:00+01:00"]) == 0
    assert "1 nudges posted" in capsys.readouterr().out
    assert [c.params["channel"] for c in posts(slack.fake)] == ["UALICE"]
    assert main(["sweep", "--now", "2026-12-07T10:05:00+01:00"]) == 0
    assert len(posts(slack.fake)) == 1


# settings -------------------------------------------------------------------------------------------------------


def test_config_shows_and_changes_the_settings(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.command("config")
    shown = slack.fake.last_response()["text"]
    assert "*Team channel:* none" in shown and "09:00-17:00" in shown and "mon-fri" in shown
    slack.command("config hours 11:00-15:00")
    slack.command("config days sun-thu")
    slack.command("config channel <#CTEAM|team>")
    shown = slack.fake.last_response()["text"]
    assert "<#CTEAM> (its working hours in Europe/Warsaw)" in shown and "11:00-15:00" in shown
    assert sweeps.at(MONDAY_10_WARSAW).posted == 0  # 10:00 in Warsaw is before 11:00 now
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(hours=1)).posted == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("config hours 17:00-09:00", "is not a value for hours"),
        ("config hours lunchtime", "is not a value for hours"),
        ("config days funday", "is not a value for days"),
        ("config channel general", "is not a channel"),
        ("config colour blue", "Usage: `/client config"),
    ],
)
def test_bad_config_values_change_nothing(slack: SlackDriver, session: Session, text: str, error: str) -> None:
    slack.command("config hours 08:00-16:00")
    slack.command(text)
    assert error in slack.fake.last_response()["text"]
    slack.command("config")
    assert "08:00-16:00" in slack.fake.last_response()["text"]


def test_the_team_channel_has_one_daily_quota_whoever_added_the_clients(
    slack: SlackDriver, sweeps: Sweeps, session: Session
) -> None:
    slack.fake.add_user("UGONE", deleted=True)
    slack.fake.add_user("ULONDON", tz="Europe/London")
    slack.command("config channel <#CTEAM|team>")
    for n in range(12):
        slack.command(f"add Client{n} key", user="UALICE" if n % 2 else "ULONDON")
    with session.begin():
        session.execute(update(Client).values(owner_id="UGONE"))
    sweeps.at(MONDAY_10_WARSAW + timedelta(hours=1))  # working hours in Warsaw (11:00) and London (10:00)
    to_team = [c for c in posts(slack.fake) if c.params["channel"] == "CTEAM"]
    assert len(to_team) == 6  # five separate nudges and one combined message, not six per creator's zone
    assert "7 more things need you today" in blocks_text(to_team[-1])


def test_a_backlog_is_worked_off_day_by_day(slack: SlackDriver, sweeps: Sweeps, session: Session) -> None:
    for n in range(30):
        slack.command(f"add Backlog{n:02d} key")
    sweeps.at(MONDAY_10_WARSAW)
    assert len(nudges(session)) == 25  # five separate, twenty in the combined message
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(hours=2)).posted == 0
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=1)).posted == 5
    assert len({n.target_id for n in nudges(session)}) == 30


def test_slipped_promises_already_nudged_do_not_hold_back_new_ones(
    slack: SlackDriver, sweeps: Sweeps, session: Session
) -> None:
    slack.command('add "Acme Corp"')
    for n in range(30):
        slack.command(f"promise acme item {n:02d} by 2026-11-24")
    sweeps.at(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # Thursday: all 30 have slipped
    assert len([n for n in nudges(session) if n.kind == "slip"]) == 25
    sweeps.at(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert len({n.target_id for n in nudges(session) if n.kind == "slip"}) == 30


def test_a_new_owner_is_nudged_after_a_few_days(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_HAND_OVER, selected_user="UBOB")
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=2)).posted == 0  # the new owner's grace
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3, minutes=5)).posted == 1
    assert posts(slack.fake)[-1].params["channel"] == "UBOB"


def test_a_nudge_slack_keeps_refusing_is_tried_again_the_next_day(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    for _ in range(5):
        slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "internal_error"}))
    for minutes in (0, 5, 10, 15, 20):
        assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=minutes)).failed == 1
    assert nudges(session)[0].status == "failed"
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(hours=3)).posted == 0  # it rests
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=1, minutes=25)).posted == 1
    assert nudges(session)[0].status == "posted"


def test_only_a_member_of_the_workspace_can_take_a_client(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    slack.fake.add_user("UGUEST", team="TOTHER")
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    react(slack, nudge, "raising_hand", user="UGUEST")
    assert client_row(session, "Acme Corp").owner_id == "UALICE"
    assert nudges(session)[0].status == "posted"


def test_setting_the_team_channel_joins_it(slack: SlackDriver, session: Session) -> None:
    slack.command("config channel <#CTEAM|team>")
    assert [c.params["channel"] for c in slack.fake.calls_to("conversations.join")] == ["CTEAM"]
    assert "could not join" not in slack.fake.last_response()["text"]
    slack.fake.queue("conversations.join", Canned({"ok": False, "error": "method_not_supported_for_channel_type"}))
    slack.command("config channel <#GPRIVATE|private>")
    assert "please invite me there" in slack.fake.last_response()["text"]


def test_a_reminder_that_fails_in_any_way_is_tried_again(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    sweeps.at(MONDAY_10_WARSAW)
    slack.fake.queue("chat.postMessage", Canned("<html>proxy error</html>"))  # not even JSON
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3)).reminders == 0
    assert nudges(session)[0].reminded_at is None
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3, minutes=5)).reminders == 1
