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
from render.ids import ActionId
from render.replies import Reader
from render.unanswered import quoted

HOME_BLOCKS_MAX = 100
BUTTON_TEXT_MAX = 75
RISK_LIST = "`/client list risk` lists every client, worst first."
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
    return [*blocks[: HOME_BLOCKS_MAX - 1], context("More than a Home tab can hold: `/client help` shows the rest.")]


def _items(part: Part[T], render: Callable[[T, Reader], list[Block]], reader: Reader, *, empty: str,
           more: str) -> list[Block]:  # fmt: skip
    blocks = [block for item in part.items for block in render(item, reader)]
    if not part.total:
        return [context(empty)]
    if part.more:
        blocks.append(context(f"…and {part.more} more: {more}"))
    return blocks


# the reader's own ------------------------------------------------------------------------------------------------


def _clients(part: Part[ClientItem], reader: Reader) -> list[Block]:
    title = header(f"Your clients by health ({part.total})" if part.total else "Your clients")
    if not part.total:
        return [title, section("You don't own any clients yet. `/client add <name>` adds one.")]
    return [title, *_items(part, _client, reader, empty="", more=RISK_LIST)]


def client_line(item: ClientItem, reader: Reader, *, owner: bool = False) -> str:
    """A client, its health and why, and when we last talked."""
    star = ":star: " if item.is_key else ""
    whose = f" ({mention(item.owner_id)})" if owner else ""
    line = f"{BAND_EMOJI[item.health.band]} {star}*{item.name}*{whose}: {health_text(item.health)}"
    if owner:
        return line
    last = day_of(item.last_contact_at, reader.tz, today=reader.today) if item.last_contact_at else "none yet"
    facts = [f"last contact {last}", cadence(item.cadence_days)]
    if item.overdue:
        facts.append(":hourglass: overdue")
    elif item.snoozed_until is not None and item.snoozed_until.date() >= reader.today:
        facts.append(f":zzz: snoozed until {day_of(item.snoozed_until, reader.tz, today=reader.today)}")
    return f"{line}\n{' · '.join(facts)}"


def _client(item: ClientItem, reader: Reader) -> list[Block]:
    buttons = [_button("Log a contact", ActionId.HOME_LOG_CONTACT, item.client_id, primary=True)]
    if item.overdue:  # as on the quiet nudge: snoozing a client that is not quiet would change nothing
        buttons.append(_button("Snooze a week", ActionId.HOME_SNOOZE_CLIENT, item.client_id))
    return [section(client_line(item, reader)), _actions("client", item.client_id, buttons)]


def _promises(part: Part[PromiseItem], reader: Reader) -> list[Block]:
    return [
        header("Your promises: slipped and due this week"),
        *_items(
            part,
            _promise,
            reader,
            empty="Nothing slipped, nothing due in the next 7 days.",
            more="`/client show <client>` lists a client's promises.",
        ),
    ]


def promise_line(item: PromiseItem, reader: Reader, *, owner: bool = False) -> str:
    """A promise: to whom, what, by when, and whether it slipped."""
    who = f"{mention(item.owner_id)} promised" if owner else "Promised"
    mark = ":rotating_light:" if item.slipped else ":date:"
    state = " (slipped)" if item.slipped else ""
    due = day(item.due_on, today=reader.today)
    return f"{mark} {who} *{item.client_name}* “{one_line(item.what, 200)}” by {due}{state}"


def _promise(item: PromiseItem, reader: Reader) -> list[Block]:
    buttons = [_button("Done", ActionId.HOME_PROMISE_DONE, item.promise_id, primary=True)]
    if item.slipped:
        buttons.append(_button("Snooze a day", ActionId.HOME_PROMISE_SNOOZE, item.promise_id))
    return [section(promise_line(item, reader)), _actions("promise", item.promise_id, buttons)]


def _messages(part: Part[MessageItem], reader: Reader) -> list[Block]:
    return [
        header("Client messages waiting for us"),
        *_items(
            part,
            _message,
            reader,
            empty="No client is waiting for an answer from us.",
            more="`/client show <client>` lists a client's waiting messages.",
        ),
    ]


def _message(item: MessageItem, reader: Reader) -> list[Block]:
    asker = mention(item.user_id) if item.user_id else "Someone"
    line = f":speech_balloon: {asker} (*{item.client_name}*) asked in {channel(item.channel_id)}"
    line += f" {moment(item.at, reader.tz, today=reader.today)}"
    if item.due_at is not None:
        when = moment(item.due_at, reader.tz, today=reader.today)
        line += f": overdue since {when}" if item.overdue else f": answer by {when}"
    if item.permalink:
        line += f"\n<{item.permalink}|View message>"
    if item.text:
        line += f"\n> {quoted(item.text)}"
    buttons = [_button("Answered", ActionId.HOME_MESSAGE_ANSWERED, item.message_id, primary=True)]
    if item.overdue:
        buttons.append(_button("Snooze a working day", ActionId.HOME_MESSAGE_SNOOZE, item.message_id))
    return [section(line), _actions("message", item.message_id, buttons)]


def _surveys(part: Part[SurveyItem], reader: Reader) -> list[Block]:
    return [
        header("Surveys waiting for your answer"),
        *_items(part, _survey, reader, empty="", more="`/client surveys` lists every survey."),
    ]


def _survey(item: SurveyItem, reader: Reader) -> list[Block]:
    asked = day_of(item.created_at, reader.tz, today=reader.today)
    text = f":clipboard: *{item.client_name}*, “{item.project}”: asked by {mention(item.requester_id)} on {asked}"
    answer = _button("Answer (2 min)", ActionId.SURVEY_ANSWER, item.survey_id, primary=True)
    return [SectionBlock(text=section(text).text, accessory=answer)]


# a manager's -----------------------------------------------------------------------------------------------------


def _team(team: Team, reader: Reader) -> list[Block]:
    blocks: list[Block] = [header("Your team")]
    if team.red.total:
        lines = [client_line(item, reader, owner=True) for item in team.red.items]
        blocks += sections(lines, heading=f"*Red clients ({team.red.total}), worst first*")
        if team.red.more:
            blocks.append(context(f"…and {team.red.more} more: {RISK_LIST}"))
    else:
        blocks.append(context("No red client. :tada:"))
    if team.slipped.total:
        lines = [promise_line(item, reader, owner=True) for item in team.slipped.items]
        blocks += sections(lines, heading=f"*Slipped promises ({team.slipped.total}), oldest first*")
        if team.slipped.more:
            blocks.append(context(f"…and {team.slipped.more} more: `/client show <client>` lists a client's promises."))
    else:
        blocks.append(context("No slipped promise."))
    return blocks


# shared ------------------------------------------------------------------------------------------------------------


def _footer() -> list[Block]:
    import_button = ButtonElement(text="Import clients", action_id=ActionId.IMPORT_OPEN)
    return [
        divider(),
        ActionsBlock(elements=[import_button]),
        context("Many clients at once, from a spreadsheet saved as CSV: you see what it would do first."),
        divider(),
        *overview_blocks(),
    ]


def _button(text: str, action_id: ActionId, item_id: int, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(text=clip(text, BUTTON_TEXT_MAX), action_id=action_id, value=str(item_id),
                         style="primary" if primary else None)  # fmt: skip


def _actions(kind: str, item_id: int, buttons: list[ButtonElement]) -> ActionsBlock:
    """One item's buttons; the block_id keeps action ids unique per row (Slack wants that within a block)."""
    return ActionsBlock(block_id=f"home:{kind}:{item_id}", elements=buttons)
