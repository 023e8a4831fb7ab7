"""`/client export`: a client's whole history (or every client's) as CSV files in a ZIP in the user's DM."""

from __future__ import annotations

import csv
import io
import zipfile

from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import FakeSlack
from tests.channels import message
from tests.driver import SlackDriver
from tests.helpers import add, ask, at, log, nothing_changes


def uploaded_zip(fake: FakeSlack) -> dict[str, list[list[str]]]:
    """The ZIP the app uploaded last (a digest's chart may have come before): each CSV file's rows, by name."""
    upload = fake.calls_to("upload")[-1]
    with zipfile.ZipFile(io.BytesIO(upload.raw)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
            for name in archive.namelist()
        }


def uploaded_csv(fake: FakeSlack, name: str = "contacts") -> list[list[str]]:
    """One CSV file of the ZIP the app uploaded, as rows."""
    return uploaded_zip(fake)[f"{name}.csv"]


def exported_history(slack: SlackDriver, clock: FixedClock) -> None:
    add(slack, '"Acme Corp"')
    add(slack, "Globex")
    log(slack, "acme called about the invoice")
    clock.set(at(23))
    log(slack, 'globex =HYPERLINK("http://evil")', user="UBOB", channel="CGLOBEX")
    clock.set(at(24))
    log(slack, 'acme said "fine, see you, then"\nand left')


def test_export_sends_every_contact_to_the_users_dm(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    exported_history(slack, clock)
    with nothing_changes(session):
        reply = ask(slack, "export")
    assert reply == (
        "I sent you every client's whole history (3 contacts, 0 promises, 0 surveys) as a ZIP of CSV files in a "
        "direct message."
    )
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == "UALICE"
    assert [row[:7] for row in uploaded_csv(slack.fake)] == [  # the email columns: tests/test_email_surfaces.py
        ["date_utc", "client", "user_id", "channel_id", "note", "permalink", "source"],
        ["2026-11-22T09:00:00Z", "Acme Corp", "UALICE", "CGENERAL", "called about the invoice", "", "command"],
        ["2026-11-23T09:00:00Z", "Globex", "UBOB", "CGLOBEX", '\'=HYPERLINK("http://evil")', "", "command"],
        [
            "2026-11-24T09:00:00Z",
            "Acme Corp",
            "UALICE",
            "CGENERAL",
            'said "fine, see you, then"\nand left',
            "",
            "command",
        ],
    ]
    [upload_url] = slack.fake.calls_to("files.getUploadURLExternal")
    assert upload_url.params["filename"] == "rapport-history-all-2026-11-24.zip"
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DUALICE"
    assert complete.params["initial_comment"] == (
        "Here is every client's whole history (3 contacts, 0 promises, 0 surveys): one CSV file per kind, in a ZIP."
    )


def test_export_one_client(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    exported_history(slack, clock)
    reply = ask(slack, "export acme")
    assert reply == (
        "I sent you *Acme Corp*'s whole history (2 contacts, 0 promises, 0 surveys) as a ZIP of CSV files in a direct "
        "message."
    )
    rows = uploaded_csv(slack.fake)
    assert [row[1] for row in rows] == ["client", "Acme Corp", "Acme Corp"]
    [upload_url] = slack.fake.calls_to("files.getUploadURLExternal")
    assert upload_url.params["filename"] == "rapport-history-acme-corp-2026-11-24.zip"
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.params["initial_comment"].startswith("Here is *Acme Corp*'s whole history (2 contacts,")


def test_export_makes_every_cell_safe_for_a_spreadsheet(slack: SlackDriver) -> None:
    add(slack, '"@Home Stores"')
    # Slack escapes <, > and & in command text; the file has what the person typed.
    log(slack, '"@Home Stores" +1 on the offer: price &lt; 10k &amp; delivery -&gt; March')
    log(slack, '"@Home Stores" -5% discount asked')
    ask(slack, "export")
    assert [row[1:2] + row[4:5] for row in uploaded_csv(slack.fake)[1:]] == [
        ["'@Home Stores", "'+1 on the offer: price < 10k & delivery -> March"],
        ["'@Home Stores", "'-5% discount asked"],
    ]


def test_export_with_nothing_to_export(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    assert ask(slack, "export") == "There is nothing to export yet."
    assert ask(slack, "export acme") == "There is nothing about *Acme Corp* to export yet."
    for method in ("conversations.open", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"):
        assert slack.fake.calls_to(method) == []


def test_export_an_unknown_client(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    log(slack, "acme called")
    with nothing_changes(session):
        reply = ask(slack, "export globex")
    assert reply.startswith(":warning: I don't know a client called *globex*.")
    assert slack.fake.calls_to("upload") == []


def test_contacts_read_from_a_channel_are_exported_with_their_link_and_only_kept_text(
    slack: SlackDriver, session: Session, clock: FixedClock
) -> None:
    add(slack, '"Acme Corp"')
    ask(slack, "channel acme <#CACME>")
    ask(slack, "channel acme <#CTEXT> text on")
    first = message(slack, at(23, 8), user="UBOB", text="=not kept")
    second = message(slack, at(23, 9), user="UCAROL", channel="CTEXT", text="-kept, and safe")
    ask(slack, "export acme")
    link = "https://acme.slack.com/archives/{}/p{}"
    no_email = [""] * 6  # the email columns
    assert uploaded_csv(slack.fake)[1:] == [
        ["2026-11-23T08:00:00Z", "Acme Corp", "UBOB", "CACME", "", link.format("CACME", first.replace(".", "")),
         "channel", *no_email],
        ["2026-11-23T09:00:00Z", "Acme Corp", "UCAROL", "CTEXT", "'-kept, and safe",
         link.format("CTEXT", second.replace(".", "")), "channel", *no_email],
    ]  # fmt: skip
