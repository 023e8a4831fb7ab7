"""The nudge vocabulary is typed (StrEnums equal to what is stored), and a promise handed over says so."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.nudge_answers import Action
from domain.nudges import ClosingReason, NudgeKind, Status
from render.ids import ActionId
from storage.models import ClientEvent, Promise
from tests.driver import SlackDriver
from tests.helpers import Sweeps, nudges, press

THURSDAY_10_WARSAW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # the promise below slipped on Tuesday


@pytest.fixture
def promise(slack: SlackDriver) -> None:
    slack.command('add "Acme Corp"')
    slack.command("promise acme send revised quote by 2026-11-24")  # Tuesday


def test_stored_values_are_unchanged() -> None:
    assert [k.value for k in NudgeKind] == ["quiet", "heads_up", "slip", "unanswered", "sponsor"]
    assert [s.value for s in Status] == ["claimed", "posted", "answered", "closed", "failed"]
    assert [a.value for a in Action] == ["done", "snooze", "take", "hand_over", "new_date", "logged"]
    assert [r.value for r in ClosingReason] == ["contacted", "kept", "changed", "answered", "deleted"]


def test_the_columns_read_and_write_the_enums(
    slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None
) -> None:
    sweeps.at(THURSDAY_10_WARSAW)
    [nudge] = nudges(session)
    assert (nudge.kind, nudge.status) == (NudgeKind.SLIP, Status.POSTED)
    assert (NudgeKind(nudge.kind), Status(nudge.status)) == (NudgeKind.SLIP, Status.POSTED)
    press(slack, nudge, ActionId.NUDGE_DONE, value=str(nudge.id))
    [nudge] = nudges(session)
    assert (Status(nudge.status), Action(nudge.answer)) == (Status.ANSWERED, Action.DONE)


def test_a_promise_handed_over_from_a_nudge_shows_as_a_promise_in_client_show(
    slack: SlackDriver, sweeps: Sweeps, session: Session, promise: None
) -> None:
    sweeps.at(THURSDAY_10_WARSAW)
    [nudge] = nudges(session)
    assert nudge.kind == NudgeKind.SLIP
    press(slack, nudge, ActionId.NUDGE_HAND_OVER, selected_user="UBOB")
    session.expire_all()
    assert session.scalars(select(Promise)).one().owner_id == "UBOB"
    [event] = session.scalars(select(ClientEvent)).all()
    assert event.promise_id is not None
    slack.command("show acme")
    text = json.dumps(slack.fake.last_response()["blocks"], ensure_ascii=False)
    assert "handed a promise to <@UBOB>" in text
    assert "handed the client to" not in text
