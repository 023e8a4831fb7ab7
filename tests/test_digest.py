"""The weekly digest's content on a hand-built week, its chart uploaded as a real PNG, and `/client digest`.

The week: Acme Corp (key, UALICE's) gets two contacts logged and one from its linked channel, a promise kept and
one slipped, a client's question left unanswered and a survey with a fix decided; Globex (key, UBOB's, a 7-day
cadence) goes quiet; Initech's only contact is from before the week. The digest is asked for on Monday 30 Nov.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from datetime import UTC, datetime
from typing import Any

from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import Canned, SharedFile
from render.ids import ActionId, BlockId
from tests.channels import link, message
from tests.driver import SlackDriver
from tests.helpers import add, ask, at, blocks_text, completed_survey, log, nothing_changes, posts, press_fix, promise
from tests.test_sweep_queries import statements

MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Warsaw
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def week(slack: SlackDriver, session: Session, clock: FixedClock) -> tuple[int, int]:
    """The hand-built week (see the module's docstring)."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    add(slack, '"Acme Corp" key')
    add(slack, "Globex key every 1w owner <@UBOB|bob>")
    add(slack, "Initech")
    log(slack, "initech before the week")
    link(session, "CACME", keep_text=True)
    kept = promise(slack, session, "acme send the deck by 2026-11-25")
    slipped = promise(slack, session, "acme fix the invoice by 2026-11-26")
    promise(slack, session, "globex call back by 2026-12-05")
    clock.set(at(24, 10))
    log(slack, "acme call about the launch")
    assert "kept" in ask(slack, f"done {kept}")
    clock.set(at(25, 10))
    log(slack, "acme lunch", user="UBOB")
    message(slack, at(25, 11), user="UALICE", channel="CACME", text="the plan is attached")
    clock.set(at(26, 10))
    message(slack, at(26, 10), user="UCLIENT", team="TCLIENT", channel="CACME", text="where is the invoice?")
    survey = completed_survey(slack, session)
    view = press_fix(slack, survey, "informed", ActionId.SURVEY_NO_FIX)
    slack.view_submission(view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "PM ill"}}})
    clock.set(MONDAY)
    return kept, slipped


def digest_post(slack: SlackDriver) -> Any:
    """The one digest message posted (the survey's messages aside)."""
    [post] = [p for p in posts(slack.fake) if "Weekly digest" in str(p.params.get("text"))]
    return post


def section_of(text: str, title: str) -> str:
    """The lines under one of the digest's headings."""
    match = re.search(rf"\*{re.escape(title)}\*\n(.*?)(?=\n\*[A-Z][^*]+\*\n|\Z)", text, re.S)
    assert match, f"no section {title!r} in:\n{text}"
    return match.group(1)


def test_digest_asked_for_shows_every_section_of_the_week(
    slack: SlackDriver, session: Session, clock: FixedClock
) -> None:
    kept, slipped = week(slack, session, clock)
    with nothing_changes(session):
        assert ask(slack, "digest") == "I sent you this week's digest in a direct message."
    post = digest_post(slack)
    assert post.params["channel"] == "UALICE"
    text = blocks_text(post)
    assert "Weekly digest: Mon 23 Nov to Mon 30 Nov" in json.dumps(post.params["blocks"])
    assert section_of(text, "Contacts per owner").splitlines() == ["• <@UALICE>: 3 contacts with 1 client"]
    key = section_of(text, "Key clients").splitlines()
    assert key[0] == "• *Globex* (<@UBOB>): no contact"
    assert re.fullmatch(
        r"• \*Acme Corp\* \(<@UALICE>\): 3 contacts \(<https://\S+/archives/CACME/p\S+\|latest>\)", key[1]
    )
    assert section_of(text, "Clients that went quiet") == "• *Globex* (<@UBOB>): quiet since Sun 29 Nov, no contact yet"
    assert section_of(text, "Promises kept") == (
        f"• *Acme Corp* #{kept} “send the deck” (<@UALICE>), due Wed 25 Nov, kept Tue 24 Nov"
    )
    assert section_of(text, "Promises slipped") == (
        f"• *Acme Corp* #{slipped} “fix the invoice” (<@UALICE>), due Thu 26 Nov, still open"
    )
    waiting = section_of(text, "Client messages waiting for our answer")
    assert re.fullmatch(
        r"• \*Acme Corp\*: <@UCLIENT> wrote Thu 26 Nov 11:00, answer due Fri 27 Nov 11:00, owner <@UALICE> "
        r"\(<https://\S+/archives/CACME/p\d+\|message>\)",
        waiting,
    ), waiting
    surveys = section_of(text, "Surveys closed")
    assert re.fullmatch(
        r"• \*Acme Corp\* “Website relaunch”: the client rated it 2\.4/5, 1 fix decided "
        r"\(<https://acme\.slack\.com/archives/DUALICE/p\d+\|results>\)",
        surveys,
    ), surveys
    assert section_of(text, "Survey fixes decided") == (
        "• *Acme Corp* “Website relaunch”, informed: no fix needed (<@UALICE>): “PM ill”"
    )
    assert "Initech" not in text
    drops = section_of(text, "Biggest health drops")
    assert drops.startswith("• *Acme Corp* (<@UALICE>): ") and "→" in drops  # a slipped promise lowered it
    assert [f.channel_id for f in slack.fake.shared] == ["DUALICE"]


def is_png(content: bytes) -> tuple[int, int]:
    """The PNG's width and height, after checking its signature and decoding every chunk (CRCs and image data)."""
    assert content.startswith(PNG_SIGNATURE)
    stream, data, size = io.BytesIO(content[8:]), b"", (0, 0)
    while chunk := stream.read(8):
        length, kind = struct.unpack(">I4s", chunk)
        body, crc = stream.read(length), struct.unpack(">I", stream.read(4))[0]
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            data += body
        elif kind == b"IEND":
            break
    assert len(zlib.decompress(data)) > 0
    return size


def test_the_chart_arrives_as_a_png_in_the_digest_dm(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    week(slack, session, clock)
    ask(slack, "digest")
    [shared] = slack.fake.shared
    assert isinstance(shared, SharedFile)
    assert (shared.channel_id, shared.filename, shared.title) == (
        "DUALICE",
        "rapport-digest-2026-11-30.png",
        "Key clients, 12 weeks to Mon 30 Nov",
    )
    width, height = is_png(shared.content)
    assert (width, height) == (900, 650)
    pixels = Image.open(io.BytesIO(shared.content))  # and an image library decodes it
    pixels.load()
    assert (pixels.format, pixels.size) == ("PNG", (900, 650))
    [slot] = slack.fake.calls_to("files.getUploadURLExternal")
    assert int(slot.params["length"]) == len(shared.content)


def test_without_key_clients_there_is_no_chart(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    add(slack, "Initech")
    ask(slack, "digest")
    text = blocks_text(digest_post(slack))
    assert section_of(text, "Key clients") == "_None this week._"
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_a_long_list_ends_with_and_n_more(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    for n in range(13):
        add(slack, f"Key{n:02d} key")
    ask(slack, "digest")
    lines = section_of(blocks_text(digest_post(slack)), "Key clients").splitlines()
    assert len(lines) == 11 and lines[-1] == "…and 3 more"


def test_when_slack_refuses_the_dm_the_asker_is_told(slack: SlackDriver, session: Session) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "channel_not_found"}))
    assert ask(slack, "digest") == (
        ":warning: I could not send you the digest (channel_not_found). Please try again in a minute."
    )


def test_digest_takes_no_arguments(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        assert "/client digest" in ask(slack, "digest now")
    assert posts(slack.fake) == []


def test_the_digest_takes_the_same_statements_for_3_and_30_clients(
    slack: SlackDriver, session: Session, clock: FixedClock, engine: Engine
) -> None:
    counts = []
    for first, last in ((0, 3), (3, 30)):
        clock.set(at(24))
        for n in range(first, last):
            add(slack, f"Client{n:02d} key every 1w")
            log(slack, f"Client{n:02d} call")
            promise(slack, session, f"Client{n:02d} a deck by 2026-11-25")
        clock.set(MONDAY)
        with statements(engine) as sql:
            ask(slack, "digest")
        counts.append(len([s for s in sql if s.startswith("SELECT")]))  # writes: the asker's profile refreshed
    assert counts[0] == counts[1], counts
    assert len(slack.fake.shared) == 2
