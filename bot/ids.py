"""Every command, callback_id, action_id and block_id in one place; manifest.yml uses the same strings."""

from __future__ import annotations

from enum import StrEnum


class CommandId(StrEnum):
    CLIENT = "/client"


class CallbackId(StrEnum):
    LOG_CONTACT_SHORTCUT = "log_client_contact"
    LOG_CONTACT_VIEW = "log_contact_view"
    NUDGE_CONTACT_VIEW = "nudge_contact_view"


class ActionId(StrEnum):
    CLIENT_PICK = "client_pick"
    NOTE_INPUT = "note_input"
    NUDGE_LOGGED = "nudge_logged"
    NUDGE_SNOOZE = "nudge_snooze"
    NUDGE_HAND_OVER = "nudge_hand_over"
    NUDGE_DONE = "nudge_done"
    NUDGE_NEW_DATE = "nudge_new_date"
    NUDGE_TAKE = "nudge_take"


class BlockId(StrEnum):
    CLIENT = "client"
    NOTE = "note"
