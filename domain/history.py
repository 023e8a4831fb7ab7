"""A client's whole history (or every client's), table by table, as plain rows for `/client export`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.events import Kind
from domain.story import ExportRow, export_contacts
from storage.models import (
    ChannelMessage,
    Client,
    ClientAlias,
    ClientChannel,
    ClientDomain,
    ClientEvent,
    ClientPerson,
    ClientSponsor,
    Promise,
    Survey,
    SurveyAnswer,
    SurveyFix,
    SurveyParticipant,
)

Row = dict[str, Any]
BATCH = 1000


def _scoped(query: Any, model: Any, *, team_id: str, client_id: int | None) -> Any:
    query = query.join(Client, (Client.id == model.client_id) & (Client.team_id == model.team_id))
    query = query.where(model.team_id == team_id)
    return query if client_id is None else query.where(model.client_id == client_id)


def _stream(session: Session, query: Any) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=BATCH))


def contacts(session: Session, *, team_id: str, client_id: int | None) -> Iterator[ExportRow]:
    """Every contact, with its source, link and email (as `/client export` always gave them)."""
    return export_contacts(session, team_id=team_id, client_id=client_id)


def clients(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The client itself (or every client): owner, key flag, cadence."""
    query = select(Client).where(Client.team_id == team_id).order_by(Client.id)
    query = query if client_id is None else query.where(Client.id == client_id)
    for (client,) in _stream(session, query):
        yield {"client": client.name, "owner_id": client.owner_id, "key": client.is_key,
               "cadence_days": client.cadence_days, "reply_time": client.reply_time, "created_by": client.created_by,
               "created_at": client.created_at, "last_contact_at": client.last_contact_at}  # fmt: skip


def promises(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every promise, with the date it was first given and how often it moved."""
    moved = _moves_by_promise(session, team_id=team_id, client_id=client_id)
    query = _scoped(select(Promise, Client.name), Promise, team_id=team_id, client_id=client_id)
    for promise, name in _stream(session, query.order_by(Promise.id)):
        moves = moved.get(promise.id, [])
        yield {"promise_id": promise.id, "client": name, "what": promise.what, "owner_id": promise.owner_id,
               "first_due_on": moves[0]["old_due_on"] if moves else promise.due_on.isoformat(),
               "due_on": promise.due_on, "times_moved": len(moves), "created_by": promise.created_by,
               "created_at": promise.created_at, "done_at": promise.done_at, "done_by": promise.done_by,
               "survey_id": promise.survey_id, "survey_item": promise.survey_item}  # fmt: skip


def _moves_by_promise(session: Session, *, team_id: str, client_id: int | None) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {}
    for row in promise_moves(session, team_id=team_id, client_id=client_id):
        found.setdefault(row["promise_id"], []).append(row)
    return found


def _events(session: Session, *, team_id: str, client_id: int | None, kinds: tuple[str, ...] = ()) -> Iterator[Any]:
    query = _scoped(select(ClientEvent, Client.name), ClientEvent, team_id=team_id, client_id=client_id)
    query = query.where(ClientEvent.kind.in_(kinds)) if kinds else query
    return _stream(session, query.order_by(ClientEvent.at, ClientEvent.id))


def promise_moves(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every new date a promise was given: from which date to which, by whom, when."""
    for event, name in _events(session, team_id=team_id, client_id=client_id, kinds=(Kind.PROMISE_MOVED,)):
        yield {"promise_id": event.promise_id, "client": name, "at": event.at, "by": event.actor_id,
               "old_due_on": event.data.get("old"), "new_due_on": event.data.get("new")}  # fmt: skip


def hand_overs(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every hand-over, whichever way (/client owner, a nudge's button, 🙋): of the client or of one promise."""
    for event, name in _events(session, team_id=team_id, client_id=client_id, kinds=(Kind.HANDED_OVER,)):
        yield {"client": name, "at": event.at, "by": event.actor_id, "promise_id": event.promise_id,
               "previous_owner_id": event.data.get("previous"), "new_owner_id": event.data.get("owner")}  # fmt: skip


def timeline(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every event on the timeline (snoozes, hand-overs, new dates, sponsors…), its details as JSON."""
    for event, name in _events(session, team_id=team_id, client_id=client_id):
        yield {"client": name, "at": event.at, "kind": event.kind, "by": event.actor_id,
               "promise_id": event.promise_id, "data": event.data}  # fmt: skip


def sponsors(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The sponsor of the client now (issue #12); earlier ones are in timeline (sponsor_named, sponsor_off)."""
    query = _scoped(select(ClientSponsor, Client.name), ClientSponsor, team_id=team_id, client_id=client_id)
    for sponsor, name in _stream(session, query.order_by(ClientSponsor.id)):
        yield {"client": name, "sponsor_id": sponsor.user_id, "cadence_days": sponsor.cadence_days,
               "named_by": sponsor.named_by, "named_at": sponsor.named_at,
               "last_contact_at": sponsor.last_contact_at}  # fmt: skip


def unanswered(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The client's messages in linked channels that no one of the team has answered."""
    query = _scoped(select(ChannelMessage, Client.name), ChannelMessage, team_id=team_id, client_id=client_id)
    query = query.where(ChannelMessage.side == "client", ChannelMessage.answered_at.is_(None),
                        ChannelMessage.deleted.is_(False))  # fmt: skip
    for message, name in _stream(session, query.order_by(ChannelMessage.at, ChannelMessage.id)):
        yield {"client": name, "at": message.at, "user_id": message.user_id, "channel_id": message.channel_id,
               "text": message.text, "permalink": message.permalink, "reply_due_at": message.due_at}  # fmt: skip


def surveys(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every survey: its project, who asked, when it was completed or closed."""
    query = _scoped(select(Survey, Client.name), Survey, team_id=team_id, client_id=client_id)
    for survey, name in _stream(session, query.order_by(Survey.id)):
        yield {"survey_id": survey.id, "client": name, "project": survey.project, "requester_id": survey.requester_id,
               "created_at": survey.created_at, "completed_at": survey.completed_at,
               "closed_at": survey.closed_at}  # fmt: skip


def _survey_scoped(query: Any, model: Any, *, team_id: str, client_id: int | None) -> Any:
    query = query.join(Survey, (Survey.id == model.survey_id) & (Survey.team_id == model.team_id))
    return _scoped(query, Survey, team_id=team_id, client_id=client_id)


def survey_answers(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """Every rating and comment, by whom (client or team side) and when."""
    query = select(SurveyAnswer, SurveyParticipant, Client.name).join(
        SurveyParticipant, SurveyParticipant.id == SurveyAnswer.participant_id
    )
    query = _survey_scoped(query, SurveyAnswer, team_id=team_id, client_id=client_id)
    for answer, participant, name in _stream(session, query.order_by(SurveyAnswer.id)):
        yield {"survey_id": answer.survey_id, "client": name, "user_id": participant.user_id,
               "email": participant.email, "side": participant.side, "answered_at": participant.answered_at,
               "item": answer.item, "rating": answer.rating, "comment": answer.comment}  # fmt: skip


def survey_fixes(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """What was decided about each low or blind-spot item: a promise (the fix), or why none is needed."""
    query = _survey_scoped(select(SurveyFix, Client.name), SurveyFix, team_id=team_id, client_id=client_id)
    for fix, name in _stream(session, query.order_by(SurveyFix.id)):
        yield {"survey_id": fix.survey_id, "client": name, "item": fix.item, "promise_id": fix.promise_id,
               "no_fix_reason": fix.reason, "by": fix.by, "at": fix.at}  # fmt: skip


def aliases(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The other names the client is known by."""
    query = _scoped(select(ClientAlias, Client.name), ClientAlias, team_id=team_id, client_id=client_id)
    for alias, name in _stream(session, query.order_by(ClientAlias.id)):
        yield {"client": name, "alias": alias.alias, "created_at": alias.created_at}


def channels(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The Slack channels shared with the client."""
    query = _scoped(select(ClientChannel, Client.name), ClientChannel, team_id=team_id, client_id=client_id)
    for channel, name in _stream(session, query.order_by(ClientChannel.id)):
        yield {"client": name, "channel_id": channel.channel_id, "keep_text": channel.keep_text,
               "linked_by": channel.linked_by, "linked_at": channel.linked_at}  # fmt: skip


def people(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The client's people (Slack members or email addresses)."""
    query = _scoped(select(ClientPerson, Client.name), ClientPerson, team_id=team_id, client_id=client_id)
    for person, name in _stream(session, query.order_by(ClientPerson.id)):
        yield {"client": name, "user_id": person.user_id, "email": person.email, "name": person.name,
               "added_by": person.added_by, "added_at": person.added_at}  # fmt: skip


def domains(session: Session, *, team_id: str, client_id: int | None) -> Iterator[Row]:
    """The client's email domains."""
    query = _scoped(select(ClientDomain, Client.name), ClientDomain, team_id=team_id, client_id=client_id)
    for domain, name in _stream(session, query.order_by(ClientDomain.id)):
        yield {"client": name, "domain": domain.domain, "added_by": domain.added_by, "added_at": domain.added_at}


Reader = Callable[..., Iterator[Any]]
# The files of the ZIP, in order: render.export names their columns.
READERS: dict[str, Reader] = {
    "clients": clients, "contacts": contacts, "promises": promises, "promise_moves": promise_moves,
    "hand_overs": hand_overs, "timeline": timeline, "sponsors": sponsors, "unanswered": unanswered,
    "surveys": surveys, "survey_answers": survey_answers, "survey_fixes": survey_fixes, "aliases": aliases,
    "channels": channels, "people": people, "domains": domains,
}  # fmt: skip
