"""`/client channel`: linking a client's channels (rapport joins a public one and reads 30 days; a private one
waits for an invitation), unlinking them, keeping their text or not; the first linked gets survey invitations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from fakes.slack import Canned
from storage.models import ChannelMessage
from tests.channels import event, links, message, stored, ts_of
from tests.commands.linking import nothing_written
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, add, ask, client_named, clients, contacts, count, fresh

PUBLIC = "<#CACME|acme-shared>"
PRIVATE = "<#GSECRET|acme-private>"


def linked_ids(session: Session) -> list[tuple[str, str, bool, bool]]:
    """(channel, client, joined, keeps text) of every link."""
    names = {c.id: c.name for c in clients(session)}
    return [(link.channel_id, names[link.client_id], link.joined, link.keep_text) for link in links(session)]


def test_a_public_channel_is_joined_and_its_last_30_days_read(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.add_message("CACME", {"ts": ts_of(NOW - timedelta(days=3)), "user": "UBOB", "text": "sent it"})
    slack.fake.add_message("CACME", {"ts": ts_of(NOW - timedelta(days=31)), "user": "UCAROL", "text": "too old"})
    reply = ask(slack, f"channel acme {PUBLIC}")
    assert reply.startswith(
        "Linked <#CACME> to *Acme Corp*: I joined it and am reading its last 30 days. The team's messages there "
        "count as contacts; the client's wait for our answer. Survey invitations for *Acme Corp* go there"
    )
    assert "I keep who wrote, when and a link to each message, never the text" in reply
    assert [c.params["channel"] for c in slack.fake.calls_to("conversations.join")] == ["CACME"]
    assert linked_ids(session) == [("CACME", "Acme Corp", True, False)]
    assert client_named(session, "Acme Corp").channel_id == "CACME"  # the survey channel
    [read] = [c for c in contacts(session) if c.source == "channel"]  # read after the reply: the backfill
    assert (read.user_id, read.channel_id, read.note) == ("UBOB", "CACME", "")
    assert [m.user_id for m in stored(session)] == ["UBOB"]


def test_a_private_channel_is_linked_at_once_and_waits_for_an_invitation(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.private.add("GSECRET")
    reply = ask(slack, f"channel acme {PRIVATE}")
    assert reply.startswith(
        "Linked <#GSECRET> to *Acme Corp*. It is private, so I can't join it myself: please invite me there "
        "(`/invite @rapport` in the channel)"
    )
    assert linked_ids(session) == [("GSECRET", "Acme Corp", False, False)]
    assert slack.fake.calls_to("conversations.history") == []
    assert "*Channels:* <#GSECRET> (waiting for an invitation)" in ask(slack, "show acme")
    # Invited: Slack says rapport joined the channel, and it reads the history.
    event(slack, {"type": "member_joined_channel", "user": "UBOT", "channel": "GSECRET", "team": "T1"})
    assert linked_ids(session) == [("GSECRET", "Acme Corp", True, False)]
    assert "*Channels:* <#GSECRET>\n" in ask(slack, "show acme")


def test_when_slack_will_not_let_rapport_join_the_link_stands(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.queue("conversations.join", Canned({"ok": False, "error": "fatal_error"}))
    reply = ask(slack, f"channel acme {PUBLIC}")
    assert reply.startswith("Linked <#CACME> to *Acme Corp*, but I could not join it just now: I will try again")
    assert linked_ids(session) == [("CACME", "Acme Corp", False, False)]


def test_a_client_may_have_several_channels_and_the_first_gets_survey_invitations(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.private.add("GSECRET")
    ask(slack, f"channel acme {PUBLIC}")
    ask(slack, f"channel acme {PRIVATE}")
    ask(slack, "channel acme <#CMORE>")
    assert [link.channel_id for link in links(session)] == ["CACME", "GSECRET", "CMORE"]
    assert client_named(session, "Acme Corp").channel_id == "CACME"
    show = ask(slack, "show acme")
    assert "*Channels:* <#CACME>, <#GSECRET> (waiting for an invitation), <#CMORE>" in show
    reply = ask(slack, "channel acme off <#CACME>")
    assert reply == "Unlinked <#CACME> from *Acme Corp*: I no longer read it, and any text kept from there is erased."
    assert client_named(session, "Acme Corp").channel_id == "GSECRET"  # the next one linked
    assert ask(slack, "channel acme none") == (
        "Unlinked <#GSECRET>, <#CMORE> from *Acme Corp*: I no longer read them, and any text kept from there is erased."
    )
    assert links(session) == []
    assert client_named(session, "Acme Corp").channel_id is None


def test_a_channel_belongs_to_one_client(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, f"channel acme {PUBLIC}")
    with nothing_written(session):
        reply = ask(slack, f"channel roadrunner {PUBLIC}")
    assert reply == (
        ":warning: <#CACME> is linked to *Acme Corp* already, and a channel belongs to one client. Unlink it there "
        "first (`/client channel Acme Corp off #channel`). Nothing was changed."
    )
    assert client_named(session, "Roadrunner Ltd").channel_id is None


def test_linking_again_changes_nothing_and_says_so(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, f"channel acme {PUBLIC}")
    joins = len(slack.fake.calls_to("conversations.join"))
    with nothing_written(session):
        reply = ask(slack, f"channel ACME {PUBLIC}")
        assert ask(slack, f"channel acme {PUBLIC} text off") == reply
    assert reply == "<#CACME> is already linked to *Acme Corp* and keeps no text. Nothing was changed."
    assert len(slack.fake.calls_to("conversations.join")) == joins


def test_a_private_channel_linked_again_still_asks_for_the_invitation(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.private.add("GSECRET")
    ask(slack, f"channel acme {PRIVATE}")
    with nothing_written(session):
        reply = ask(slack, f"channel acme {PRIVATE}")
    assert reply.endswith("Nothing was changed. I am still waiting for an invitation there (`/invite @rapport`).")


def test_text_on_keeps_200_characters_and_text_off_erases_them(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    said = NOW - timedelta(days=1)
    slack.fake.add_message("CACME", {"ts": ts_of(said), "user": "UBOB", "text": "x" * 250})
    reply = ask(slack, f"channel acme {PUBLIC} text on")
    assert "and its first 200 characters (`text off` stops that and erases them)" in reply
    [contact] = contacts(session)
    assert contact.note == "x" * 200
    assert "*Channels:* <#CACME> (keeps text)" in ask(slack, "show acme")
    message(slack, NOW + timedelta(minutes=5), user="UCLIENT", team="TCLIENT", text="any news?")
    assert [m.text for m in stored(session)] == ["x" * 200, "any news?"]
    reply = ask(slack, f"channel acme {PUBLIC} text off")
    assert reply == (
        "<#CACME> no longer keeps text: the text kept from it so far is erased, and I keep only who wrote, when and "
        "a link."
    )
    assert [m.text for m in stored(session)] == [None, None]
    assert [c.note for c in contacts(session)] == [""]
    assert "*Channels:* <#CACME>\n" in ask(slack, "show acme")
    assert ask(slack, f"channel acme {PUBLIC} text on").startswith("<#CACME> now keeps text: the first 200")
    message(slack, NOW + timedelta(minutes=9), user="UCLIENT", team="TCLIENT", text="hello?")
    assert [m.text for m in stored(session)] == [None, None, "hello?"]


def test_unlinking_erases_the_text_and_nothing_there_waits_any_longer(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    ask(slack, f"channel acme {PUBLIC} text on")
    message(slack, NOW + timedelta(minutes=5), user="UCLIENT", team="TCLIENT", text="any news?")
    assert "*Waiting for our answer*" in ask(slack, "show acme")
    ask(slack, "channel acme off")
    assert stored(session) == []  # its messages go with the link (contacts stay): linked again, it is read afresh
    assert "*Waiting for our answer*" not in ask(slack, "show acme")
    message(slack, NOW + timedelta(minutes=9), user="UCLIENT", team="TCLIENT", text="hello?")  # not read now
    assert count(fresh(session), ChannelMessage) == 0


def test_a_channel_linked_again_reads_its_history_afresh(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    ask(slack, 'add "Globex"')
    slack.fake.add_message("CACME", {"ts": f"{int((NOW - timedelta(days=2)).timestamp())}.000100", "user": "UBOB",
                                       "text": "hi"})  # fmt: skip
    ask(slack, f"channel globex {PUBLIC}")  # the wrong client: its history is read for Globex
    ask(slack, "channel globex off")
    ask(slack, f"channel acme {PUBLIC}")
    assert [(c.user_id, c.client_id) for c in contacts(session) if c.client_id == client_named(session, "Acme Corp").id
            ] == [("UBOB", client_named(session, "Acme Corp").id)]  # fmt: skip


def test_unlinking_a_channel_that_is_not_linked_changes_nothing(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    with nothing_written(session):
        assert ask(slack, f"channel acme off {PUBLIC}") == (
            "<#CACME> is not linked to *Acme Corp*. Nothing was changed."
        )
        assert ask(slack, "channel acme off") == "*Acme Corp* has no linked channels. Nothing was changed."
    ask(slack, "channel acme <#CMORE>")
    with nothing_written(session):
        assert ask(slack, f"channel acme {PUBLIC} off").startswith("<#CACME> is not linked")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("channel", "Usage: `/client channel"),
        ("channel acme", "Usage: `/client channel"),
        ("channel acme text", "Usage: `/client channel"),
        ("channel acme acme-shared", "`acme-shared` is not a channel: pick one with `#`"),
        (f"channel acme {PUBLIC} text maybe", "`maybe` is not a channel"),
        (f"channel acme {PUBLIC} <#CMORE>", "Usage: `/client channel"),
        (f"channel {PUBLIC} text on", "Usage: `/client channel"),
        (f"channel off {PUBLIC}", "Which client?"),
        (f'channel "Acme {PUBLIC}', "A quote is not closed."),
        (f"channel nosuch {PUBLIC}", "I don't know a client called *nosuch*"),
        (f"channel Acme Corp off off {PUBLIC}", "I don't know a client called *Acme Corp off*"),
    ],
)
def test_bad_channel_commands_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, expected: str
) -> None:
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
    assert slack.fake.calls_to("conversations.join") == []


def test_the_survey_channel_of_a_client_named_in_several_words(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    ask(slack, f"channel Acme Corp {PUBLIC}")
    ask(slack, f'channel "Acme Corp" off {PUBLIC}')
    assert links(session) == []


def test_a_channel_rapport_could_not_join_yet_is_joined_by_the_sweep(
    slack: SlackDriver, session: Session, sweeps: Sweeps, acme: None
) -> None:
    slack.fake.queue("conversations.join", Canned({"ok": False, "error": "fatal_error"}))
    ask(slack, f"channel acme {PUBLIC}")
    with nothing_written(session):
        reply = ask(slack, f"channel acme {PUBLIC}")
    assert reply.endswith("Nothing was changed. I have not joined it yet: I will within a few minutes.")
    sweeps.at(NOW + timedelta(minutes=5))
    assert linked_ids(session) == [("CACME", "Acme Corp", True, False)]
