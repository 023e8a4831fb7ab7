"""`/client export acme`: the client's whole timeline, one CSV file per kind, in a ZIP; columns are a contract."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from domain.clock import FixedClock
from render.export import FILES
from tests.commands.test_export import uploaded_zip
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask
from tests.history import rich_workspace

README = Path(__file__).parents[1] / "README.md"


def rows(files: dict[str, list[list[str]]], name: str) -> list[dict[str, str]]:
    """A file's rows as dicts by column."""
    header, *body = files[f"{name}.csv"]
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_whole_history_of_one_client(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock
) -> None:
    rich_workspace(slack, session, sweeps, clock)
    reply = ask(slack, "export acme")
    assert reply == (
        "I sent you *Acme Corp*'s whole history (2 contacts, 3 promises, 1 survey) as a ZIP of CSV files in a direct "
        "message."
    )
    files = uploaded_zip(slack.fake)
    assert list(files) == [f"{name}.csv" for name in FILES]
    assert {name: body[0] for name, body in files.items()} == {f"{name}.csv": FILES[name] for name in FILES}
    assert {row["client"] for name in FILES for row in rows(files, name)} == {"Acme Corp"}  # not Globex's
    assert [(c["source"], c["note"], c["user_id"]) for c in rows(files, "contacts")] == [
        ("command", "called about the invoice", "UALICE"), ("channel", "'=next week", "UBOB"),  # safe in a spreadsheet
    ]  # fmt: skip
    moved, kept, fix = rows(files, "promises")
    assert (moved["what"], moved["first_due_on"], moved["due_on"], moved["times_moved"]) == (
        "send the revised quote", "2026-11-24", "2026-12-02", "1"
    )  # fmt: skip
    assert (kept["done_by"], kept["done_at_utc"] != "") == ("UALICE", True)
    assert (fix["what"], fix["survey_item"], fix["owner_id"]) == ("weekly status on Mondays", "informed", "UBOB")
    assert [(m["by"], m["old_due_on"], m["new_due_on"]) for m in rows(files, "promise_moves")] == [
        ("UALICE", "2026-11-24", "2026-12-02")
    ]
    assert [(h["by"], h["previous_owner_id"], h["new_owner_id"]) for h in rows(files, "hand_overs")] == [
        ("UALICE", "UALICE", "UBOB"), ("UBOB", "UBOB", "UCAROL"),  # /client owner, then the nudge's button
    ]  # fmt: skip
    assert {t["kind"] for t in rows(files, "timeline")} >= {"promise_moved", "handed_over", "sponsor_named"}
    [sponsor] = rows(files, "sponsors")
    assert (sponsor["sponsor_id"], sponsor["cadence_days"], sponsor["named_by"]) == ("UCAROL", "42", "UALICE")
    [waiting] = rows(files, "unanswered")
    assert (waiting["user_id"], waiting["channel_id"], waiting["text"]) == ("UCLIENT", "CACME", "and the invoice?")
    [survey] = rows(files, "surveys")
    assert (survey["project"], survey["requester_id"]) == ("Website relaunch", "UALICE")
    answers = rows(files, "survey_answers")
    assert {(a["user_id"], a["side"]) for a in answers} == {("UBOB", "team"), ("UCLIENT", "client")}
    assert ("UCLIENT", "dates", "2", "late") in {(a["user_id"], a["item"], a["rating"], a["comment"]) for a in answers}
    assert [(f["item"], f["promise_id"] != "", f["no_fix_reason"]) for f in rows(files, "survey_fixes")] == [
        ("informed", True, ""), ("dates", False, "scope"),
    ]  # fmt: skip
    assert [a["alias"] for a in rows(files, "aliases")] == ["Roadrunner"]
    assert [(c["channel_id"], c["keep_text"]) for c in rows(files, "channels")] == [("CACME", "yes")]
    assert [(p["user_id"], p["email"], p["name"]) for p in rows(files, "people")] == [
        ("UCLIENT", "", ""), ("", "pat@acme.com", "Pat Smith"),
    ]  # fmt: skip
    assert [d["domain"] for d in rows(files, "domains")] == ["acme.com", "acme.de"]
    ask(slack, "export globex")
    globex = uploaded_zip(slack.fake)
    assert [(h["by"], h["previous_owner_id"], h["new_owner_id"]) for h in rows(globex, "hand_overs")] == [
        ("UALICE", "UDAN", "UALICE"),  # 🙋 on its quiet nudge in the team channel
    ]


def test_the_readme_documents_every_file_and_its_columns() -> None:
    readme = README.read_text()
    for name, columns in FILES.items():
        assert f"`{name}.csv`: `{','.join(columns)}`" in readme, name
