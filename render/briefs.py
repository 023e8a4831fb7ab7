"""The brief a teammate gets by DM 15 minutes before a meeting with a client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from slack_sdk.models.blocks import Block

from domain.briefs import ClientBrief, Due
from domain.survey_results import ItemResult, Results
from render.blocks import Message, context, divider, fit, header, section, sections
from render.formats import channel, clip, day, day_of, mention, moment, one_line, plural
from render.surveys import commenter
from storage.models import ChannelMessage

FOOTER = "You get briefs because you said `/client calendar brief on` (`/client calendar brief off` stops them)."


def brief(due: Due, clients: list[ClientBrief], *, tz: str | None, today: date) -> Message:
    """Last contacts, open and slipped promises, unanswered messages, the last survey's low items and fixes."""
    local = moment(due.starts_at, tz, today=today).rpartition(" ")[2]
    names = ", ".join(b.client.name for b in clients)
    what = f"“{clip(due.title, 100)}”" if due.title else "Meeting"
    blocks: list[Block] = [header(f"Brief: {clip(names, 100)} at {local}")]
    if due.title:
        blocks.append(section(f"*{what}* starts at {local}."))
    for client_brief in clients:
        blocks += _client(client_brief, tz=tz, today=today)
    blocks.append(context(FOOTER))
    return Message(text=f"{what} with {names} at {local}: your brief", blocks=fit(blocks, "…"))


def _client(b: ClientBrief, *, tz: str | None, today: date) -> list[Block]:
    client = b.client
    key = " · :star: key client" if client.is_key else ""
    blocks: list[Block] = [divider(), section(f"*{client.name}* · owner {mention(client.owner_id)}{key}")]
    if b.contacts:
        lines = (f"• {moment(c.occurred_at, tz, today=today)}, {mention(c.user_id)}{_where(c.source, c.channel_id)}"
                 f"{_note(c.note)}" for c in b.contacts)  # fmt: skip
        blocks += sections(lines, heading="*Last contacts*")
    else:
        blocks.append(section("*Last contacts:* none logged yet."))
    if b.slipped_promises:
        lines = (f"• #{p.id} “{clip(p.what, 200)}”, {plural((today - p.due_on).days, 'day')} late, "
                 f"{mention(p.owner_id)}" for p in b.slipped_promises)  # fmt: skip
        blocks += sections(lines, heading=":rotating_light: *Slipped promises*")
    if b.open_promises:
        lines = (f"• #{p.id} “{clip(p.what, 200)}” by {day(p.due_on, today=today)}, {mention(p.owner_id)}"
                 for p in b.open_promises)  # fmt: skip
        blocks += sections(lines, heading="*Open promises*")
    if b.waiting:
        lines = (_waiting(m, tz=tz, today=today) for m in b.waiting)
        blocks += sections(lines, heading=":speech_balloon: *Waiting for our answer*")
    if b.survey is not None:
        blocks += sections(_survey(b.survey, tz=tz, today=today))
    return blocks


def _waiting(message: ChannelMessage, *, tz: str | None, today: date) -> str:
    link = f" <{message.permalink}|(message)>" if message.permalink else ""
    when = moment(message.at, tz, today=today)
    return f"• {when}, {mention(message.user_id)} in {channel(message.channel_id)}{_note(message.text or '')}{link}"


def _where(source: str, channel_id: str | None) -> str:
    if source == "meeting":
        return " in a meeting"
    return f" in {channel(channel_id)}" if channel_id else ""


def _note(note: str) -> str:
    return f": “{one_line(note, 150)}”" if note.strip() else ""


def _survey(results: Results, *, tz: str | None, today: date) -> Iterator[str]:
    """The last survey: its low and blind-spot items, with what the client said and what we do about it."""
    survey = results.survey
    items = [i for i in results.items if i.needs_action]
    yield f"*Last survey:* {survey.project} ({day_of(survey.created_at, tz, today=today)})"
    if not items:
        yield "• nothing rated low"
    for item in items:
        yield from _item(item, today=today)


def _item(item: ItemResult, *, today: date) -> Iterator[str]:
    client = "none" if item.client_average is None else f"{item.client_average:.1f}"
    team = "none" if item.team_average is None else f"{item.team_average:.1f}"
    spot = ", a blind spot" if item.blind_spot else ""
    yield f"• *{item.question.label}*: client {client}, team {team}{spot}"
    for comment in item.comments:
        yield f"    “{one_line(comment.text, 150)}” ({comment.rating}, {commenter(comment)})"
    if item.fix is not None and item.promise is not None:
        state = "kept" if item.promise.done_at is not None else f"by {day(item.promise.due_on, today=today)}"
        yield f"    :hammer_and_wrench: fix: “{one_line(item.promise.what, 150)}” {state}"
    elif item.fix is not None:
        yield f"    :ok_hand: no fix needed: “{one_line(item.fix.reason or '', 150)}”"
    else:
        yield "    no fix decided yet"
