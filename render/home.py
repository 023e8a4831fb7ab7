"""The App Home tab: the reader's dashboard, within Slack's 100 blocks, each list ending with "and N more"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock
from slack_sdk.models.views import View

from domain.dashboard import ClientItem, Dashboard, MessageItem, Part, PromiseItem, SurveyItem, Team
from render.blocks import context, divider, header, section, sections
from render.formats import cadence, channel, clip, day, day_of, mention, moment, one_line
from render.health import BAND_EMOJI, health_text
from render.help import overview_blocks
from render.i18n import N_, _, n_, p_
from render.ids import ActionId
from render.replies import Reader
from render.unanswered import quoted

HOME_BLOCKS_MAX = 100
BUTTON_TEXT_MAX = 75
RISK_LIST = N_("`/client list risk` lists every client, worst first.")
PROMISE_LIST = N_("`/client show <client>` lists a client's promises.")
T = TypeVar("T")


def home_view(board: Dashboard, reader: Reader) -> View:
    """The App Home tab."""
    blocks: list[Block] = [
        *_clients(board.clients, reader),
        divider(),
        *_promises(board.promises, reader),
        divider(),
        *_messages(board.messages, reader),
    ]
    if board.surveys.total:
        blocks += [divider(), *_surveys(board.surveys, reader)]
    if board.team is not None:
        blocks += [divider(), *_team(board.team, reader)]
    blocks += _footer()
    return View(type="home", blocks=fit_home(blocks))


def fit_home(blocks: Sequence[Block]) -> list[Block]:
    """Blocks cut to Slack's 100 for a Home tab, the last one saying where the rest is."""
    if len(blocks) <= HOME_BLOCKS_MAX:
        return list(blocks)
    return [*blocks[: HOME_BLOCKS_MAX - 1], context(_("More than a Home tab can hold: `/client help` shows the rest."))]


def _items(part: Part[T], render: Callable[[T, Reader], list[Block]], reader: Reader, *, empty: str,
           more: str) -> list[Block]:  # fmt: skip
    blocks = [block for item in part.items for block in render(item, reader)]
    if not part.total:
        return [context(empty)]
    if part.more:
        blocks.append(context(_more(part.more, more)))
    return blocks


def _more(count: int, where: str) -> str:
    """`…and 3 more: <where to see them>`."""
    return n_("…and {count} more: {where}", "…and {count} more: {where}", count, where=where)


# the reader's own ------------------------------------------------------------------------------------------------


def _clients(part: Part[ClientItem], reader: Reader) -> list[Block]:
    title = header(_("Your clients by health ({count})", count=part.total) if part.total else _("Your clients"))
    if not part.total:
        return [title, section(_("You don't own any clients yet. `/client add <name>` adds one."))]
    return [title, *_items(part, _client, reader, empty="", more=_(RISK_LIST))]


def client_line(item: ClientItem, reader: Reader, *, owner: bool = False) -> str:
    """A client, its health and why, and when we last talked."""
    star = ":star: " if item.is_key else ""
    whose = f" ({mention(item.owner_id)})" if owner else ""
    line = f"{BAND_EMOJI[item.health.band]} {star}*{item.name}*{whose}: {health_text(item.health)}"
    if owner:
        return line
    if item.last_contact_at:
        last = _("last contact {day}", day=day_of(item.last_contact_at, reader.tz, today=reader.today))
    else:
        last = _("last contact none yet")
    facts = [last, cadence(item.cadence_days)]
    if item.overdue:
        facts.append(_(":hourglass: overdue"))
    elif item.snoozed_until is not None and item.snoozed_until.date() >= reader.today:
        facts.append(_(":zzz: snoozed until {day}", day=day_of(item.snoozed_until, reader.tz, today=reader.today)))
    return f"{line}\n{' · '.join(facts)}"


def _client(item: ClientItem, reader: Reader) -> list[Block]:
    buttons = [_button(p_("button", "Log a contact"), ActionId.HOME_LOG_CONTACT, item.client_id, primary=True)]
    if item.overdue:  # as on the quiet nudge: snoozing a client that is not quiet would change nothing
        buttons.append(_button(p_("button", "Snooze a week"), ActionId.HOME_SNOOZE_CLIENT, item.client_id))
    return [section(client_line(item, reader)), _actions("client", item.client_id, buttons)]


def _promises(part: Part[PromiseItem], reader: Reader) -> list[Block]:
    return [
        header(_("Your promises: slipped and due this week")),
        *_items(
            part,
            _promise,
            reader,
            empty=_("Nothing slipped, nothing due in the next 7 days."),
            more=_(PROMISE_LIST),
        ),
    ]


def promise_line(item: PromiseItem, reader: Reader, *, owner: bool = False) -> str:
    """A promise: to whom, what, by when, and whether it slipped."""
    values = {"client": item.client_name, "what": one_line(item.what, 200), "due": day(item.due_on, today=reader.today)}
    if owner and item.slipped:
        return _(":rotating_light: {owner} promised *{client}* “{what}” by {due} (slipped)",
                 owner=mention(item.owner_id), **values)  # fmt: skip
    if owner:
        return _(":date: {owner} promised *{client}* “{what}” by {due}", owner=mention(item.owner_id), **values)
    if item.slipped:
        return _(":rotating_light: Promised *{client}* “{what}” by {due} (slipped)", **values)
    return _(":date: Promised *{client}* “{what}” by {due}", **values)


def _promise(item: PromiseItem, reader: Reader) -> list[Block]:
    buttons = [_button(p_("button", "Done"), ActionId.HOME_PROMISE_DONE, item.promise_id, primary=True)]
    if item.slipped:
        buttons.append(_button(p_("button", "Snooze a day"), ActionId.HOME_PROMISE_SNOOZE, item.promise_id))
    return [section(promise_line(item, reader)), _actions("promise", item.promise_id, buttons)]


def _messages(part: Part[MessageItem], reader: Reader) -> list[Block]:
    return [
        header(_("Client messages waiting for us")),
        *_items(
            part,
            _message,
            reader,
            empty=_("No client is waiting for an answer from us."),
            more=_("`/client show <client>` lists a client's waiting messages."),
        ),
    ]


def _message(item: MessageItem, reader: Reader) -> list[Block]:
    values = {
        "asker": mention(item.user_id) if item.user_id else _("Someone"),
        "client": item.client_name,
        "channel": channel(item.channel_id),
        "at": moment(item.at, reader.tz, today=reader.today),
    }
    if item.due_at is None:
        line = _(":speech_balloon: {asker} (*{client}*) asked in {channel} {at}", **values)
    elif item.overdue:
        when = moment(item.due_at, reader.tz, today=reader.today)
        line = _(":speech_balloon: {asker} (*{client}*) asked in {channel} {at}: overdue since {when}", when=when,
                 **values)  # fmt: skip
    else:
        when = moment(item.due_at, reader.tz, today=reader.today)
        line = _(":speech_balloon: {asker} (*{client}*) asked in {channel} {at}: answer by {when}", when=when,
                 **values)  # fmt: skip
    if item.permalink:
        label = _("View message")
        line += f"\n<{item.permalink}|{label}>"
    if item.text:
        line += f"\n> {quoted(item.text)}"
    buttons = [_button(p_("button", "Answered"), ActionId.HOME_MESSAGE_ANSWERED, item.message_id, primary=True)]
    if item.overdue:
        buttons.append(_button(p_("button", "Snooze a working day"), ActionId.HOME_MESSAGE_SNOOZE, item.message_id))
    return [section(line), _actions("message", item.message_id, buttons)]


def _surveys(part: Part[SurveyItem], reader: Reader) -> list[Block]:
    return [
        header(_("Surveys waiting for your answer")),
        *_items(part, _survey, reader, empty="", more=_("`/client surveys` lists every survey.")),
    ]


def _survey(item: SurveyItem, reader: Reader) -> list[Block]:
    asked = day_of(item.created_at, reader.tz, today=reader.today)
    text = _(":clipboard: *{client}*, “{project}”: asked by {requester} on {day}", client=item.client_name,
             project=item.project, requester=mention(item.requester_id), day=asked)  # fmt: skip
    answer = _button(p_("button", "Answer (2 min)"), ActionId.SURVEY_ANSWER, item.survey_id, primary=True)
    return [SectionBlock(text=section(text).text, accessory=answer)]


# a manager's -----------------------------------------------------------------------------------------------------


def _team(team: Team, reader: Reader) -> list[Block]:
    blocks: list[Block] = [header(_("Your team"))]
    if team.red.total:
        lines = [client_line(item, reader, owner=True) for item in team.red.items]
        blocks += sections(lines, heading=_("*Red clients ({count}), worst first*", count=team.red.total))
        if team.red.more:
            blocks.append(context(_more(team.red.more, _(RISK_LIST))))
    else:
        blocks.append(context(_("No red client. :tada:")))
    if team.slipped.total:
        lines = [promise_line(item, reader, owner=True) for item in team.slipped.items]
        blocks += sections(lines, heading=_("*Slipped promises ({count}), oldest first*", count=team.slipped.total))
        if team.slipped.more:
            blocks.append(context(_more(team.slipped.more, _(PROMISE_LIST))))
    else:
        blocks.append(context(_("No slipped promise.")))
    return blocks


# shared ------------------------------------------------------------------------------------------------------------


def _footer() -> list[Block]:
    import_button = ButtonElement(text=p_("button", "Import clients"), action_id=ActionId.IMPORT_OPEN)
    return [
        divider(),
        ActionsBlock(elements=[import_button]),
        context(_("Many clients at once, from a spreadsheet saved as CSV: you see what it would do first.")),
        divider(),
        *overview_blocks(),
    ]


def _button(text: str, action_id: ActionId, item_id: int, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=clip(text, BUTTON_TEXT_MAX), action_id=action_id, value=str(item_id),
                         style="primary" if primary else None)  # fmt: skip


def _actions(kind: str, item_id: int, buttons: list[ButtonElement]) -> ActionsBlock:
    """One item's buttons; the block_id keeps action ids unique per row (Slack wants that within a block)."""
    return ActionsBlock(block_id=f"home:{kind}:{item_id}", elements=buttons)
