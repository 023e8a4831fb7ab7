"""The daily briefing: everything due for one person in one DM, grouped, each item with its own buttons.

Nudges keep the buttons of separate nudges (render.nudges), so they are answered the same way; surveys keep
their Answer button. Answered items lose their buttons when the message is refreshed. Handovers to a backup
(someone away) use the same items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, SectionBlock

from domain.hours import WorkingHours
from domain.nudges import NudgeKind
from domain.personal import Away
from render.blocks import Message, context, section
from render.formats import clip, day, mention
from render.i18n import N_, _, n_, p_
from render.ids import ActionId
from render.nudges import COMBINED_HINT, About, buttons, combined_hint, covering_line, describe, short


class Group(StrEnum):
    """The briefing's groups, in the order they are shown."""

    PROMISES = N_("*Promises owed*")
    QUIET = N_("*Quiet clients*")
    MESSAGES = N_("*Client messages waiting for an answer*")
    SURVEYS = N_("*Surveys waiting for your answer*")


def group_of(kind: str) -> Group:
    """Heads-ups and slips are promises owed, a client's message waits for an answer; the rest are quiet clients."""
    if kind in (NudgeKind.HEADS_UP, NudgeKind.SLIP):
        return Group.PROMISES
    return Group.MESSAGES if kind == NudgeKind.UNANSWERED else Group.QUIET


@dataclass(frozen=True)
class Item:
    """One nudge in a briefing: new (told in full), still open since an earlier day, or answered (its outcome)."""

    about: About
    open_since: date | None = None  # listed again: the day it was first posted
    outcome: str | None = None  # answered or closed since: what happened, without buttons


@dataclass(frozen=True)
class SurveyItem:
    """A survey waiting for the reader's answer."""

    survey_id: int
    project: str
    client_name: str
    requester_id: str


def briefing_message(
    items: list[Item], surveys: list[SurveyItem], *, more: int, now: datetime, tz: str | None, today: date,
    hours: WorkingHours, of: date | None = None,
) -> Message:  # fmt: skip
    """The briefing: a title, then each group with its items, then "and N more" and how to answer (`of`: the
    briefing's own day, when it is edited later)."""
    count = len(items) + len(surveys) + more
    title = n_(":sunrise: *Your briefing for {day}*: {count} thing for you today.",
               ":sunrise: *Your briefing for {day}*: {count} things for you today.", count,
               day=day(of or today, today=today))  # fmt: skip
    blocks: list[Block] = [section(title)]
    for group in Group:
        if group == Group.SURVEYS:
            if surveys:
                blocks += [section(_(group)), *(_survey(s) for s in surveys)]
            continue
        mine = [i for i in items if group_of(i.about.kind) == group]
        if mine:
            blocks.append(section(_(group)))
            for item in mine:
                blocks += _item(item, now=now, tz=tz, today=today, hours=hours)
    if more:
        blocks.append(context(n_("…and {count} more: they come up in your next briefing.",
                                 "…and {count} more: they come up in your next briefing.", more)))  # fmt: skip
    blocks.append(context(combined_hint(i.about for i in items) if items else _(COMBINED_HINT)))
    return Message(text=n_("Your briefing: {count} thing for you today", "Your briefing: {count} things for you today",
                           count), blocks=blocks)  # fmt: skip


def _item(item: Item, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> list[Block]:
    about = item.about
    if item.outcome is not None:
        return [section(f"{short(about, today)}\n{item.outcome}")]
    if item.open_since is not None:
        since = "" if item.open_since >= today else " · " + _("open since {day}", day=day(item.open_since, today=today))
        return [section(short(about, today) + since + covering_line(about.away, today)), buttons(about)]
    return [section(describe(about, now=now, tz=tz, today=today, hours=hours)), buttons(about)]


def _survey(survey: SurveyItem) -> SectionBlock:
    text = _("*{project}* for *{client}*: {who} asks how it went.", project=survey.project, client=survey.client_name,
             who=mention(survey.requester_id))  # fmt: skip
    button = ButtonElement(
        text=p_("button", "Answer (2 min)"), action_id=ActionId.SURVEY_ANSWER, value=str(survey.survey_id)
    )
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 2900)), accessory=button)


def handover_message(items: list[About], away: Away, *, today: date, to_channel: bool = False) -> Message:
    """Open nudges of someone now away, for whoever covers for them (or, with nobody, the team channel): the why,
    then each item with its buttons."""
    lead = covering_line(away, today).strip()
    if to_channel:
        lead = _(":palm_tree: {who} is away until {until} and nobody covers.", who=mention(away.user_id),
                 until=day(away.until, today=today))  # fmt: skip
        items = [About(**{**about.__dict__, "to_channel": True}) for about in items]
    blocks: list[Block] = [section(lead + "\n" + _("Still open from their nudges:"))]
    for about in items:
        blocks += [section(short(about, today)), buttons(about)]
    blocks.append(context(_(COMBINED_HINT)))
    return Message(text=n_("You are covering: {count} thing still open", "You are covering: {count} things still open",
                           len(items)), blocks=blocks)  # fmt: skip
