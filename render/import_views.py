"""The Import clients modal: the file input, reading…, the dry run with Apply, the outcome, or what went wrong."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, InputBlock
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from domain.errors import RapportError
from domain.import_csv import FILE_MAX
from domain.import_errors import BadFile, FileRefused, ImportRaced, ImportRefused, RowProblem
from domain.import_plan import Action, Plan
from render.blocks import Message, context, section, sections, simple
from render.errors import error_text
from render.formats import clip, escape, number
from render.i18n import N_, _, p_
from render.ids import ActionId, BlockId, CallbackId
from render.imports import (
    MB,
    SLACK,
    bad_file_text,
    entry_line,
    format_help,
    problem_line,
    raced_text,
    refused_file_text,
    refused_summary,
    summary,
)

TITLE = N_("Import clients")
SHOWN = 40  # rows listed in the modal; the rest are counted ("and 12 more")
LINE_MAX = 300


def import_modal() -> View:
    """App Home → Import clients: one CSV file; its dry run comes first."""
    return View(
        type="modal",
        callback_id=CallbackId.IMPORT_VIEW,
        title=_(TITLE),
        submit=p_("button", "Check file"),
        close=p_("button", "Cancel"),
        blocks=[
            section(
                _(
                    "Add or update many clients at once from a spreadsheet saved as CSV. You will see what it would "
                    "do first: nothing changes until you press *Apply*."
                )
            ),
            InputBlock(
                block_id=BlockId.IMPORT_FILE,
                label=_("CSV file"),
                element=FileInputElement(action_id=ActionId.IMPORT_FILE, filetypes=["csv"], max_files=1),
            ),
            context(format_help()),
        ],
    )


def waiting_view(name: str | None, *, applying: bool = False) -> View:
    """While the file is read (and checked, or imported) after the modal was submitted."""
    if name:
        shown = f"*{escape(clip(name, 100))}*"
        text = _("Importing {file}…", file=shown) if applying else _("Reading {file}…", file=shown)
    else:
        text = _("Importing the file…") if applying else _("Reading the file…")
    return _closing([section(f":hourglass_flowing_sand: {text}")])


def checked_view(name: str, plan: Plan, *, metadata: str) -> View:
    """The dry run: what importing the file would do, and Apply; or its problems, and no Apply."""
    if plan.problems:
        return problems_view(name, plan.problems)
    file = f"*{escape(clip(name, 100))}*"
    if not plan.count(Action.CREATE) and not plan.count(Action.UPDATE):
        return _closing([section(_(":white_check_mark: {file}: every client is here already, as the file says. "
                                   "Nothing to import.", file=file))])  # fmt: skip
    changing = [e for e in plan.entries if e.action != Action.UNCHANGED]
    lines = [clip(entry_line(e, SLACK), LINE_MAX) for e in changing[:SHOWN]] + _more(len(changing))
    blocks = [section(f"{file}: {summary(plan, applied=False)}"), *sections(lines)]
    blocks.append(context(_("Nothing has changed yet. *Apply* imports every row in one go (unchanged ones stay as "
                            "they are); importing the same file again changes nothing.")))  # fmt: skip
    return View(type="modal", callback_id=CallbackId.IMPORT_APPLY_VIEW, title=_(TITLE), submit=p_("button", "Apply"),
                close=p_("button", "Cancel"), private_metadata=metadata, blocks=blocks)  # fmt: skip


def problems_view(name: str, problems: list[RowProblem]) -> View:
    """Rows that can't be imported, with their line numbers (the header is line 1); nothing was."""
    lines = [clip(problem_line(p.line, p.error, SLACK), LINE_MAX) for p in problems[:SHOWN]] + _more(len(problems))
    head = f":warning: *{escape(clip(name, 100))}*: {refused_summary(problems)}"
    return _closing([section(head), *sections(lines), context(_("Line numbers count the header as line 1."))])


def applied_view(plan: Plan) -> View:
    """The import is done."""
    return _closing([section(f":white_check_mark: {summary(plan, applied=True)}"),
                     context(_("`/client list` shows every client; `/client show <client>` one."))])  # fmt: skip


def applied_message(plan: Plan) -> Message:
    """The import is done, for their DM when the modal was closed before it was."""
    return simple(f":white_check_mark: {summary(plan, applied=True)}")


def failed_view(name: str | None, error: Exception) -> View:
    """The file could not be read, or not imported."""
    if isinstance(error, ImportRefused):
        return problems_view(name or _("The file"), error.problems)
    return _closing([section(f":warning: {failure_text(error)}")])


def failure_text(error: Exception) -> str:
    """Why the file was not read or imported."""
    if isinstance(error, BadFile):
        return bad_file_text(error, SLACK)
    if isinstance(error, FileRefused):
        return refused_file_text(error)
    if isinstance(error, ImportRaced):
        return raced_text()
    if isinstance(error, RapportError):
        return error_text(error)
    return _("Slack would not give me the file. Try again in a minute.")


def file_input_problem(files: list[dict[str, object]]) -> str | None:
    """What Slack's own description of the chosen file already rules out (read again from Slack later)."""
    if len(files) != 1:
        return _("Choose one CSV file.")
    name, size = str(files[0].get("name") or ""), files[0].get("size")
    if files[0].get("filetype") != "csv" and not name.lower().endswith(".csv"):
        if not name:
            return _("That file is not a CSV file: save the spreadsheet as CSV.")
        return _("{file} is not a CSV file: save the spreadsheet as CSV.", file=clip(name, 100))
    if isinstance(size, int) and size > FILE_MAX:
        return _("The file is larger than {size} MB: import it in parts.", size=FILE_MAX // MB)
    return None


def _more(total: int) -> list[str]:
    return [_("…and {count} more.", count=number(total - SHOWN, 0))] if total > SHOWN else []


def _closing(blocks: list[Block]) -> View:
    return View(type="modal", title=_(TITLE), close=p_("button", "Close"), blocks=blocks)
