"""App Home → Import clients: the modal with a CSV file, its dry run, and Apply.

On Bolt's thread only what needs no Slack: one file chosen, a CSV, not too big by Slack's own account, and a
member of the workspace rapport is installed in. The modal then says it is reading; on the post-ack pool the file
is read from Slack (services.slack_files: only a file the person uploaded, in their workspace), checked, and the
dry run replaces the modal (views.update on the same view). **Apply** reads the same file again (its id and digest
are the modal's metadata: which file, never whose or what it says), checks it again and imports it in one
transaction. Anyone who could own clients in the workspace may import, as anyone may `/client add`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from domain.errors import RapportError
from domain.import_errors import FileRefusal, FileRefused
from handlers.access import acting_team, acting_user, installed_team
from handlers.context import Deps, dependencies
from handlers.survey_access import metadata, read_metadata
from render.blocks import surface
from render.ids import ActionId, BlockId
from render.import_views import (
    applied_message,
    applied_view,
    checked_view,
    failed_view,
    file_input_problem,
    waiting_view,
)
from render.imports import refused_file_text
from services.client_import import apply_upload, check_upload
from services.failures import SLACK_FAILURES, failure

log = logging.getLogger(__name__)


def check_import(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """The file submitted: checked as far as the payload tells, then read and dry-run after the ack."""
    team_id, user_id = acting_team(body, context), acting_user(body, context)
    state = (view["state"]["values"].get(BlockId.IMPORT_FILE) or {}).get(ActionId.IMPORT_FILE) or {}
    files = [f for f in state.get("files") or [] if isinstance(f, dict)]
    problem = file_input_problem(files)
    if problem is None and installed_team(context) not in (None, team_id):
        problem = refused_file_text(FileRefused(FileRefusal.NOT_A_MEMBER))
    if problem is not None:
        ack(response_action="errors", errors={BlockId.IMPORT_FILE.value: problem})
        return None
    file_id, name = str(files[0].get("id") or ""), str(files[0].get("name") or "")
    ack(response_action="update", view=surface(waiting_view(name)))
    deps, view_id = dependencies(context), str(view.get("id") or "")
    return lambda: _dry_run(deps, slack, team_id=team_id, user_id=user_id, file_id=file_id, view_id=view_id)


def apply_import(
    ack: Ack, view: dict[str, Any], body: dict[str, Any], slack: WebClient, context: BoltContext
) -> Callable[[], None] | None:
    """Apply: the file the dry run read, read and checked again, imported in one transaction."""
    team_id, user_id, meta = acting_team(body, context), acting_user(body, context), read_metadata(view)
    file_id, digest = str(meta.get("file") or ""), str(meta.get("sha256") or "")
    if installed_team(context) not in (None, team_id):
        ack(response_action="update", view=surface(failed_view(None, FileRefused(FileRefusal.NOT_A_MEMBER))))
        return None
    ack(response_action="update", view=surface(waiting_view(None, applying=True)))
    deps, view_id = dependencies(context), str(view.get("id") or "")
    return lambda: _apply(deps, slack, team_id=team_id, user_id=user_id, file_id=file_id, digest=digest,
                          view_id=view_id)  # fmt: skip


def _dry_run(deps: Deps, slack: WebClient, *, team_id: str, user_id: str, file_id: str, view_id: str) -> None:
    try:
        upload, plan = check_upload(deps.sessions, slack, team_id=team_id, user_id=user_id, file_id=file_id,
                                    now=deps.clock.now())  # fmt: skip
        shown = checked_view(upload.name, plan, metadata=metadata(file=file_id, sha256=upload.digest))
    except RapportError as exc:
        shown = failed_view(None, exc)
    except SLACK_FAILURES as exc:  # users.info or users.lookupByEmail for the file's people
        shown = failed_view(None, FileRefused(FileRefusal.UNAVAILABLE, failure(exc)))
    _show(slack, view_id, shown)


def _apply(
    deps: Deps, slack: WebClient, *, team_id: str, user_id: str, file_id: str, digest: str, view_id: str
) -> None:
    try:
        plan = apply_upload(deps.sessions, slack, team_id=team_id, user_id=user_id, file_id=file_id, digest=digest,
                            now=deps.clock.now())  # fmt: skip
    except RapportError as exc:  # refused rows, a file changed or not theirs: nothing was imported
        _show(slack, view_id, failed_view(None, exc))
        return
    except SLACK_FAILURES as exc:
        _show(slack, view_id, failed_view(None, FileRefused(FileRefusal.UNAVAILABLE, failure(exc))))
        return
    if not _show(slack, view_id, applied_view(plan)):  # the modal was closed meanwhile: the outcome goes to their DM
        try:
            slack.chat_postMessage(channel=user_id, **applied_message(plan).to_dict())
        except SLACK_FAILURES as exc:
            log.warning("could not tell %s that the import is done: %s", user_id, failure(exc))


def _show(slack: WebClient, view_id: str, view: View) -> bool:
    """Replace the modal; False when it is gone (closed in the meantime)."""
    try:
        slack.views_update(view_id=view_id, view=surface(view))
    except SLACK_FAILURES as exc:
        log.warning("could not update the import modal %s: %s", view_id, failure(exc))
        return False
    return True
