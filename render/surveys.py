"""Surveys as people see them: the invitation, the questions, the summary with both sides side by side."""

from __future__ import annotations

import json
from datetime import date

from babel.numbers import get_decimal_symbol
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
from domain.survey_results import ItemResult, Results, SurveyState
from domain.surveys import Question, Reached, Side, Via
from render.blocks import Message, context, header, section, sections
from render.formats import clip, day, day_of, mention, one_line
from render.i18n import N_, _, locale, n_, p_
from render.ids import ActionId, BlockId, CallbackId, comment_block, rating_block
from render.survey_people import commenter, link_lines, who
from storage.models import NOTE_MAX, PROMISE_MAX

MODAL_TITLE = N_("How did it go?")
# The default questions' words, as migration 0003 seeds them for every workspace: translated where shown. A
# workspace's own questions are shown as written.
DEFAULT_QUESTIONS = frozenset(
    {
        N_("Keeping informed"),
        N_("How well did we keep you informed?"),
        N_("How well do you think we kept the client informed?"),
        N_("Keeping promised dates"),
        N_("How well did we keep the dates we promised?"),
        N_("How well do you think we kept the dates we promised the client?"),
        N_("Quality of the result"),
        N_("How good was the result?"),
        N_("How good do you think the client found the result?"),
        N_("Understanding priorities"),
        N_("How well did we understand your priorities?"),
        N_("How well do you think we understood the client's priorities?"),
        N_("Overall"),
        N_("Overall, how happy are you with our work?"),
        N_("Overall, how happy do you think the client is with our work?"),
    }
)


def question_words(text: str) -> str:
    """A question (or its short label) in the reader's language when it is one of the default set's."""
    return _(text) if text in DEFAULT_QUESTIONS else text


def rating_word(rating: int) -> str:
    """An option of the 1-5 scale: `1 · poor`, `2`, `3 · fine`, `4`, `5 · excellent`."""
    if rating == 1:
        return _("1 · poor")
    if rating == 3:
        return _("3 · fine")
    if rating == 5:
        return _("5 · excellent")
    return str(rating)


def bar(score: float | None) -> str:
    """●●●○○: a score out of five at a glance."""
    if score is None:
        return "·····"
    full = max(0, min(5, round(score)))
    return "●" * full + "○" * (5 - full)


def _score(score: float | None) -> str:
    """`3.0`, `3.5` (`3,5`): always one decimal; n/a for none."""
    return _("n/a") if score is None else decimal(score, ".1f")


def decimal(value: float, spec: str) -> str:
    """`value` formatted by `spec` (`.1f`, `+.1f`) with the reader's decimal sign: `3.5`, `3,5`.

    Python's own rounding and sign, as English readers have always read them; only the sign between the digits
    is the language's (the scores are 1 to 5: no thousands to group)."""
    return format(value, spec).replace(".", get_decimal_symbol(locale()))


def invitation(
    *, survey_id: int, project: str, client_name: str, requester_id: str, side: Side, mention_user: str | None = None
) -> Message:
    """The DM (or, for an external person, the client-channel post) asking for two minutes."""
    named = {"requester": mention(requester_id), "project": project, "client": client_name}
    if mention_user:
        asks = _(
            "{person}, {requester} asks how *{project}* for *{client}* went.", person=mention(mention_user), **named
        )
    else:
        asks = _("{requester} asks how *{project}* for *{client}* went.", **named)
    why = (
        _("We ask both sides the same questions, so we can see what to do better, not whom to blame.")
        if side == Side.CLIENT
        else _("The client is asked the same questions: the gap between the two views shows what we miss.")
    )
    button = ButtonElement(
        text=_("Answer (2 min)"), action_id=ActionId.SURVEY_ANSWER, value=str(survey_id), style="primary"
    )
    return Message(
        text=_("How did {project} go?", project=project),
        blocks=[section(f"{asks} {why}"), ActionsBlock(elements=[button])],
    )


def invitation_answered(*, project: str, client_name: str) -> Message:
    """The invitation once answered."""
    text = _(
        ":white_check_mark: Answered, thank you. (*{project}* for *{client}*)", project=project, client=client_name
    )
    return Message(text=_("Answered, thank you"), blocks=[section(text)])


def reminder(*, project: str, client_name: str, mention_user: str | None = None) -> Message:
    """A reminder in the invitation's thread (mentioning the person when it is a shared channel's thread)."""
    if mention_user:
        text = _(":bell: {person}, two minutes for *{project}* for *{client}*? The *Answer* button is above.",
                 person=mention(mention_user), project=project, client=client_name)  # fmt: skip
    else:
        text = _(":bell: Two minutes for *{project}* for *{client}*? The *Answer* button is above.",
                 project=project, client=client_name)  # fmt: skip
    return Message(text=_("Reminder: {project}", project=project), blocks=[section(text)])


def answer_modal(
    items: list[Question], *, side: Side, project: str, client_name: str, requester_id: str, metadata: str
) -> View:
    """One rating (1-5) and an optional comment per item; a 1 or 2 needs the comment."""
    blocks: list[Block] = [
        context(
            _(
                "*{project}* for *{client}*, asked by {requester}. 1 is poor, 5 excellent. For a 1 or 2, please say "
                "why: what should we do so it never happens again?",
                project=clip(project, 200),
                client=clip(client_name, 200),
                requester=mention(requester_id),
            )
        )
    ]
    for item in items:
        blocks.append(
            InputBlock(
                block_id=rating_block(item.key),
                label=clip(question_words(item.text(side)), 2000),
                element=RadioButtonsElement(
                    action_id=ActionId.RATING,
                    options=[Option(value=str(n), label=rating_word(n)) for n in range(1, 6)],
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=comment_block(item.key),
                label=_("Why? (needed for a 1 or 2)"),
                optional=True,
                element=PlainTextInputElement(action_id=ActionId.COMMENT, multiline=True, max_length=NOTE_MAX),
            )
        )
    return View(type="modal", callback_id=CallbackId.SURVEY_VIEW, title=_(MODAL_TITLE), submit=p_("button", "Send"),
                close=p_("button", "Cancel"), private_metadata=metadata, blocks=blocks[:100])  # fmt: skip


def thanks_view(text: str) -> View:
    """What the modal turns into after sending (or when it was answered already)."""
    return View(type="modal", title=_(MODAL_TITLE), close=p_("button", "Close"), blocks=[section(text)])


def comment_needed() -> str:
    return _("A 1 or 2 needs a word on why: what should we do so it never happens again?")


def rating_needed() -> str:
    return _("Pick a rating from 1 to 5.")


def comment_too_long() -> str:
    return _("Please keep it under {limit} characters.", limit=NOTE_MAX)


def comment_unreadable() -> str:
    return _("This holds an invisible control character I can't store. Type it again without it.")


def survey_closed() -> str:
    return _("This survey has closed: the results went out with the answers that came in. Thank you all the same.")


def already_answered() -> str:
    return _("You have already answered, thank you.")


def thank_you() -> str:
    return _("Thank you! Your answers are in. Both sides' views go to the team, who decide what to do about them.")


def already_decided() -> str:
    return _("Someone has already decided what to do about this item.")


def not_for_you() -> str:
    """To anyone who was not invited: nothing about the survey, not even who was."""
    return _("This survey isn't for you.")


def survey_started(
    *, survey_id: int, project: str, client_name: str, reached: list[Reached], unreached: list[str],
    created: bool, links: list[LinkSent] | None = None,
) -> Message:  # fmt: skip
    """The reply to `/client survey`."""
    if not created:
        return Message(
            text=_("Already started"), blocks=[section(_("Survey #{id} was started already.", id=survey_id))]
        )
    lines = [_("Survey #{id} on *{project}* for *{client}* is on its way.", id=survey_id, project=project,
               client=client_name)]  # fmt: skip
    by_dm = [r.user_id for r in reached if r.via is Via.DM]
    in_channel = [r.user_id for r in reached if r.via is Via.CHANNEL]
    if by_dm:
        lines.append(_("Asked by DM: {people}.", people=", ".join(mention(u) for u in by_dm)))
    if in_channel:
        lines.append(_("Asked in the client's channel: {people}.", people=", ".join(mention(u) for u in in_channel)))
    if unreached:
        lines.append(
            _(
                ":warning: I could not reach {people}: no DM is possible and the client has no channel. Set one with "
                "`/client channel {client} #channel`, or ask them yourself.",
                people=", ".join(mention(u) for u in unreached),
                client=client_name,
            )
        )
    lines.extend(link_lines(links or []))
    lines.append(_("You and the client's owner get the results when everyone has answered."))
    return Message(text="\n".join(lines), blocks=[section("\n".join(lines))])


def summary(results: Results, *, tz: str | None, today: date) -> Message:
    """Both sides' scores per item, the gap, blind spots, the comments on low ratings, what will be done."""
    survey = results.survey
    blocks: list[Block] = [header(clip(f"{results.client_name}: {survey.project}", 150))]
    for item in results.items:
        blocks.append(section(_item_text(item, tz=tz, today=today)))
        if item.needs_action and item.fix is None:
            blocks.append(_fix_buttons(survey.id, item))
    client_avg, team_avg = results.average(Side.CLIENT), results.average(Side.TEAM)
    footer = [
        _("Averages: client {client_bar} {client_score} · team {team_bar} {team_score}", client_bar=bar(client_avg),
          client_score=_score(client_avg), team_bar=bar(team_avg), team_score=_score(team_avg))
    ]  # fmt: skip
    if results.missing:
        footer.append(_("No answer from {people}", people=", ".join(who(p) for p in results.missing)))
    footer.append(_("The question is never whose fault, but what we do so it never happens again."))
    blocks.append(context(*footer))
    text = _("Survey results: {client}, {project}", client=results.client_name, project=survey.project)
    return Message(text=text, blocks=blocks[:50])


def _item_text(item: ItemResult, *, tz: str | None, today: date) -> str:
    scores = {
        "client_bar": bar(item.client_average), "client_score": _score(item.client_average),
        "team_bar": bar(item.team_average), "team_score": _score(item.team_average),
    }  # fmt: skip
    label = f"*{question_words(item.question.label)}*"
    lines = [
        _("{label} :warning: *blind spot*", label=label) if item.blind_spot else label,
        _("Client {client_bar} {client_score} · Team {team_bar} {team_score}", **scores)
        if item.gap is None
        else _(
            "Client {client_bar} {client_score} · Team {team_bar} {team_score} · gap {gap}",
            gap=decimal(item.gap, "+.1f"),
            **scores,
        ),
    ]
    for comment in item.comments:
        said = {"rating": comment.rating, "person": commenter(comment), "comment": one_line(comment.text, 300)}
        if comment.side == Side.CLIENT:
            lines.append(_("> {rating} from the client ({person}): “{comment}”", **said))
        else:
            lines.append(_("> {rating} from the team ({person}): “{comment}”", **said))
    if item.fix is not None and item.promise is not None:
        lines.append(_(":hammer_and_wrench: Fix planned: “{what}” by {due}, {owner}",
                       what=one_line(item.promise.what, 200), due=day(item.promise.due_on, today=today),
                       owner=mention(item.promise.owner_id)))  # fmt: skip
    elif item.fix is not None:
        lines.append(_(":ok_hand: No fix needed ({person}): “{reason}”", person=mention(item.fix.by),
                       reason=one_line(item.fix.reason or "", 200)))  # fmt: skip
    return "\n".join(lines)


def _fix_buttons(survey_id: int, item: ItemResult) -> ActionsBlock:
    value = json.dumps({"survey": survey_id, "item": item.question.key}, separators=(",", ":"))
    return ActionsBlock(
        block_id=f"fix:{survey_id}:{item.question.key}",
        elements=[
            ButtonElement(text=_("Plan a fix"), action_id=ActionId.SURVEY_PLAN_FIX, value=value, style="primary"),
            ButtonElement(text=_("No fix needed"), action_id=ActionId.SURVEY_NO_FIX, value=value),
        ],
    )


def fix_modal(*, label: str, requester_id: str, metadata: str) -> View:
    """Plan a fix: what we will do (a promise to the client), who, by when."""
    return View(
        type="modal", callback_id=CallbackId.SURVEY_FIX_VIEW, title=_("Plan a fix"), submit=p_("button", "Plan it"),
        close=p_("button", "Cancel"), private_metadata=metadata,
        blocks=[
            context(_("*{item}*: what will we do so that it never happens again?", item=clip(label, 200))),
            InputBlock(block_id=BlockId.FIX_WHAT, label=_("What we will do"),
                       element=PlainTextInputElement(action_id=ActionId.FIX_WHAT, max_length=PROMISE_MAX)),
            InputBlock(block_id=BlockId.FIX_OWNER, label=_("Who"),
                       element=UserSelectElement(action_id=ActionId.FIX_OWNER, initial_user=requester_id)),
            InputBlock(block_id=BlockId.FIX_DUE, label=_("By when"),
                       element=DatePickerElement(action_id=ActionId.FIX_DUE)),
        ],
    )  # fmt: skip


def dismiss_modal(*, label: str, metadata: str) -> View:
    """No fix needed, and why (required)."""
    return View(
        type="modal", callback_id=CallbackId.SURVEY_DISMISS_VIEW, title=_("No fix needed"), submit=p_("button", "Save"),
        close=p_("button", "Cancel"), private_metadata=metadata,
        blocks=[
            context(f"*{clip(label, 200)}*"),
            InputBlock(block_id=BlockId.REASON, label=_("Why is no fix needed?"),
                       element=PlainTextInputElement(action_id=ActionId.REASON, multiline=True, max_length=NOTE_MAX)),
        ],
    )  # fmt: skip


def state_text(results: Results) -> str:
    """waiting for N answers, answered, fixes planned, closed."""
    state = results.state
    if state is SurveyState.WAITING:
        return n_("waiting for {count} answer", "waiting for {count} answers", len(results.missing))
    if state is SurveyState.ANSWERED:
        return _("answered")
    if state is SurveyState.FIXES_PLANNED:
        return _("fixes planned")
    return _("closed")


def survey_line(results: Results, *, tz: str | None, today: date, with_client: bool) -> str:
    """One survey in a list or in `/client show`."""
    survey = results.survey
    where = f"*{results.client_name}* · " if with_client else ""
    started = day_of(survey.created_at, tz, today=today)
    scores = ""
    if results.answered:
        client_avg, team_avg = results.average(Side.CLIENT), results.average(Side.TEAM)
        spots = sum(i.blind_spot for i in results.items)
        both = _("client {client_bar} {client_score}, team {team_bar} {team_score}", client_bar=bar(client_avg),
                 client_score=_score(client_avg), team_bar=bar(team_avg), team_score=_score(team_avg))  # fmt: skip
        scores = f": {both}"
        scores += ", " + n_("{count} blind spot", "{count} blind spots", spots) if spots else ""
    return f"• #{survey.id} {where}*{survey.project}* ({started}){scores} · {state_text(results)}"


def survey_list(found: list[Results], *, tz: str | None, today: date, client_name: str | None) -> Message:
    """`/client surveys [client]`."""
    if not found:
        return no_surveys(client_name)
    lines = [survey_line(r, tz=tz, today=today, with_client=client_name is None) for r in found]
    heading = _("*Surveys*")
    return Message(text=heading + "\n" + "\n".join(lines), blocks=sections(lines, heading=heading))


def no_surveys(client_name: str | None) -> Message:
    """No surveys (for the client) yet, and how to start one."""
    if client_name:
        text = _("No surveys for *{client}* yet. Start one with `/client survey`.", client=client_name)
    else:
        text = _("No surveys yet. Start one with `/client survey`.")
    return Message(text=_("No surveys"), blocks=[section(text)])
