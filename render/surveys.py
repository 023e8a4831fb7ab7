"""Surveys as people see them: the invitation, the questions, the summary with both sides side by side."""

from __future__ import annotations

import json
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from domain.survey_links import LinkSent
from domain.survey_results import Comment, ItemResult, Results, SurveyState
from domain.surveys import Question, Reached, Side, Via
from render.blocks import Message, context, header, section, sections
from render.formats import clip, day, day_of, mention, one_line, plural
from render.i18n import _
from render.ids import ActionId, BlockId, CallbackId, comment_block, rating_block
from storage.models import NOTE_MAX, PROMISE_MAX, SurveyParticipant

RATING_WORDS = {1: "1 · poor", 2: "2", 3: "3 · fine", 4: "4", 5: "5 · excellent"}
STATES = {
    SurveyState.WAITING: "waiting for {n}",
    SurveyState.ANSWERED: "answered",
    SurveyState.FIXES_PLANNED: "fixes planned",
    SurveyState.CLOSED: "closed",
}
MODAL_TITLE = "How did it go?"


def bar(score: float | None) -> str:
    """●●●○○: a score out of five at a glance."""
    if score is None:
        return "·····"
    full = max(0, min(5, round(score)))
    return "●" * full + "○" * (5 - full)


def _score(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def invitation(
    *, survey_id: int, project: str, client_name: str, requester_id: str, side: Side, mention_user: str | None = None
) -> Message:
    """The DM (or, for an external person, the client-channel post) asking for two minutes."""
    to = f"{mention(mention_user)}, " if mention_user else ""
    why = (
        "We ask both sides the same questions, so we can see what to do better, not whom to blame."
        if side == Side.CLIENT
        else "The client is asked the same questions: the gap between the two views shows what we miss."
    )
    text = f"{to}{mention(requester_id)} asks how *{project}* for *{client_name}* went. {why}"
    button = ButtonElement(
        text="Answer (2 min)", action_id=ActionId.SURVEY_ANSWER, value=str(survey_id), style="primary"
    )
    return Message(text=f"How did {project} go?", blocks=[section(text), ActionsBlock(elements=[button])])


def invitation_answered(*, project: str, client_name: str) -> Message:
    """The invitation once answered."""
    text = f":white_check_mark: Answered, thank you. (*{project}* for *{client_name}*)"
    return Message(text="Answered, thank you", blocks=[section(text)])


def reminder(*, project: str, client_name: str, mention_user: str | None = None) -> Message:
    """A reminder in the invitation's thread (mentioning the person when it is a shared channel's thread)."""
    to = f"{mention(mention_user)}, two" if mention_user else "Two"
    text = f":bell: {to} minutes for *{project}* for *{client_name}*? The *Answer* button is above."
    return Message(text=f"Reminder: {project}", blocks=[section(text)])


def answer_modal(
    items: list[Question], *, side: Side, project: str, client_name: str, requester_id: str, metadata: str
) -> View:
    """One rating (1-5) and an optional comment per item; a 1 or 2 needs the comment."""
    blocks: list[Block] = [
        context(
            f"*{clip(project, 200)}* for *{clip(client_name, 200)}*, asked by {mention(requester_id)}. "
            "1 is poor, 5 excellent. For a 1 or 2, please say why: what should we do so it never happens again?"
        )
    ]
    for item in items:
        blocks.append(
            InputBlock(
                block_id=rating_block(item.key),
                label=clip(item.text(side), 2000),
                element=RadioButtonsElement(
                    action_id=ActionId.RATING,
                    options=[Option(value=str(n), label=RATING_WORDS[n]) for n in range(1, 6)],
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=comment_block(item.key),
                label="Why? (needed for a 1 or 2)",
                optional=True,
                element=PlainTextInputElement(action_id=ActionId.COMMENT, multiline=True, max_length=NOTE_MAX),
            )
        )
    return View(type="modal", callback_id=CallbackId.SURVEY_VIEW, title=MODAL_TITLE, submit="Send", close="Cancel",
                private_metadata=metadata, blocks=blocks[:100])  # fmt: skip


def thanks_view(text: str) -> View:
    """What the modal turns into after sending (or when it was answered already)."""
    return View(type="modal", title=MODAL_TITLE, close="Close", blocks=[section(text)])


def comment_needed() -> str:
    return "A 1 or 2 needs a word on why: what should we do so it never happens again?"


def rating_needed() -> str:
    return "Pick a rating from 1 to 5."


def comment_too_long() -> str:
    return f"Please keep it under {NOTE_MAX} characters."


def comment_unreadable() -> str:
    return "This holds an invisible control character I can't store. Type it again without it."


def survey_closed() -> str:
    return "This survey has closed: the results went out with the answers that came in. Thank you all the same."


def already_answered() -> str:
    return "You have already answered, thank you."


def thank_you() -> str:
    return "Thank you! Your answers are in. Both sides' views go to the team, who decide what to do about them."


def already_decided() -> str:
    return "Someone has already decided what to do about this item."


def not_for_you() -> str:
    """To anyone who was not invited: nothing about the survey, not even who was."""
    return "This survey isn't for you."


def survey_started(
    *, survey_id: int, project: str, client_name: str, reached: list[Reached], unreached: list[str],
    created: bool, links: list[LinkSent] | None = None,
) -> Message:  # fmt: skip
    """The reply to `/client survey`."""
    if not created:
        return Message(text="Already started", blocks=[section(f"Survey #{survey_id} was started already.")])
    lines = [f"Survey #{survey_id} on *{project}* for *{client_name}* is on its way."]
    by_dm = [r.user_id for r in reached if r.via is Via.DM]
    in_channel = [r.user_id for r in reached if r.via is Via.CHANNEL]
    if by_dm:
        lines.append("Asked by DM: " + ", ".join(mention(u) for u in by_dm) + ".")
    if in_channel:
        lines.append("Asked in the client's channel: " + ", ".join(mention(u) for u in in_channel) + ".")
    if unreached:
        lines.append(
            ":warning: I could not reach " + ", ".join(mention(u) for u in unreached) + ": no DM is possible and the "
            f"client has no channel. Set one with `/client channel {client_name} #channel`, or ask them yourself."
        )
    lines.extend(_link_lines(links or []))
    lines.append("You and the client's owner get the results when everyone has answered.")
    return Message(text="\n".join(lines), blocks=[section("\n".join(lines))])


def _link_lines(links: list[LinkSent]) -> list[str]:
    """Personal links for people outside Slack: always shown to the requester, and whether they were emailed."""
    lines = []
    for link in links:
        if link.emailed:
            lines.append(_("Emailed {address} a personal link (it works once, for 30 days): {url}",
                           address=link.address, url=link.url))  # fmt: skip
        elif link.emailed is None:
            lines.append(_("A personal link for {address} (it works once, for 30 days), to pass on: {url}",
                           address=link.address, url=link.url))  # fmt: skip
        else:
            lines.append(_(":warning: I could not email {address}: please pass their personal link on yourself "
                           "(it works once, for 30 days): {url}", address=link.address, url=link.url))  # fmt: skip
    return lines


def who(person: SurveyParticipant) -> str:
    """A participant as the summary names them: a mention, or the email address of someone outside Slack."""
    return mention(person.user_id) if person.user_id else str(person.email)


def commenter(comment: Comment) -> str:
    """Who commented: a mention, or the email address of someone outside Slack."""
    return mention(comment.user_id) if comment.user_id else str(comment.email)


def summary(results: Results, *, tz: str | None, today: date) -> Message:
    """Both sides' scores per item, the gap, blind spots, the comments on low ratings, what will be done."""
    survey = results.survey
    blocks: list[Block] = [header(clip(f"{results.client_name}: {survey.project}", 150))]
    for item in results.items:
        blocks.append(section(_item_text(item, tz=tz, today=today)))
        if item.needs_action and item.fix is None:
            blocks.append(_fix_buttons(survey.id, item))
    client_avg, team_avg = results.average(Side.CLIENT), results.average(Side.TEAM)
    footer = [f"Averages: client {bar(client_avg)} {_score(client_avg)} · team {bar(team_avg)} {_score(team_avg)}"]
    if results.missing:
        footer.append("No answer from " + ", ".join(who(p) for p in results.missing))
    footer.append("The question is never whose fault, but what we do so it never happens again.")
    blocks.append(context(*footer))
    return Message(text=f"Survey results: {results.client_name}, {survey.project}", blocks=blocks[:50])


def _item_text(item: ItemResult, *, tz: str | None, today: date) -> str:
    gap = item.gap
    gap_text = "" if gap is None else f" · gap {gap:+.1f}"
    flag = " :warning: *blind spot*" if item.blind_spot else ""
    lines = [
        f"*{item.question.label}*{flag}",
        f"Client {bar(item.client_average)} {_score(item.client_average)} · "
        f"Team {bar(item.team_average)} {_score(item.team_average)}{gap_text}",
    ]
    for comment in item.comments:
        who = "client" if comment.side == Side.CLIENT else "team"
        lines.append(f"> {comment.rating} from the {who} ({commenter(comment)}): “{one_line(comment.text, 300)}”")
    if item.fix is not None and item.promise is not None:
        due = day(item.promise.due_on, today=today)
        lines.append(f":hammer_and_wrench: Fix planned: “{one_line(item.promise.what, 200)}” by {due}, "
                     f"{mention(item.promise.owner_id)}")  # fmt: skip
    elif item.fix is not None:
        lines.append(f":ok_hand: No fix needed ({mention(item.fix.by)}): “{one_line(item.fix.reason or '', 200)}”")
    return "\n".join(lines)


def _fix_buttons(survey_id: int, item: ItemResult) -> ActionsBlock:
    value = json.dumps({"survey": survey_id, "item": item.question.key}, separators=(",", ":"))
    return ActionsBlock(
        block_id=f"fix:{survey_id}:{item.question.key}",
        elements=[
            ButtonElement(text="Plan a fix", action_id=ActionId.SURVEY_PLAN_FIX, value=value, style="primary"),
            ButtonElement(text="No fix needed", action_id=ActionId.SURVEY_NO_FIX, value=value),
        ],
    )


def fix_modal(*, label: str, requester_id: str, metadata: str) -> View:
    """Plan a fix: what we will do (a promise to the client), who, by when."""
    return View(
        type="modal", callback_id=CallbackId.SURVEY_FIX_VIEW, title="Plan a fix", submit="Plan it", close="Cancel",
        private_metadata=metadata,
        blocks=[
            context(f"*{clip(label, 200)}*: what will we do so that it never happens again?"),
            InputBlock(block_id=BlockId.FIX_WHAT, label="What we will do",
                       element=PlainTextInputElement(action_id=ActionId.FIX_WHAT, max_length=PROMISE_MAX)),
            InputBlock(block_id=BlockId.FIX_OWNER, label="Who",
                       element=UserSelectElement(action_id=ActionId.FIX_OWNER, initial_user=requester_id)),
            InputBlock(block_id=BlockId.FIX_DUE, label="By when",
                       element=DatePickerElement(action_id=ActionId.FIX_DUE)),
        ],
    )  # fmt: skip


def dismiss_modal(*, label: str, metadata: str) -> View:
    """No fix needed, and why (required)."""
    return View(
        type="modal", callback_id=CallbackId.SURVEY_DISMISS_VIEW, title="No fix needed", submit="Save", close="Cancel",
        private_metadata=metadata,
        blocks=[
            context(f"*{clip(label, 200)}*"),
            InputBlock(block_id=BlockId.REASON, label="Why is no fix needed?",
                       element=PlainTextInputElement(action_id=ActionId.REASON, multiline=True, max_length=NOTE_MAX)),
        ],
    )  # fmt: skip


def state_text(results: Results) -> str:
    """waiting for N answers, answered, fixes planned, closed."""
    state = results.state
    if state is SurveyState.WAITING:
        return f"waiting for {plural(len(results.missing), 'answer')}"
    return STATES[state]


def survey_line(results: Results, *, tz: str | None, today: date, with_client: bool) -> str:
    """One survey in a list or in `/client show`."""
    survey = results.survey
    where = f"*{results.client_name}* · " if with_client else ""
    started = day_of(survey.created_at, tz, today=today)
    scores = ""
    if results.answered:
        client_avg, team_avg = results.average(Side.CLIENT), results.average(Side.TEAM)
        spots = sum(i.blind_spot for i in results.items)
        scores = f": client {bar(client_avg)} {_score(client_avg)}, team {bar(team_avg)} {_score(team_avg)}"
        scores += f", {plural(spots, 'blind spot')}" if spots else ""
    return f"• #{survey.id} {where}*{survey.project}* ({started}){scores} · {state_text(results)}"


def survey_list(found: list[Results], *, tz: str | None, today: date, client_name: str | None) -> Message:
    """`/client surveys [client]`."""
    if not found:
        whose = f" for *{client_name}*" if client_name else ""
        return Message(text="No surveys", blocks=[section(f"No surveys{whose} yet. Start one with `/client survey`.")])
    lines = [survey_line(r, tz=tz, today=today, with_client=client_name is None) for r in found]
    return Message(text="*Surveys*\n" + "\n".join(lines), blocks=sections(lines, heading="*Surveys*"))
