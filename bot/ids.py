"""Every command, callback_id, action_id and block_id in one place; manifest.yml uses the same strings."""

from __future__ import annotations

from enum import StrEnum


class CommandId(StrEnum):
    CLIENT = "/client"


class CallbackId(StrEnum):
    LOG_CONTACT_SHORTCUT = "log_client_contact"
    LOG_CONTACT_VIEW = "log_contact_view"


class ActionId(StrEnum):
    CLIENT_PICK = "client_pick"
    NOTE_INPUT = "note_input"


class BlockId(StrEnum):
    CLIENT = "client"
    NOTE = "note"
