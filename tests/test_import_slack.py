"""App Home → Import clients: the modal's file input, the file read from Slack with the bot token, the dry run in
the modal, Apply, and files that are refused (someone else's, another workspace's, changed, too big, not CSV)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from fakes.slack import Canned, FakeSlack
from render.ids import ActionId, BlockId, CallbackId
from storage.models import Client, ClientDomain, ClientPerson
from tests.driver import Response, SlackDriver
from tests.helpers import client_row, count

VIEW_ID = "VIMPORT"
BOOK = (
    "name,owner,key,cadence,domains,people\n"
    'Acme Corp,,yes,2w,acme.com,"Jo Smith <jo@acme.com>; UCLIENT"\n'
    "Globex,bob@ourco.test,,,,\n"
)


@pytest.fixture(autouse=True)
def people(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UBOB", email="bob@ourco.test")
    fake_slack.add_user("UCLIENT", team="TCLIENT")
    fake_slack.add_user("UGUEST", is_restricted=True)


def open_modal(slack: SlackDriver, *, user: str = "UALICE") -> dict[str, Any]:
    """Press Import clients on the App Home; the modal it opened."""
    slack.interact({
        "type": "block_actions", "team": {"id": "T1", "domain": "acme"}, "user": {"id": user, "team_id": "T1"},
        "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
        "container": {"type": "view", "view_id": "VHOME"}, "view": {"id": "VHOME", "type": "home", "team_id": "T1"},
        "actions": [{"action_id": ActionId.IMPORT_OPEN, "block_id": "home", "type": "button", "action_ts": "1"}],
    })  # fmt: skip
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def submit_file(slack: SlackDriver, info: dict[str, Any], *, user: str = "UALICE", team: str = "T1") -> Response:
    """Submit the modal with the file chosen (Slack sends its files.info object in the view's state)."""
    values = {BlockId.IMPORT_FILE: {ActionId.IMPORT_FILE: {"type": "file_input", "files": [info]}}}
    return slack.view_submission({**open_modal(slack, user=user), "id": VIEW_ID}, values, user=user, team=team)


def shown(fake: FakeSlack) -> dict[str, Any]:
    """The view the modal shows now (the last views.update)."""
    call = fake.calls_to("views.update")[-1]
    assert call.params["view_id"] == VIEW_ID
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def text_of(view: dict[str, Any]) -> str:
    texts = []
    for block in view["blocks"]:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [e["text"] for e in block["elements"]]
    return "\n".join(texts)


def apply(slack: SlackDriver, view: dict[str, Any], *, user: str = "UALICE", team: str = "T1") -> Response:
    return slack.view_submission({**view, "id": VIEW_ID}, {}, user=user, team=team)


def test_the_app_home_offers_import_clients(slack: SlackDriver) -> None:
    slack.post(json.dumps({
        "token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "EvHome",
        "event_time": 1790000000, "event": {"type": "app_home_opened", "user": "UALICE", "tab": "home"},
    }), "application/json")  # fmt: skip
    view = slack.fake.calls_to("views.publish")[-1].params["view"]
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [(ActionId.IMPORT_OPEN, "Import clients")]


def test_the_manifest_asks_files_read_and_says_why() -> None:
    manifest = (Path(__file__).resolve().parents[1] / "manifest.yml").read_text()
    [line] = [line for line in manifest.splitlines() if line.strip().startswith("- files:read")]
    assert "#" in line and "file_input" in manifest and "url_private" in manifest
    assert "files:read" in yaml.safe_load(manifest)["oauth_config"]["scopes"]["bot"]


def test_the_modal_takes_one_csv_file(slack: SlackDriver) -> None:
    view = open_modal(slack)
    assert (view["callback_id"], view["submit"]["text"]) == (CallbackId.IMPORT_VIEW, "Check file")
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["block_id"] == BlockId.IMPORT_FILE
    assert field["element"] == {"type": "file_input", "action_id": ActionId.IMPORT_FILE, "filetypes": ["csv"],
                                "max_files": 1}  # fmt: skip


def test_the_file_is_read_with_the_bot_token_its_dry_run_shown_and_applied_once(
    slack: SlackDriver, session: Session
) -> None:
    info = slack.fake.add_file(BOOK.encode())
    ack = submit_file(slack, info).json()
    assert ack["response_action"] == "update" and "Reading *clients.csv*…" in text_of(ack["view"])
    [download] = slack.fake.calls_to("file_download")
    assert download.params["path"] == info["url_private_download"].removeprefix(slack.fake.url)
    assert download.headers["Authorization"] == "Bearer xoxb-test"
    dry_run = shown(slack.fake)
    assert (dry_run["callback_id"], dry_run["submit"]["text"]) == (CallbackId.IMPORT_APPLY_VIEW, "Apply")
    assert text_of(dry_run).splitlines()[:3] == [
        "*clients.csv*: 2 clients: 2 to create, 0 to update, 0 unchanged.",
        "line 2: create *Acme Corp*: owner <@UALICE>, key, cadence 2w, + domain acme.com, "
        "+ person Jo Smith &lt;jo@acme.com&gt;, + person <@UCLIENT>",
        "line 3: create *Globex*: owner <@UBOB>",
    ]
    assert count(session, Client) == 0  # nothing yet
    ack = apply(slack, dry_run).json()
    assert ack["response_action"] == "update" and "Importing the file…" in text_of(ack["view"])
    assert "Imported 2 clients: 2 created, 0 updated, 0 unchanged." in text_of(shown(slack.fake))
    acme = client_row(session, "Acme Corp")
    assert (acme.owner_id, acme.created_by, acme.is_key, acme.cadence_days) == ("UALICE", "UALICE", True, 14)
    assert session.scalars(select(ClientDomain.domain)).all() == ["acme.com"]
    assert count(session, ClientPerson) == 2
    apply(slack, dry_run)  # pressed twice (or the same file applied again): nothing more happens
    assert "Imported 2 clients: 0 created, 0 updated, 2 unchanged." in text_of(shown(slack.fake))
    assert (count(session, Client), count(session, ClientDomain), count(session, ClientPerson)) == (2, 1, 2)
    assert len(slack.fake.calls_to("file_download")) == 3  # the apply reads the file again, every time


def test_bad_rows_are_listed_with_their_lines_and_nothing_can_be_applied(slack: SlackDriver, session: Session) -> None:
    slack.command("add Beta")
    rows = "".join(f"Client {n},,,{n}x,,\n" for n in range(50))  # lines 5 to 54: no cadence reads like that
    book = (
        "name,owner,key,cadence,domains,people\n" + "@here Alert Co,,,,gmail.com,\nbeta,UCLIENT,,,,\nok,,,,,\n" + rows
    )
    submit_file(slack, slack.fake.add_file(book.encode()))
    view = shown(slack.fake)
    assert "submit" not in view and "callback_id" not in view  # no Apply
    lines = text_of(view).splitlines()
    assert lines[0] == ":warning: *clients.csv*: 52 rows can't be imported, so nothing was: fix them first."
    assert lines[1].startswith("line 2: gmail.com is public mail")
    assert lines[2] == "line 3: owner <@UCLIENT> is not a member of this workspace, so they can't own a client"
    assert lines[3] == "line 5: cadence `0x` is not days or weeks from 1d to 365d (14d, 2w) or off"
    assert lines[-2:] == ["…and 12 more.", "Line numbers count the header as line 1."]
    assert count(session, Client) == 1


def test_another_persons_or_another_workspaces_file_is_refused(slack: SlackDriver, session: Session) -> None:
    for info in (slack.fake.add_file(BOOK.encode(), user="UBOB"), slack.fake.add_file(BOOK.encode(), team="T2")):
        submit_file(slack, info)
        assert text_of(shown(slack.fake)) == (
            ":warning: That file isn't one you uploaded in this workspace, so I won't import it."
        )
    assert slack.fake.calls_to("file_download") == [] and count(session, Client) == 0


def test_a_forged_apply_is_checked_against_the_file_and_who_submits_it(slack: SlackDriver, session: Session) -> None:
    bobs = slack.fake.add_file(BOOK.encode(), user="UBOB")
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    dry_run = shown(slack.fake)
    metadata = json.loads(dry_run["private_metadata"])
    forged = {**dry_run, "private_metadata": json.dumps({**metadata, "file": bobs["id"]})}
    apply(slack, forged)  # Bob's file, with the digest of Alice's (the same bytes)
    assert "That file isn't one you uploaded in this workspace" in text_of(shown(slack.fake))
    answer = apply(slack, dry_run, user="UEVE", team="T2").json()  # Alice's modal, submitted from another workspace
    assert "Only members of this workspace can import clients." in text_of(answer["view"])
    calls = len(slack.fake.calls_to("files.info"))
    for meta in ("{}", json.dumps({"file": "../../api/chat.postMessage", "sha256": metadata["sha256"]})):
        apply(slack, {**dry_run, "private_metadata": meta})  # no file, or not a file's id: Slack is not asked
        assert "That file isn't one you uploaded in this workspace" in text_of(shown(slack.fake))
    assert len(slack.fake.calls_to("files.info")) == calls
    assert count(session, Client) == 0


def test_someone_of_another_workspace_cannot_import_here(slack: SlackDriver) -> None:
    info = slack.fake.add_file(BOOK.encode(), user="UEVE", team="T2")
    answer = submit_file(slack, info, user="UEVE", team="T2").json()
    refusal = "Only members of this workspace can import clients."
    assert answer == {"response_action": "errors", "errors": {BlockId.IMPORT_FILE: refusal}}
    assert slack.fake.calls_to("files.info") == []


def test_a_guest_cannot_import(slack: SlackDriver, session: Session) -> None:
    submit_file(slack, slack.fake.add_file(BOOK.encode(), user="UGUEST"), user="UGUEST")
    assert text_of(shown(slack.fake)) == ":warning: Only members of this workspace can import clients."
    assert slack.fake.calls_to("files.info") == []


def test_a_file_changed_after_its_dry_run_is_not_applied(slack: SlackDriver, session: Session) -> None:
    info = slack.fake.add_file(BOOK.encode())
    submit_file(slack, info)
    slack.fake.file_content[info["id"]] = (BOOK.replace("Globex", "Initech").encode(), False)  # a snippet, edited
    apply(slack, shown(slack.fake))
    assert text_of(shown(slack.fake)) == (
        ":warning: The file is not the one that was checked. Check it again before applying it."
    )
    assert count(session, Client) == 0


def test_rows_gone_bad_between_the_dry_run_and_apply_stop_it_all(slack: SlackDriver, session: Session) -> None:
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    dry_run = shown(slack.fake)
    slack.command("add Initech")
    slack.command('alias initech "Acme Corp"')  # meanwhile, Acme Corp became another client's other name …
    slack.fake.users["UBOB"]["deleted"] = True  # … and Globex's owner left
    apply(slack, dry_run)
    assert text_of(shown(slack.fake)).splitlines()[:2] == [
        ":warning: *The file*: 1 row can't be imported, so nothing was: fix it first.",
        "line 3: owner <@UBOB> is deactivated, so they can't own a client",
    ]
    assert count(session, Client) == 1


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "streamed"])
def test_a_file_bigger_than_files_info_said_stops_at_5_mb(slack: SlackDriver, session: Session, chunked: bool) -> None:
    big = BOOK.encode() + b"x" * (5 * 1024 * 1024)
    submit_file(slack, slack.fake.add_file(big, size=1000, chunked=chunked))
    assert text_of(shown(slack.fake)) == ":warning: The file is larger than 5 MB."
    assert count(session, Client) == 0


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"size": 5 * 1024 * 1024 + 1}, "The file is larger than 5 MB: import it in parts."),
        ({"name": "clients.xlsx", "filetype": "xlsx"}, "clients.xlsx is not a CSV file: save the spreadsheet as CSV."),
    ],
    ids=["too big", "not csv"],
)
def test_what_slack_says_of_the_file_is_checked_before_the_ack(
    slack: SlackDriver, changes: dict[str, Any], error: str
) -> None:
    info = {**slack.fake.add_file(BOOK.encode()), **changes}
    assert submit_file(slack, info).json() == {"response_action": "errors", "errors": {BlockId.IMPORT_FILE: error}}
    assert slack.fake.calls_to("files.info") == []


def test_slack_refusing_the_file_says_so(slack: SlackDriver) -> None:
    slack.fake.queue("files.info", Canned({"ok": False, "error": "missing_scope", "needed": "files:read"}))
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    assert (
        text_of(shown(slack.fake))
        == ":warning: Slack would not give me the file (missing_scope). Try again in a minute."
    )


def test_a_sign_in_page_instead_of_the_file_is_no_csv(slack: SlackDriver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slack.fake, "bot_token", "xoxb-another")  # Slack did not take our token for the file
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    assert text_of(shown(slack.fake)) == (
        ":warning: Slack would not give me the file (Slack answered with a sign-in page). Try again in a minute."
    )


def test_the_outcome_reaches_a_modal_closed_meanwhile_by_dm(slack: SlackDriver, session: Session) -> None:
    submit_file(slack, slack.fake.add_file(BOOK.encode()))
    slack.fake.closed_views.add(VIEW_ID)
    apply(slack, shown(slack.fake))
    [dm] = slack.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "UALICE" and "Imported 2 clients: 2 created" in dm.params["text"]
    assert count(session, Client) == 2


def test_names_that_would_notify_everyone_read_as_typed(slack: SlackDriver, session: Session) -> None:
    book = "name\n@here Alert Co\n<!channel> News\n"
    submit_file(slack, slack.fake.add_file(book.encode()))
    text = text_of(shown(slack.fake))
    assert "*@\u2060here Alert Co*" in text and "*&lt;!channel&gt; News*" in text
    apply(slack, shown(slack.fake))
    assert client_row(session, "&lt;!channel&gt; News").owner_id == "UALICE"  # stored as Slack sends typed text
