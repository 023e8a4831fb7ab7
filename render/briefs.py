"""The brief a teammate gets by DM 15 minutes before a meeting with a client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from babel.numbers import format_decimal
from slack_sdk.models.blocks import Block

from domain.briefs import ClientBrief, Due
from domain.survey_results import ItemResult, Results
from render.blocks import Message, context, divider, fit, header, section, sections
from render.formats import channel, clip, day, day_of, mention, moment, one_line
from render.i18n import N_, _, locale, n_, p_
from render.survey_people import commenter
from storage.models import ChannelMessage

FOOTER = N_("You get briefs because you said `/client calendar brief on` (`/client calendar brief off` stops them).")


def brief(due: Due, clients: list[ClientBrief], *, tz: str | None, today: date) -> Message:
    """Last contacts, open and slipped promises, unanswered messages, the last survey's low items and fixes."""
    local = moment(due.starts_at, tz, today=today).rpartition(" ")[2]
    names = ", ".join(b.client.name for b in clients)
    title = clip(due.title, 100) if due.title else ""
    blocks: list[Block] = [header(_("Brief: {clients} at {time}", clients=clip(names, 100), time=local))]
    if due.title:
        blocks.append(section(_("*“{title}”* starts at {time}.", title=title, time=local)))
    for client_brief in clients:
        blocks += _client(client_brief, tz=tz, today=today)
    blocks.append(context(_(FOOTER)))
    if due.title:
        text = _("“{title}” with {clients} at {time}: your brief", title=title, clients=names, time=local)
    else:
        text = _("Meeting with {clients} at {time}: your brief", clients=names, time=local)
    return Message(text=text, blocks=fit(blocks, "…"))


def _client(b: ClientBrief, *, tz: str | None, today: date) -> list[Block]:
    client = b.client
    key = " · " + _(":star: key client") if client.is_key else ""
    owner = _("*{client}* · owner {owner}", client=client.name, owner=mention(client.owner_id))
    blocks: list[Block] = [divider(), section(owner + key)]
    if b.contacts:
        lines = (f"• {moment(c.occurred_at, tz, today=today)}, {mention(c.user_id)}{_where(c.source, c.channel_id)}"
                 f"{_note(c.note)}" for c in b.contacts)  # fmt: skip
        blocks += sections(lines, heading=_("*Last contacts*"))
    else:
        blocks.append(section(_("*Last contacts:* none logged yet.")))
    if b.slipped_promises:
        lines = (n_("• #{id} “{what}”, {count} day late, {owner}", "• #{id} “{what}”, {count} days late, {owner}",
                    (today - p.due_on).days, id=p.id, what=clip(p.what, 200), owner=mention(p.owner_id))
                 for p in b.slipped_promises)  # fmt: skip
        blocks += sections(lines, heading=_(":rotating_light: *Slipped promises*"))
    if b.open_promises:
        lines = (_("• #{id} “{what}” by {due}, {owner}", id=p.id, what=clip(p.what, 200),
                   due=day(p.due_on, today=today), owner=mention(p.owner_id)) for p in b.open_promises)  # fmt: skip
        blocks += sections(lines, heading=_("*Open promises*"))
    if b.waiting:
        lines = (_waiting(m, tz=tz, today=today) for m in b.waiting)
        blocks += sections(lines, heading=_(":speech_balloon: *Waiting for our answer*"))
    if b.survey is not None:
        blocks += sections(_survey(b.survey, tz=tz, today=today))
    return blocks


def _waiting(message: ChannelMessage, *, tz: str | None, today: date) -> str:
    link = " " + _("<{link}|(message)>", link=message.permalink) if message.permalink else ""
    line = _("• {when}, {who} in {where}", when=moment(message.at, tz, today=today), who=mention(message.user_id),
             where=channel(message.channel_id))  # fmt: skip
    return line + _note(message.text or "") + link


def _where(source: str, channel_id: str | None) -> str:
    if source == "meeting":
        return " " + _("in a meeting")
    return " " + _("in {channel}", channel=channel(channel_id)) if channel_id else ""


def _note(note: str) -> str:
    return f": “{one_line(note, 150)}”" if note.strip() else ""


def _survey(results: Results, *, tz: str | None, today: date) -> Iterator[str]:
    """The last survey: its low and blind-spot items, with what the client said and what we do about it."""
    survey = results.survey
    items = [i for i in results.items if i.needs_action]
    yield _("*Last survey:* {project} ({day})", project=survey.project, day=day_of(survey.created_at, tz, today=today))
    if not items:
        yield _("• nothing rated low")
    for item in items:
        yield from _item(item, today=today)


def _item(item: ItemResult, *, today: date) -> Iterator[str]:
    scores = {"item": item.question.label, "client": _average(item.client_average), "team": _average(item.team_average)}
    if item.blind_spot:
        yield _("• *{item}*: client {client}, team {team}, a blind spot", **scores)
    else:
        yield _("• *{item}*: client {client}, team {team}", **scores)
    for comment in item.comments:
        yield f"    “{one_line(comment.text, 150)}” ({comment.rating}, {commenter(comment)})"
    if item.fix is not None and item.promise is not None:
        what = one_line(item.promise.what, 150)
        if item.promise.done_at is not None:
            yield "    " + _(":hammer_and_wrench: fix: “{what}” kept", what=what)
        else:
            yield "    " + _(":hammer_and_wrench: fix: “{what}” by {due}", what=what,
                            due=day(item.promise.due_on, today=today))  # fmt: skip
    elif item.fix is not None:
        yield "    " + _(":ok_hand: no fix needed: “{reason}”", reason=one_line(item.fix.reason or "", 150))
    else:
        yield "    " + _("no fix decided yet")


def _average(value: float | None) -> str:
    """An average rating with one decimal, for the reader: `3.5`, `3,0`; `none` without ratings."""
    return p_("average", "none") if value is None else format_decimal(round(value, 1), format="0.0", locale=locale())
