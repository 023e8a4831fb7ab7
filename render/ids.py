"""Every command, callback_id, action_id and block_id in one place; manifest.yml uses the same strings."""

from __future__ import annotations

from enum import StrEnum


class CommandId(StrEnum):
    CLIENT = "/client"


class CallbackId(StrEnum):
    LOG_CONTACT_SHORTCUT = "log_client_contact"
    LOG_CONTACT_VIEW = "log_contact_view"
    NUDGE_CONTACT_VIEW = "nudge_contact_view"
    SURVEY_VIEW = "survey_answers"
    SURVEY_FIX_VIEW = "survey_fix"
    SURVEY_DISMISS_VIEW = "survey_dismiss"
    IMPORT_VIEW = "import_clients"  # App Home → Import clients: the file
    IMPORT_APPLY_VIEW = "import_apply"  # its dry run, with Apply


class ActionId(StrEnum):
    CLIENT_PICK = "client_pick"
    NOTE_INPUT = "note_input"
    NUDGE_LOGGED = "nudge_logged"
    NUDGE_SNOOZE = "nudge_snooze"
    NUDGE_HAND_OVER = "nudge_hand_over"
    NUDGE_DONE = "nudge_done"
    NUDGE_NEW_DATE = "nudge_new_date"
    NUDGE_TAKE = "nudge_take"
    NUDGE_ANSWERED = "nudge_answered"  # a client's message was answered
    NUDGE_SNOOZE_DAY = "nudge_snooze_day"  # ask about a client's message again a working day later
    SURVEY_ANSWER = "survey_answer"
    SURVEY_PLAN_FIX = "survey_plan_fix"
    SURVEY_NO_FIX = "survey_no_fix"
    RATING = "rating"
    COMMENT = "comment"
    FIX_WHAT = "fix_what"
    FIX_OWNER = "fix_owner"
    FIX_DUE = "fix_due"
    REASON = "reason"
    IMPORT_OPEN = "import_open"  # the App Home's Import clients button
    IMPORT_FILE = "import_file"  # the modal's file input
    # App Home buttons: the value is the item's id, checked against the clicker's workspace and rights.
    HOME_LOG_CONTACT = "home_log_contact"  # opens the log-contact modal for the client
    HOME_SNOOZE_CLIENT = "home_snooze_client"
    HOME_PROMISE_DONE = "home_promise_done"
    HOME_PROMISE_SNOOZE = "home_promise_snooze"
    HOME_MESSAGE_ANSWERED = "home_message_answered"
    HOME_MESSAGE_SNOOZE = "home_message_snooze"


class BlockId(StrEnum):
    CLIENT = "client"
    NOTE = "note"
    FIX_WHAT = "fix_what"
    FIX_OWNER = "fix_owner"
    FIX_DUE = "fix_due"
    REASON = "reason"
    IMPORT_FILE = "import_file"


def rating_block(item: str) -> str:
    """The block of an item's rating in the survey modal."""
    return f"rate:{item}"


def comment_block(item: str) -> str:
    """The block of an item's comment in the survey modal (errors about a missing why go here)."""
    return f"comment:{item}"
