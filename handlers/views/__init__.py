"""View submission listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.listening import checked
from handlers.views.imports import apply_import, check_import
from handlers.views.log_contact import save_log_contact
from handlers.views.nudge_contact import save_nudge_contact
from handlers.views.surveys import save_answers, save_dismissal, save_fix
from render.ids import CallbackId


def register(app: App) -> None:
    app.view(CallbackId.LOG_CONTACT_VIEW.value)(checked(save_log_contact))
    app.view(CallbackId.NUDGE_CONTACT_VIEW.value)(checked(save_nudge_contact))
    app.view(CallbackId.SURVEY_VIEW.value)(checked(save_answers))
    app.view(CallbackId.SURVEY_FIX_VIEW.value)(checked(save_fix))
    app.view(CallbackId.SURVEY_DISMISS_VIEW.value)(checked(save_dismissal))
    app.view(CallbackId.IMPORT_VIEW.value)(checked(check_import))
    app.view(CallbackId.IMPORT_APPLY_VIEW.value)(checked(apply_import))
