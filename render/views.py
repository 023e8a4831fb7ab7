"""Modals and picker options."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    ExternalDataSelectElement,
    InputBlock,
    Option,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from domain.search import Match
from render.blocks import context, quiet
from render.formats import channel, clip, harmless, mention, unescape
from render.i18n import _, p_
from render.ids import ActionId, BlockId, CallbackId
from storage.models import NOTE_MAX

OPTION_TEXT_MAX = 75


def _log_title() -> str:
    """The log-contact modal's title (Slack: 24 characters at most, in every language)."""
    return p_("modal title", "Log client contact")


def _log_submit() -> str:
    return p_("button", "Log contact")


def _cancel() -> str:
    return p_("button", "Cancel")


def log_contact_modal(*, message_text: str, author: str | None, channel_id: str, metadata: str) -> View:
    """The message shortcut's modal: pick the client, keep or edit the note."""
    note = clip(unescape(harmless(message_text)).strip(), NOTE_MAX)  # `<!here>` reads as @here, and stays harmless
    if author:
        origin = _("From a message by {person} in {channel}.", person=mention(author), channel=channel(channel_id))
    else:
        origin = _("From a message.")
    kept = _("The message's link is kept as evidence.")
    return _contact_view(metadata=metadata, note=note or None, origin=f"{origin} {kept}")


def client_options(matches: list[Match]) -> list[dict[str, object]]:
    """Options for the client picker; the value is the client's id."""
    return quiet([Option(value=str(m.client_id), label=clip(m.name, OPTION_TEXT_MAX)).to_dict() for m in matches])


def home_contact_modal(*, client_id: int, client_name: str, metadata: str) -> View:
    """The same log-contact modal, from a client on the App Home: the client is picked already."""
    picked = Option(value=str(client_id), label=clip(client_name, OPTION_TEXT_MAX))
    return _contact_view(metadata=metadata, picked=picked)


def _contact_view(*, metadata: str, picked: Option | None = None, note: str | None = None, origin: str = "") -> View:
    """The log-contact modal: the client (maybe picked already), the note, and where it came from."""
    picker = ExternalDataSelectElement(
        action_id=ActionId.CLIENT_PICK, placeholder=_("Type a client's name"), min_query_length=0, initial_option=picked
    )
    client = InputBlock(block_id=BlockId.CLIENT, label=p_("label", "Client"), element=picker)
    blocks: list[InputBlock | ContextBlock] = [client, _note_input(initial=note)]
    if origin:
        blocks.append(context(origin))
    return View(
        type="modal", callback_id=CallbackId.LOG_CONTACT_VIEW, title=_log_title(), submit=_log_submit(),
        close=_cancel(), private_metadata=metadata, blocks=blocks,
    )  # fmt: skip


def nudge_contact_modal(metadata: str) -> View:
    """ "I've been in touch": what was said (optional: the contact counts either way)."""
    return View(
        type="modal",
        callback_id=CallbackId.NUDGE_CONTACT_VIEW,
        title=_log_title(),
        submit=_log_submit(),
        close=_cancel(),
        private_metadata=metadata,
        blocks=[
            _note_input(optional=True),
        ],
    )


def _note_input(*, initial: str | None = None, optional: bool = False) -> InputBlock:
    """What was said: up to the length a contact note may have."""
    return InputBlock(
        block_id=BlockId.NOTE,
        label=_("What was said"),
        optional=optional,
        element=PlainTextInputElement(
            action_id=ActionId.NOTE_INPUT,
            multiline=True,
            initial_value=initial,
            max_length=NOTE_MAX,
            placeholder=_("A line or two on the contact"),
        ),
    )
