"""The message shortcut "Log client contact": modal, client picker, saved contact with permalink."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from render.ids import ActionId, BlockId, CallbackId
from storage.models import Contact
from tests.driver import SlackDriver

MESSAGE_TS = "1789000000.000100"


def _open_modal(slack: SlackDriver, text: str = "Acme wants the quote split & sent by <@UBOB>") -> dict[str, Any]:
    assert slack.message_shortcut(text=text, ts=MESSAGE_TS).status == 200
    opened = slack.fake.calls_to("views.open")
    assert len(opened) == 1
    view = opened[0].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _values(client_id: int | None, note: str | None) -> dict[str, Any]:
    option = {"value": str(client_id), "text": {"type": "plain_text", "text": "x"}} if client_id else None
    return {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"type": "external_select", "selected_option": option}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": note}},
    }


def _contacts(session: Session) -> list[Contact]:
    session.expire_all()
    return list(session.scalars(select(Contact)))


def _client_id(slack: SlackDriver, session: Session, name: str) -> int:
    slack.command(f'add "{name}"')
    from storage.models import Client

    session.expire_all()
    return session.scalar(select(Client.id).where(Client.name == name)) or 0


def test_shortcut_opens_a_modal_prefilled_with_the_message(slack: SlackDriver) -> None:
    view = _open_modal(slack)
    assert view["callback_id"] == CallbackId.LOG_CONTACT_VIEW
    assert view["title"]["text"] == "Log client contact"
    note = next(b for b in view["blocks"] if b.get("block_id") == BlockId.NOTE)
    # Slack sends "&amp;"; the input shows what the person wrote.
    assert note["element"]["initial_value"] == "Acme wants the quote split & sent by <@UBOB>"
    picker = next(b for b in view["blocks"] if b.get("block_id") == BlockId.CLIENT)
    assert picker["element"]["type"] == "external_select"
    assert json.loads(view["private_metadata"])["ts"] == MESSAGE_TS


def test_picker_offers_matching_clients_of_this_workspace_only(slack: SlackDriver, session: Session) -> None:
    acme = _client_id(slack, session, "Acme Corp")
    _client_id(slack, session, "Globex")
    slack.command("add Acme Other", team="T2")
    view = _open_modal(slack)
    response = slack.options(ActionId.CLIENT_PICK, "acm", view=view)
    assert response.status == 200
    options = response.json()["options"]
    assert options[0] == {"text": {"type": "plain_text", "text": "Acme Corp", "emoji": True}, "value": str(acme)}
    assert "Acme Other" not in [o["text"]["text"] for o in options]


def test_submission_saves_the_contact_with_permalink_and_message_time(slack: SlackDriver, session: Session) -> None:
    acme = _client_id(slack, session, "Acme Corp")
    view = _open_modal(slack)
    response = slack.view_submission(view, _values(acme, "Acme wants the quote split & sent"))
    assert (response.status, response.body) == (200, "")
    [contact] = _contacts(session)
    assert contact.client_id == acme
    assert contact.user_id == "UALICE"
    assert contact.channel_id == "CCLIENT"
    assert contact.permalink == "https://acme.slack.com/archives/CCLIENT/p1789000000000100"
    assert contact.occurred_at == datetime.fromtimestamp(1789000000.0001, UTC)
    assert contact.note == "Acme wants the quote split &amp; sent"
    assert contact.source == "shortcut"
    permalink_call = slack.fake.calls_to("chat.getPermalink")[0]
    assert (permalink_call.params["channel"], permalink_call.params["message_ts"]) == ("CCLIENT", MESSAGE_TS)
    reply = slack.fake.last_response()
    assert reply["response_type"] == "ephemeral"
    assert "Logged a contact with *Acme Corp*" in reply["text"]


def test_submission_without_a_client_keeps_the_modal_open(slack: SlackDriver, session: Session) -> None:
    view = _open_modal(slack)
    response = slack.view_submission(view, _values(None, "hello"))
    assert response.status == 200
    assert response.json()["response_action"] == "errors"
    assert BlockId.CLIENT in response.json()["errors"]
    assert _contacts(session) == []


def test_submission_with_another_workspaces_client_is_refused(slack: SlackDriver, session: Session) -> None:
    slack.command("add Foreign", team="T2")
    from storage.models import Client

    foreign = session.scalar(select(Client.id).where(Client.name == "Foreign"))
    view = _open_modal(slack)
    response = slack.view_submission(view, _values(foreign, "hello"))
    assert response.json()["response_action"] == "errors"
    assert _contacts(session) == []


def test_empty_or_huge_note_is_an_error_on_the_note(slack: SlackDriver, session: Session) -> None:
    acme = _client_id(slack, session, "Acme Corp")
    view = _open_modal(slack)
    for note in ("   ", "x" * 10_000):
        response = slack.view_submission(view, _values(acme, note))
        assert response.json()["response_action"] == "errors"
        assert set(response.json()["errors"]) == {BlockId.NOTE}
    assert _contacts(session) == []


def test_same_message_logged_twice_for_a_client_is_stored_once(slack: SlackDriver, session: Session) -> None:
    acme = _client_id(slack, session, "Acme Corp")
    view = _open_modal(slack)
    slack.view_submission(view, _values(acme, "first"))
    slack.view_submission(view, _values(acme, "first"))
    assert len(_contacts(session)) == 1
    assert "already logged" in slack.fake.last_response()["text"]


def test_permalink_failure_still_saves_the_contact(slack: SlackDriver, session: Session) -> None:
    from fakes.slack import Canned

    acme = _client_id(slack, session, "Acme Corp")
    view = _open_modal(slack)
    slack.fake.queue("chat.getPermalink", Canned({"ok": False, "error": "channel_not_found"}))
    slack.view_submission(view, _values(acme, "hello"))
    [contact] = _contacts(session)
    assert contact.permalink is None


def test_contacts_count_only_this_workspace(slack: SlackDriver, session: Session) -> None:
    acme = _client_id(slack, session, "Acme Corp")
    view = _open_modal(slack)
    slack.view_submission(view, _values(acme, "hello"))
    count = session.scalar(select(func.count()).select_from(Contact).where(Contact.team_id == "T2"))
    assert count == 0
