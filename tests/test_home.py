"""The App Home tab: a member's dashboard and a manager's team section, its buttons, its refreshes, its limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from domain.dashboard import dashboard
from domain.health import Band, scores
from render.blocks import section
from render.health import health_text
from render.home import fit_home
from render.ids import ActionId, BlockId, CallbackId
from storage.db import make_session_factory, read_only
from storage.models import ChannelMessage, ClientEvent, Contact, DigestRecipient, Promise, Survey
from tests.channels import link, message
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import (
    Sweeps,
    answer_survey,
    blocks_text,
    client_named,
    clients,
    fresh,
    nothing_changes,
    nudges,
    press,
    promise,
    rated,
    react,
)

LATER = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # Thursday 10 Dec, 10:00 in Warsaw
ASKED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 7 Dec: a client's question, a working day to answer


# Slack's side ----------------------------------------------------------------------------------------------------


def _event(user: str, tab: str = "home", team: str = "T1") -> str:
    return json.dumps(
        {
            "token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": f"Ev{user}{tab}", "event_time": 1790000000,
            "event": {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab},
        }
    )  # fmt: skip


def open_home(slack: SlackDriver, user: str = "UALICE") -> dict[str, Any]:
    """The user opens the Home tab; returns the view published for them."""
    assert slack.post(_event(user), "application/json").status == 200
    return home_of(slack, user)


def homes(slack: SlackDriver, user: str = "UALICE") -> list[dict[str, Any]]:
    """Every Home published for `user`, oldest first."""
    found = []
    for call in slack.fake.calls_to("views.publish"):
        if call.params["user_id"] == user:
            view = call.params["view"]
            found.append(json.loads(view) if isinstance(view, str) else view)
    return found


def home_of(slack: SlackDriver, user: str = "UALICE") -> dict[str, Any]:
    """The Home last published for `user`."""
    published = homes(slack, user)
    assert published, f"no Home published for {user}"
    return published[-1]


def press_on_home(slack: SlackDriver, action_id: str, value: object, *, user: str = "UALICE",
                  team: str = "T1") -> None:  # fmt: skip
    """A button on the Home tab, as Slack sends it: from a view, with no response_url."""
    slack.interact(
        {
            "type": "block_actions", "team": {"id": team, "domain": "acme"}, "user": {"id": user, "team_id": team},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home", "team_id": team, "blocks": []},
            "actions": [{"action_id": action_id, "block_id": "home:x", "value": str(value), "type": "button",
                         "action_ts": "1790000000.1"}],
        }
    )  # fmt: skip


def texts(view: dict[str, Any]) -> str:
    """Everything a person reads on the Home tab, in order."""
    found = []
    for block in view["blocks"]:
        if block["type"] in ("section", "header"):
            found.append(block["text"]["text"])
        elif block["type"] == "context":
            found += [e["text"] for e in block["elements"]]
    return "\n".join(found)


def buttons(view: dict[str, Any]) -> list[tuple[str, str]]:
    """(action_id, value) of every button, in order: action rows and section accessories."""
    found = []
    for block in view["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        found += [(e["action_id"], e.get("value", "")) for e in elements if e.get("type") == "button"]
    return found


def headers(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


def make_manager(session: Session, user: str) -> None:
    session.add(DigestRecipient(team_id="T1", user_id=user, added_by="UALICE", added_at=NOW))
    session.commit()


# the situation ---------------------------------------------------------------------------------------------------


def promise_about(session: Session, what: str) -> Promise:
    return fresh(session).scalars(select(Promise).where(Promise.what == what)).one()


@pytest.fixture
def board(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    """Alice owns Acme (past its cadence, a slipped promise, a client's question overdue, a survey for her to
    answer) and Globex (talked to today, a promise due this week); Bob owns Initech (a weekly cadence, three
    promises slipped)."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp" key')
    slack.command("add Globex key")
    slack.command("add Initech every 7d owner <@UBOB|bob>")
    promise(slack, session, "acme send the deck by 2026-11-27")
    for what, due in (("fix the invoice", 24), ("send the minutes", 25), ("call back", 26)):
        promise(slack, session, f"initech {what} by 2026-11-{due}")
    link(session)
    clock.set(LATER)
    slack.command("log globex renewal call")
    promise(slack, session, "globex send the renewal terms by 2026-12-11")
    message(slack, ASKED, user="UCLIENT", team="TCLIENT", text="any news on the deck?")
    slack.command('survey acme "Website relaunch" team <@UALICE|alice> client <@UCLIENT|jo>')


def health_of(session: Session, name: str) -> str:
    client = client_named(session, name)
    return health_text(scores(fresh(session), team_id="T1", now=LATER, client_ids=[client.id])[client.id])


# a member --------------------------------------------------------------------------------------------------------


def test_a_members_home_shows_their_clients_worst_first_with_the_reason(
    slack: SlackDriver, session: Session, board: None
) -> None:
    view = open_home(slack)
    text = texts(view)
    assert view["type"] == "home"
    assert text.index("*Acme Corp*") < text.index("*Globex*")  # past its cadence, slipped, unanswered: worse
    assert health_of(session, "Acme Corp") in text and health_of(session, "Globex") in text
    assert "Initech" not in text  # Bob's
    acme, globex = client_named(session, "Acme Corp").id, client_named(session, "Globex").id
    assert (ActionId.HOME_LOG_CONTACT, str(acme)) in buttons(view)
    assert (ActionId.HOME_SNOOZE_CLIENT, str(acme)) in buttons(view)
    assert (ActionId.HOME_LOG_CONTACT, str(globex)) in buttons(view)
    assert (ActionId.HOME_SNOOZE_CLIENT, str(globex)) not in buttons(view)  # talked to today: not quiet


def test_a_members_home_shows_promises_messages_and_surveys_with_their_buttons(
    slack: SlackDriver, session: Session, board: None
) -> None:
    view = open_home(slack)
    text = texts(view)
    assert headers(view)[1:4] == [
        "Your promises: slipped and due this week", "Client messages waiting for us", "Surveys waiting for your answer"
    ]  # fmt: skip
    assert "“send the deck” by Fri 27 Nov (slipped)" in text
    assert "“send the renewal terms” by Fri 11 Dec" in text
    assert text.index("send the deck") < text.index("send the renewal terms")  # the oldest due first
    assert "“fix the invoice”" not in text  # Bob's promise
    assert "<@UCLIENT> (*Acme Corp*) asked in <#CACME> Mon 7 Dec 10:00: overdue since Tue 8 Dec 10:00" in text
    assert "> any news on the deck?" not in text  # the channel keeps no text
    assert "*Acme Corp*, “Website relaunch”: asked by <@UALICE>" in text
    deck, terms = promise_about(session, "send the deck").id, promise_about(session, "send the renewal terms").id
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    survey = fresh(session).scalars(select(Survey)).one()
    pressable = buttons(view)
    assert (ActionId.HOME_PROMISE_DONE, str(deck)) in pressable
    assert (ActionId.HOME_PROMISE_SNOOZE, str(deck)) in pressable
    assert (ActionId.HOME_PROMISE_DONE, str(terms)) in pressable
    assert (ActionId.HOME_PROMISE_SNOOZE, str(terms)) not in pressable  # not slipped: nothing to snooze
    assert (ActionId.HOME_MESSAGE_ANSWERED, str(waiting.id)) in pressable
    assert (ActionId.HOME_MESSAGE_SNOOZE, str(waiting.id)) in pressable
    assert (ActionId.SURVEY_ANSWER, str(survey.id)) in pressable
    assert "Your team" not in headers(view)  # Alice is no manager


def test_an_empty_home_says_what_to_do(slack: SlackDriver) -> None:
    view = open_home(slack)
    text = texts(view)
    assert "You don't own any clients yet" in text
    assert "Nothing slipped" in text and "No client is waiting" in text
    assert "Surveys waiting for your answer" not in headers(view)
    assert "/client log" in text  # the help's overview stays at the bottom


def test_messages_tab_publishes_nothing(slack: SlackDriver) -> None:
    slack.post(_event("UALICE", tab="messages"), "application/json")
    assert slack.fake.calls_to("views.publish") == []


# a manager -------------------------------------------------------------------------------------------------------


def test_a_managers_home_shows_every_owners_red_clients_and_slipped_promises(
    slack: SlackDriver, session: Session, board: None, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))  # weeks later: nobody talked to Initech or Acme since
    make_manager(session, "UALICE")
    health = scores(fresh(session), team_id="T1", now=clock.now())
    red = {c.name for c in clients(session) if health[c.id].band == Band.RED}
    assert "Initech" in red
    view = open_home(slack)
    assert headers(view)[-1] == "Your team"
    team = texts(view).split("Your team", 1)[1]
    red_part, slipped_part = team.split("Slipped promises")
    assert {c.name for c in clients(session) if f"*{c.name}* (<@{c.owner_id}>)" in red_part} == red
    assert "<@UBOB> promised *Initech* “fix the invoice” by Tue 24 Nov (slipped)" in slipped_part
    assert "<@UALICE> promised *Acme Corp* “send the deck” by Fri 27 Nov (slipped)" in slipped_part
    assert "Your team" not in headers(open_home(slack, "UBOB"))  # a member sees no team section


# buttons ---------------------------------------------------------------------------------------------------------


def test_done_on_home_keeps_the_promise_and_publishes_home_again(
    slack: SlackDriver, session: Session, board: None
) -> None:
    open_home(slack)
    deck = promise_about(session, "send the deck")
    press_on_home(slack, ActionId.HOME_PROMISE_DONE, deck.id)
    kept = promise_about(session, "send the deck")
    assert (kept.done_at, kept.done_by) == (LATER, "UALICE")
    assert len(homes(slack)) == 2
    assert "send the deck" not in texts(home_of(slack))
    press_on_home(slack, ActionId.HOME_PROMISE_DONE, deck.id)  # a double click changes nothing
    assert promise_about(session, "send the deck").done_at == LATER


def test_an_answer_on_home_closes_the_items_nudges_at_once(
    slack: SlackDriver, session: Session, sweeps: Sweeps, board: None
) -> None:
    sweeps.at(LATER)
    deck = promise_about(session, "send the deck")
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    [slip] = [n for n in nudges(session) if n.kind == "slip" and n.promise_id == deck.id]
    [asked] = [n for n in nudges(session) if n.kind == "unanswered"]
    press_on_home(slack, ActionId.HOME_PROMISE_DONE, deck.id)
    press_on_home(slack, ActionId.HOME_MESSAGE_ANSWERED, waiting.id)
    closed = {n.id: (n.status, n.answer, n.answered_by) for n in nudges(session)}
    assert closed[slip.id] == ("closed", "kept", "UALICE")
    assert closed[asked.id] == ("closed", "answered", "UALICE")
    edited = [blocks_text(c) for c in slack.fake.calls_to("chat.update")]
    assert any("The promise was kept." in text for text in edited)
    assert any("Answered by <@UALICE>." in text for text in edited)


def test_snoozes_on_home_move_the_clocks_and_publish_home_again(
    slack: SlackDriver, session: Session, board: None
) -> None:
    acme = client_named(session, "Acme Corp")
    deck = promise_about(session, "send the deck")
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    for _ in range(2):  # a double click snoozes once
        press_on_home(slack, ActionId.HOME_SNOOZE_CLIENT, acme.id)
        press_on_home(slack, ActionId.HOME_PROMISE_SNOOZE, deck.id)
        press_on_home(slack, ActionId.HOME_MESSAGE_SNOOZE, waiting.id)
    kinds = [e.kind for e in fresh(session).scalars(select(ClientEvent).order_by(ClientEvent.id))]
    assert kinds == ["snoozed", "promise_snoozed", "message_snoozed"]
    assert client_named(session, "Acme Corp").snoozed_until == datetime(2026, 12, 17, 9, 0, tzinfo=UTC)
    assert promise_about(session, "send the deck").snoozed_until == datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    assert fresh(session).get(ChannelMessage, waiting.id).due_at == datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    assert len(homes(slack)) == 6
    text = texts(home_of(slack))
    assert ":zzz: snoozed until Thu 17 Dec" in text
    assert "send the deck" not in text.split("Your team")[0]  # asked about again tomorrow
    assert "answer by Fri 11 Dec 10:00" in text


def test_answered_on_home_answers_the_clients_message(slack: SlackDriver, session: Session, board: None) -> None:
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    press_on_home(slack, ActionId.HOME_MESSAGE_ANSWERED, waiting.id)
    answered = fresh(session).get(ChannelMessage, waiting.id)
    assert (answered.answered_at, answered.answered_by) == (LATER, "UALICE")
    assert "No client is waiting for an answer from us." in texts(home_of(slack))


def test_log_a_contact_on_home_opens_the_log_contact_modal_for_that_client(
    slack: SlackDriver, session: Session, board: None
) -> None:
    acme = client_named(session, "Acme Corp")
    press_on_home(slack, ActionId.HOME_LOG_CONTACT, acme.id)
    [opened] = slack.fake.calls_to("views.open")
    modal = opened.params["view"]
    assert modal["callback_id"] == CallbackId.LOG_CONTACT_VIEW
    picker = modal["blocks"][0]["element"]
    assert picker["initial_option"]["value"] == str(acme.id)
    values = {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"selected_option": picker["initial_option"]}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"value": "called about the deck"}},
    }
    for _ in range(2):  # Slack's retry of the same modal logs it once
        slack.view_submission({**modal, "id": "VLOG1"}, values)
    [contact] = fresh(session).scalars(select(Contact).where(Contact.client_id == acme.id)).all()
    assert (contact.note, contact.user_id, contact.source) == ("called about the deck", "UALICE", "home")
    assert "last contact Thu 10 Dec" in texts(home_of(slack)).split("*Globex*")[0]
    assert [c for c in slack.fake.calls_to("chat.postMessage") if "called about" in str(c.params)] == []


def test_answering_a_survey_from_home_takes_it_off_home(slack: SlackDriver, session: Session, board: None) -> None:
    survey = fresh(session).scalars(select(Survey)).one()
    assert (ActionId.SURVEY_ANSWER, str(survey.id)) in buttons(open_home(slack))
    answer_survey(slack, survey.id, "UALICE", rated(4))
    assert "Website relaunch" not in texts(home_of(slack))


def test_answers_on_nudges_publish_the_actors_home_again(
    slack: SlackDriver, session: Session, sweeps: Sweeps, acme_without_contacts: None
) -> None:
    sweeps.at(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))  # Monday: Acme went quiet on Sunday
    [quiet] = nudges(session)
    react(slack, quiet, "white_check_mark")  # done: a contact is logged
    assert "last contact Mon 7 Dec" in texts(home_of(slack))
    slack.command("promise acme send the deck by 2026-12-08")
    sweeps.at(datetime(2026, 12, 9, 9, 0, tzinfo=UTC))  # slipped yesterday
    [slip] = [n for n in nudges(session) if n.kind == "slip"]
    press(slack, slip, ActionId.NUDGE_DONE, value=str(slip.id))
    assert len(homes(slack)) == 2
    assert "send the deck" not in texts(home_of(slack))


# limits ----------------------------------------------------------------------------------------------------------


def test_a_full_home_stays_within_slacks_100_blocks_with_and_n_more(
    slack: SlackDriver, session: Session, clock: FixedClock
) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    for n in range(30):
        slack.command(f'add "Client {n:02}" key')
        promise(slack, session, f'"Client {n:02}" report {n} by 2026-11-24')
    for n in range(10):
        slack.command(f'survey "Client {n:02}" "Project {n}" team <@UALICE|alice> client <@UCLIENT|jo>')
    make_manager(session, "UALICE")
    link(session, client="Client 00")
    for n in range(10):
        message(slack, ASKED + timedelta(minutes=n), user="UCLIENT", team="TCLIENT")
    clock.set(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    view = open_home(slack)
    assert len(view["blocks"]) <= 100
    text = texts(view)
    assert "…and 22 more: `/client list risk`" in text
    assert "…and 22 more: `/client show <client>` lists a client's promises." in text
    assert "…and 2 more: `/client show <client>` lists a client's waiting messages." in text
    assert "…and 2 more: `/client surveys` lists every survey." in text
    assert "…and 15 more: `/client list risk`" in text.split("Your team")[1]
    assert "Your team" in headers(view)
    assert len([b for b in buttons(view) if b[0] == ActionId.HOME_LOG_CONTACT]) == 8
    assert all(len(b["text"]["text"]) <= 3000 for b in view["blocks"] if b["type"] == "section")


# trust -----------------------------------------------------------------------------------------------------------


def test_nobody_of_another_workspace_can_act_on_our_items(slack: SlackDriver, session: Session, board: None) -> None:
    slack.fake.add_user("UEVE", team="T2")
    acme, deck = client_named(session, "Acme Corp"), promise_about(session, "send the deck")
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    with nothing_changes(session):
        press_on_home(slack, ActionId.HOME_PROMISE_DONE, deck.id, user="UEVE", team="T2")
        press_on_home(slack, ActionId.HOME_SNOOZE_CLIENT, acme.id, user="UEVE", team="T2")
        press_on_home(slack, ActionId.HOME_MESSAGE_ANSWERED, waiting.id, user="UEVE", team="T2")
        press_on_home(slack, ActionId.HOME_LOG_CONTACT, acme.id, user="UEVE", team="T2")
        press_on_home(slack, ActionId.HOME_PROMISE_DONE, "99999999999999999999", user="UEVE", team="T2")
    assert fresh(session).get(ChannelMessage, waiting.id).answered_at is None
    assert slack.fake.calls_to("views.open") == []
    told = [c for c in slack.fake.calls_to("chat.postMessage") if c.params["channel"] == "UEVE"]
    assert len(told) == 5 and all("I can't find that any more" in str(c.params) for c in told)
    assert homes(slack, "UEVE") == []


def test_a_teammate_cannot_answer_someone_elses_items(slack: SlackDriver, session: Session, board: None) -> None:
    deck = promise_about(session, "send the deck")
    [waiting] = fresh(session).scalars(select(ChannelMessage)).all()
    with nothing_changes(session):
        press_on_home(slack, ActionId.HOME_PROMISE_DONE, deck.id, user="UBOB")
        press_on_home(slack, ActionId.HOME_MESSAGE_SNOOZE, waiting.id, user="UBOB")
    told = [c for c in slack.fake.calls_to("chat.postMessage") if c.params["channel"] == "UBOB"]
    assert len(told) == 2 and all("That is <@UALICE>'s to answer" in str(c.params) for c in told)


def test_the_dashboard_reads_in_a_constant_number_of_queries(
    slack: SlackDriver, session: Session, engine: Engine, clock: FixedClock
) -> None:
    make = make_session_factory(engine)

    def statements() -> int:
        counted: list[str] = []
        listen = lambda *args: counted.append(args[2])  # noqa: E731 (the statement)
        event.listen(engine, "before_cursor_execute", listen)
        try:
            with read_only(make) as reading:
                dashboard(reading, team_id="T1", user_id="UALICE", now=clock.now(), today=clock.now().date())
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(counted)

    def grow(first: int, last: int) -> None:
        for n in range(first, last):
            slack.command(f'add "Client {n:02}" key')
            promise(slack, session, f'"Client {n:02}" report {n} by 2026-11-{24 + n % 5}')

    slack.command("add Seed")
    make_manager(session, "UALICE")
    grow(0, 2)
    few = statements()
    grow(2, 20)
    assert 0 < few == statements()


def test_more_blocks_than_a_home_holds_end_with_where_the_rest_is() -> None:
    many = [section(f"line {n}") for n in range(150)]
    kept = fit_home(many)
    assert len(kept) == 100
    assert kept[-1].to_dict()["elements"][0]["text"].startswith("More than a Home tab can hold")
    assert fit_home(many[:100]) == many[:100]
