"""Sponsors: `/client sponsor`, their own clock (only their own contacts reset it), their own nudge, and show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import FakeSlack
from render.ids import ActionId, BlockId
from storage.boss_models import ClientSponsor
from storage.models import ClientEvent, Contact
from tests.channels import link, message
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import (
    NOTHING_CHANGED,
    Sweeps,
    action_ids,
    ask,
    blocks_text,
    fresh,
    log,
    nudges,
    posts,
    press,
    react,
)

# NOW is Sun 22 Nov 2026 09:00 UTC. A 10-day sponsor named then is due Wed 2 Dec, 10:00 in Warsaw: a working day.
DUE = NOW + timedelta(days=10)
BOB = "<@UBOB|bob>"


def sponsor(session: Session) -> ClientSponsor | None:
    return fresh(session).scalars(select(ClientSponsor)).one_or_none()


def events(session: Session) -> list[tuple[str, str | None, dict[str, Any]]]:
    rows = fresh(session).scalars(select(ClientEvent).order_by(ClientEvent.id))
    return [(e.kind, e.actor_id, e.data) for e in rows]


def dms_to(fake: FakeSlack, user: str) -> list[str]:
    return [blocks_text(c) for c in posts(fake) if c.params["channel"] == user]


def _rows(session: Session) -> dict[str, list[Any]]:
    fresh(session)
    return {
        model.__tablename__: list(session.execute(select(model.__table__)).all())
        for model in (ClientSponsor, ClientEvent, Contact)
    }


@contextmanager
def nothing_written(session: Session) -> Iterator[None]:
    before = _rows(session)
    yield
    assert _rows(session) == before


@pytest.fixture
def sponsored(slack: SlackDriver, acme: None) -> None:
    """Acme Corp (owned by UALICE, who logged a contact at NOW) with UBOB as its sponsor, every 10 days, since NOW."""
    ask(slack, f"sponsor acme {BOB} every 10d")


# naming, replacing, off -------------------------------------------------------------------------------------------


def test_naming_a_sponsor_starts_their_clock_and_tells_them(slack: SlackDriver, session: Session, acme: None) -> None:
    reply = ask(slack, f"sponsor acme {BOB} every 10d")
    assert reply == (
        "<@UBOB> is now the sponsor of *Acme Corp*, every 10 days. They have no contact of their own with it yet: "
        "their clock starts now. Their next is due by Wed 2 Dec."
    )
    row = sponsor(session)
    assert row is not None
    assert (row.user_id, row.cadence_days, row.named_at, row.named_by) == ("UBOB", 10, NOW, "UALICE")
    assert (row.last_contact_at, row.due_at) == (None, DUE)
    assert events(session) == [("sponsor_named", "UALICE", {"sponsor": "UBOB", "previous": None, "cadence": 10})]
    [dm] = dms_to(slack.fake, "UBOB")
    assert "<@UALICE> named you sponsor of *Acme Corp*: you mean to talk to them yourself every 10 days." in dm


def test_naming_the_same_sponsor_again_changes_nothing(slack: SlackDriver, session: Session, sponsored: None) -> None:
    with nothing_written(session):
        reply = ask(slack, f"sponsor acme {BOB} every 10d")
    assert reply == f"<@UBOB> is already the sponsor of *Acme Corp*, every 10 days. {NOTHING_CHANGED}"
    assert len(dms_to(slack.fake, "UBOB")) == 1


def test_a_sponsor_with_contacts_of_their_own_starts_from_the_last_one(
    slack: SlackDriver, session: Session, clock: FixedClock, acme: None
) -> None:
    log(slack, "acme lunch with their CEO", user="UBOB")
    clock.set(NOW + timedelta(days=3))
    reply = ask(slack, f"sponsor acme {BOB} every 2w")
    assert "Their last contact of their own: Sun 22 Nov. Their next is due by Sun 6 Dec." in reply
    row = sponsor(session)
    assert row is not None and (row.last_contact_at, row.due_at) == (NOW, NOW + timedelta(days=14))


def test_naming_another_replaces_the_sponsor_on_the_timeline(
    slack: SlackDriver, session: Session, sponsored: None
) -> None:
    reply = ask(slack, "sponsor acme <@UCAROL|carol> every 6w")
    assert reply.startswith("<@UCAROL> is now the sponsor of *Acme Corp* (instead of <@UBOB>), every 6 weeks.")
    row = sponsor(session)
    assert row is not None and (row.user_id, row.cadence_days, row.due_at) == ("UCAROL", 42, NOW + timedelta(days=42))
    assert events(session)[-1] == ("sponsor_named", "UALICE", {"sponsor": "UCAROL", "previous": "UBOB", "cadence": 42})
    ask(slack, "sponsor acme <@UCAROL|carol> every 3 weeks")  # the same sponsor, a new cadence
    row = sponsor(session)
    assert row is not None and (row.cadence_days, row.due_at) == (21, NOW + timedelta(days=21))
    shown = ask(slack, "show acme")
    assert "<@UALICE> named <@UCAROL> sponsor instead of <@UBOB>, every 6 weeks" in shown


def test_off_removes_the_sponsor_once(slack: SlackDriver, session: Session, sponsored: None) -> None:
    assert ask(slack, "sponsor acme off") == "*Acme Corp* has no sponsor any more (was <@UBOB>)."
    assert sponsor(session) is None
    assert events(session)[-1] == ("sponsor_off", "UALICE", {"previous": "UBOB"})
    with nothing_written(session):
        assert ask(slack, "sponsor acme off") == f"*Acme Corp* has no sponsor. {NOTHING_CHANGED}"
    assert "<@UALICE> removed <@UBOB> as sponsor" in ask(slack, "show acme")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sponsor acme", "That does not look right.\nUsage: `/client sponsor <client> @someone every <N>d|<N>w`"),
        (f"sponsor acme {BOB}", "That does not look right."),
        (f"sponsor acme {BOB} every", "That does not look right."),
        (f"sponsor acme {BOB} 2w", "That does not look right."),
        ("sponsor acme bob every 2w", "That does not look right."),
        (f"sponsor {BOB} every 2w", "That does not look right."),
        (f"sponsor acme {BOB} every 0d", "*0d* is not a cadence"),
        (f"sponsor acme {BOB} every soon", "*soon* is not a cadence"),
        (f"sponsor globex {BOB} every 2w", "I don't know a client called *globex*."),
        (f"sponsor acm {BOB} every 2w", "*acm* could be *Acme Corp* or *Acme Labs*. Did you mean one of them?"),
        ("sponsor acme corp <@UROBOT|robot> every 2w", "<@UROBOT> is a bot"),
        ("sponsor acme corp <@UGONE|gone> every 2w", "<@UGONE> is deactivated"),
    ],
)
def test_bad_input_writes_nothing(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, acme: None, text: str, expected: str
) -> None:
    fake_slack.add_user("UROBOT", is_bot=True)
    fake_slack.add_user("UGONE", deleted=True)
    ask(slack, "add Acme Labs")
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
    assert sponsor(session) is None and dms_to(slack.fake, "UBOB") == []


# the sponsor's clock ----------------------------------------------------------------------------------------------


def test_only_the_sponsors_own_contacts_reset_their_clock(
    slack: SlackDriver, session: Session, clock: FixedClock, sponsored: None
) -> None:
    clock.set(NOW + timedelta(days=2))
    log(slack, "acme sent the invoice")  # the owner, UALICE
    row = sponsor(session)
    assert row is not None and (row.last_contact_at, row.due_at) == (None, DUE)
    clock.set(NOW + timedelta(days=4))
    log(slack, "acme coffee with their CEO", user="UBOB")
    row = sponsor(session)
    assert row is not None and (row.last_contact_at, row.due_at) == (clock.now(), clock.now() + timedelta(days=10))
    log(slack, "acme 2026-11-23: an earlier call", user="UBOB")  # logged late for an earlier day: no step back
    row = sponsor(session)
    assert row is not None and row.last_contact_at == NOW + timedelta(days=4)


def test_a_message_by_the_sponsor_in_the_clients_channel_resets_their_clock(
    slack: SlackDriver, session: Session, sponsored: None
) -> None:
    link(session)
    at = NOW + timedelta(days=1)
    message(slack, at, user="UALICE")
    row = sponsor(session)
    assert row is not None and row.last_contact_at is None
    message(slack, at + timedelta(hours=1), user="UBOB")
    row = sponsor(session)
    assert row is not None and (row.last_contact_at, row.due_at) == (
        at + timedelta(hours=1),
        at + timedelta(days=10, hours=1),
    )


# the sponsor's nudge ----------------------------------------------------------------------------------------------


def _sponsor_posts(fake: FakeSlack) -> list[str]:
    return [t for t in dms_to(fake, "UBOB") if ":crown:" in t]


def test_the_sponsor_gets_their_own_nudge_once_per_cycle(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, sponsored: None
) -> None:
    clock.set(NOW + timedelta(days=8))
    log(slack, "acme status call")  # the owner, Mon 30 Nov
    assert sweeps.at(DUE - timedelta(minutes=5)).posted == 0  # not due yet
    assert sweeps.at(DUE).posted == 1
    [text] = _sponsor_posts(slack.fake)
    assert text.splitlines()[0] == (
        ":crown: You haven't talked to *Acme Corp* yourself since you became its sponsor 10 days ago (you planned "
        "every 10 days); <@UALICE> talked to them 2 days ago."
    )
    assert text.splitlines()[-1] == "React :white_check_mark: when you've been in touch · :zzz: to snooze"
    nudge_post = next(c for c in posts(slack.fake) if c.params["channel"] == "UBOB" and "crown" in blocks_text(c))
    assert action_ids(nudge_post) == [ActionId.NUDGE_LOGGED, ActionId.NUDGE_SNOOZE]  # nothing to hand over
    [nudge] = nudges(session)
    assert (nudge.kind, nudge.recipient_id, nudge.channel_id, nudge.status) == ("sponsor", "UBOB", "DUBOB", "posted")
    assert sweeps.at(DUE + timedelta(hours=3)).posted == 0
    assert sweeps.at(DUE + timedelta(days=1)).posted == 0
    assert len(_sponsor_posts(slack.fake)) == 1


def test_the_nudge_tells_the_sponsors_own_last_contact(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, acme: None
) -> None:
    clock.set(NOW - timedelta(days=84))
    log(slack, "acme kick-off dinner", user="UBOB")
    clock.set(NOW)
    ask(slack, f"sponsor acme {BOB} every 4w")  # overdue at once: 84 days since their own contact
    assert sweeps.at(NOW + timedelta(days=1)).posted == 1  # Monday 23 Nov
    [text] = _sponsor_posts(slack.fake)
    assert text.startswith(
        ":crown: You last talked to *Acme Corp* yourself 85 days ago (you planned every 4 weeks); "
        "<@UALICE> talked to them 1 day ago."
    )


def test_check_mark_logs_the_sponsors_contact_and_resets_their_clock(
    slack: SlackDriver, session: Session, sweeps: Sweeps, sponsored: None
) -> None:
    sweeps.at(DUE)
    [nudge] = nudges(session)
    react(slack, nudge, "raising_hand", user="UBOB")  # nothing to take over on a sponsor's nudge
    react(slack, nudge, "white_check_mark", user="UALICE")  # the owner cannot answer the sponsor's nudge
    assert nudges(session)[0].status == "posted"
    react(slack, nudge, "white_check_mark", user="UBOB")
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer, nudge.answered_by) == ("answered", "done", "UBOB")
    latest = fresh(session).scalars(select(Contact).order_by(Contact.id.desc())).first()
    assert latest is not None and (latest.user_id, latest.source) == ("UBOB", "nudge")
    row = sponsor(session)
    assert row is not None and (row.last_contact_at, row.due_at) == (DUE, DUE + timedelta(days=10))
    [update] = slack.fake.calls_to("chat.update")
    assert "<@UBOB> confirmed it's done." in blocks_text(update) and action_ids(update) == []
    assert sweeps.at(DUE + timedelta(days=1)).posted == 0


def test_snooze_by_button_postpones_the_sponsors_nudge(
    slack: SlackDriver, session: Session, sweeps: Sweeps, sponsored: None
) -> None:
    sweeps.at(DUE)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_SNOOZE, user="UBOB", selected_option={"value": f"{nudge.id}:3"})
    row = sponsor(session)
    assert row is not None and (row.snoozed_until, row.due_at, row.last_contact_at) == (
        DUE + timedelta(days=3), DUE + timedelta(days=3), None
    )  # fmt: skip
    assert "<@UBOB> snoozed it until Sat 5 Dec." in blocks_text(slack.fake.calls_to("chat.update")[-1])
    assert "<@UBOB> snoozed the sponsor's nudge until Sat 5 Dec (no contact logged)" in ask(slack, "show acme")
    sweeps.at(DUE + timedelta(days=5))  # Mon 7 Dec: a new cycle
    assert len(_sponsor_posts(slack.fake)) == 2


def test_been_in_touch_by_button_logs_the_sponsors_note(
    slack: SlackDriver, session: Session, sweeps: Sweeps, sponsored: None
) -> None:
    sweeps.at(DUE)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_LOGGED, value=str(nudge.id), user="UBOB")
    [opened] = slack.fake.calls_to("views.open")
    values = {BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": "golf with their CEO"}}}
    assert slack.view_submission(opened.params["view"], values, user="UBOB").status == 200
    row = sponsor(session)
    assert row is not None and row.last_contact_at == DUE
    assert (nudges(session)[0].status, nudges(session)[0].answer) == ("answered", "logged")


def test_the_sponsors_contact_closes_the_nudge_and_the_owners_does_not(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, sponsored: None
) -> None:
    link(session)
    sweeps.at(DUE)
    clock.set(DUE + timedelta(minutes=10))
    log(slack, "acme quick call")  # the owner
    sweeps.at(DUE + timedelta(minutes=15))
    assert nudges(session)[0].status == "posted"
    message(slack, DUE + timedelta(minutes=20), user="UBOB")  # the sponsor, in the client's channel
    sweeps.at(DUE + timedelta(minutes=25))
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer) == ("closed", "contacted")
    assert "You have talked to them since: nothing to do." in blocks_text(slack.fake.calls_to("chat.update")[-1])


def test_one_reminder_and_never_the_team_channel(
    slack: SlackDriver, session: Session, sweeps: Sweeps, sponsored: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    sweeps.at(DUE)  # Wed 2 Dec
    report = sweeps.at(DUE + timedelta(days=5))  # Mon 7 Dec: 3 working days on
    assert report.reminders == 1
    [reminder] = [c for c in posts(slack.fake, thread=True) if c.params["channel"] == "DUBOB"]
    assert "*Acme Corp* is still waiting to hear from you." in blocks_text(reminder)
    for days in (7, 9, 12):
        assert sweeps.at(DUE + timedelta(days=days)).escalations == 0
    assert [c for c in posts(slack.fake) if c.params["channel"] == "CTEAM" and "Acme" in blocks_text(c)
            and "crown" in blocks_text(c)] == []  # fmt: skip
    assert nudges(session)[0].escalated_at is None


def test_show_tells_the_sponsor_and_their_own_last_contact(
    slack: SlackDriver, session: Session, clock: FixedClock, sponsored: None
) -> None:
    assert "*Sponsor:* <@UBOB>, every 10 days (last own contact: none since named on Sun 22 Nov)" in ask(
        slack, "show acme"
    )
    clock.set(NOW + timedelta(days=1))
    log(slack, "acme call with their CFO", user="UBOB")
    assert "*Sponsor:* <@UBOB>, every 10 days (last own contact: Mon 23 Nov)" in ask(slack, "show acme")


def test_a_replaced_sponsors_nudge_is_closed_not_answered(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, sponsored: None
) -> None:
    sweeps.at(DUE)
    [nudge] = nudges(session)
    clock.set(DUE + timedelta(minutes=5))
    ask(slack, "sponsor acme <@UCAROL|carol> every 10d")
    contacts_before = len(fresh(session).scalars(select(Contact)).all())
    react(slack, nudge, "white_check_mark", user="UBOB")
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer) == ("closed", "changed")
    assert len(fresh(session).scalars(select(Contact)).all()) == contacts_before  # not Bob's contact any more
    assert "No longer needed" in blocks_text(slack.fake.calls_to("chat.update")[-1])
    assert sweeps.at(DUE + timedelta(hours=1)).posted == 0  # Carol's clock started when she was named


def test_a_deactivated_sponsor_is_nudged_nowhere(
    slack: SlackDriver, session: Session, sweeps: Sweeps, fake_slack: FakeSlack, sponsored: None
) -> None:
    fake_slack.add_user("UBOB", deleted=True)
    sweeps.at(DUE)
    assert nudges(session) == []  # not their DM, and not the team channel: the cadence was theirs alone
    assert _sponsor_posts(slack.fake) == []
