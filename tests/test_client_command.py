"""`/client` end to end: signed slash commands to the real app; replies from the fake Slack, rows from the database.

Every test checks both what the user sees and what is stored; every rejected command is shown to change nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import Canned, FakeSlack
from storage.base import Base
from storage.models import Client, ClientAlias, Contact, Promise
from tests.conftest import NOW
from tests.driver import SlackDriver

TABLES = ("clients", "contacts", "promises", "client_aliases")
NOTHING_CHANGED = "Nothing was changed."


# helpers -----------------------------------------------------------------------------------------------------


def visible(reply: dict[str, Any]) -> str:
    """What a person reads in a reply: the text of every block (or the fallback text when there are none)."""
    texts: list[str] = []
    for block in reply.get("blocks") or []:
        if block["type"] in ("section", "header"):
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(element["text"] for element in block["elements"])
    return "\n".join(texts) if texts else reply["text"]


def ask(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client <text>` (as UALICE in T1 unless told); returns the one ephemeral reply it got, as seen."""
    before = len(slack.fake.responses())
    assert slack.command(text, **kwargs).status == 200
    replies = slack.fake.responses()[before:]
    assert len(replies) == 1, f"expected one reply to /client {text!r}, got {replies}"
    [reply] = replies
    assert reply["response_type"] == "ephemeral"
    assert reply["replace_original"] is False
    return visible(reply)


def add(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client add <text>`, which must succeed."""
    reply = ask(slack, f"add {text}", **kwargs)
    assert reply.startswith("Added "), reply
    return reply


def log(slack: SlackDriver, text: str, **kwargs: Any) -> str:
    """`/client log <text>`, which must succeed."""
    reply = ask(slack, f"log {text}", **kwargs)
    assert reply.startswith("Logged a contact with "), reply
    return reply


def promise(slack: SlackDriver, session: Session, text: str, **kwargs: Any) -> int:
    """`/client promise <text>`, which must succeed; the new promise's number."""
    reply = ask(slack, f"promise {text}", **kwargs)
    assert reply.startswith("Promise #"), reply
    return promises(session)[-1].id


def fresh(session: Session) -> Session:
    """The session with a new snapshot (SQLite keeps showing a read transaction what it first saw)."""
    session.rollback()
    return session


def snapshot(session: Session) -> dict[str, list[Row[Any]]]:
    """Every row of the tables a command may write, by primary key."""
    fresh(session)
    found = {}
    for name in TABLES:
        table = Base.metadata.tables[name]
        found[name] = list(session.execute(select(table).order_by(*table.primary_key.columns)).all())
    return found


@contextmanager
def nothing_changes(session: Session) -> Iterator[None]:
    """The block writes nothing: the same number of rows, with the same values, in every table."""
    before = snapshot(session)
    yield
    after = snapshot(session)
    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    assert after == before


def client_named(session: Session, name: str, team: str = "T1") -> Client:
    return fresh(session).scalars(select(Client).where(Client.team_id == team, Client.name == name)).one()


def clients(session: Session) -> list[Client]:
    return list(fresh(session).scalars(select(Client).order_by(Client.id)))


def contacts(session: Session) -> list[Contact]:
    return list(fresh(session).scalars(select(Contact).order_by(Contact.id)))


def promises(session: Session) -> list[Promise]:
    return list(fresh(session).scalars(select(Promise).order_by(Promise.id)))


def aliases(session: Session) -> list[ClientAlias]:
    return list(fresh(session).scalars(select(ClientAlias).order_by(ClientAlias.id)))


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    """A moment in 2026, UTC."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def acme(slack: SlackDriver) -> None:
    """One client, "Acme Corp", owned by UALICE, no cadence."""
    add(slack, '"Acme Corp"')


# help and unknown input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "help", "HELP"])
def test_empty_text_and_help_show_every_subcommand(slack: SlackDriver, session: Session, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith("*rapport* keeps your client relationships healthy.")
    for usage in ("/client add <name>", "/client log <client> <note>", "/client list [mine|key|quiet]"):
        assert usage in reply
    for sub in ("show", "key", "cadence", "owner", "promise", "done", "export", "alias", "unalias"):
        assert f"`/client {sub} " in reply


@pytest.mark.parametrize(
    "sub", ["add", "log", "list", "show", "key", "cadence", "owner", "promise", "done", "export", "alias", "unalias"]
)
def test_help_on_every_subcommand(slack: SlackDriver, sub: str) -> None:
    reply = ask(slack, f"help {sub}")
    assert reply.startswith(f"Usage: `/client {sub}")
    assert f"\nExample: `/client {sub} " in reply


def test_help_on_one_subcommand(slack: SlackDriver) -> None:
    reply = ask(slack, "help promise")
    assert reply == (
        "Usage: `/client promise <client> <what> by <date>`\n"
        "Example: `/client promise acme send the revised quote by friday`"
    )


def test_unknown_subcommand(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, "frobnicate Acme")
    assert reply.startswith(":warning: I don't know `/client frobnicate`. Type `/client help` to see what I can do.")
    assert "*rapport* keeps your client relationships healthy." in reply


def test_unclosed_quote_around_a_name(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, 'add "Acme Corp key')
    assert reply == ":warning: A quote is not closed. Type `/client help` to see what I can do."


# add ---------------------------------------------------------------------------------------------------------


def test_add_an_unquoted_multiword_name(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, "add Acme Corp")
    assert reply == (
        "Added *Acme Corp*, owned by <@UALICE>, no cadence. Log a contact with `/client log Acme Corp <note>`."
    )
    [client] = clients(session)
    assert (client.team_id, client.name, client.name_key) == ("T1", "Acme Corp", "acme corp")
    assert (client.is_key, client.cadence_days) == (False, None)
    assert (client.owner_id, client.created_by) == ("UALICE", "UALICE")
    assert client.created_at == client.updated_at == NOW


@pytest.mark.parametrize(
    "text",
    ['"Acme Corp"', "\u201cAcme Corp\u201d", "\u201eAcme Corp\u201c", '"  Acme   Corp "', "Acme\n Corp"],
)
def test_add_a_quoted_name(slack: SlackDriver, session: Session, text: str) -> None:
    assert add(slack, text).startswith("Added *Acme Corp*,")
    assert [c.name for c in clients(session)] == ["Acme Corp"]


def test_add_a_key_client_gets_a_14_day_cadence(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, 'add "Acme Corp" key')
    assert reply.startswith("Added *Acme Corp* as a key client, owned by <@UALICE>, every 2 weeks.")
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (True, 14)


def test_add_with_a_cadence(slack: SlackDriver, session: Session) -> None:
    assert add(slack, "Acme every 3w").startswith("Added *Acme*, owned by <@UALICE>, every 3 weeks.")
    assert add(slack, "Globex every 10 days").startswith("Added *Globex*, owned by <@UALICE>, every 10 days.")
    assert add(slack, "Initech key every 1w").startswith(
        "Added *Initech* as a key client, owned by <@UALICE>, every week."
    )
    assert [(c.name, c.is_key, c.cadence_days) for c in clients(session)] == [
        ("Acme", False, 21),
        ("Globex", False, 10),
        ("Initech", True, 7),
    ]


def test_add_with_an_owner(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, "add Acme Corp key every 3w owner <@UBOB|bob>")
    assert reply.startswith("Added *Acme Corp* as a key client, owned by <@UBOB>, every 3 weeks.")
    client = client_named(session, "Acme Corp")
    assert (client.owner_id, client.created_by, client.cadence_days) == ("UBOB", "UALICE", 21)


@pytest.mark.parametrize("text", ["Acme Corp", "acme corp", '"ACME  CORP"', "Acme Corp key every 2w"])
def test_add_a_name_that_exists_in_any_case(slack: SlackDriver, session: Session, acme: None, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, f"add {text}")
    assert reply == f":warning: There is already a client called *Acme Corp*. {NOTHING_CHANGED}"


def test_add_a_name_that_is_another_clients_alias(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "alias acme ACME Inc")
    with nothing_changes(session):
        reply = ask(slack, "add acme inc")
    assert reply == f":warning: *acme inc* is already another name of *Acme Corp*. {NOTHING_CHANGED}"


def test_add_a_name_that_only_starts_like_another(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, "Acme")
    assert [c.name for c in clients(session)] == ["Acme Corp", "Acme"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add", "Which client?\nUsage: `/client add <name> [key] [every <N>d|<N>w] [owner @someone]`"),
        ('add "Acme" Corp', "Put the whole client name in quotes, or none of it."),
        ("add Acme every 0d", "*0d* is not a cadence I understand"),
        ("add Acme every 999w", "*999w* is not a cadence I understand"),
        ('add ""', "The client name is empty."),
        ("add " + "x" * 81, "The client name is too long: 81 characters, 80 at most."),
    ],
)
def test_add_rejects(slack: SlackDriver, session: Session, text: str, expected: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {expected}")


def test_add_accepts_a_name_of_80_characters(slack: SlackDriver, session: Session) -> None:
    add(slack, "x" * 80)
    assert [len(c.name) for c in clients(session)] == [80]


def test_add_a_name_whose_compared_form_is_longer_than_the_name(slack: SlackDriver, session: Session) -> None:
    # Case-folding turns every "ß" into "ss": an 80-character name has a longer key, which must still fit.
    name = "Großhandel Straßenbau Süßwaren Fußball Grüße " + "ß" * 35
    assert len(name) == 80
    add(slack, f'"{name}"')
    assert [c.name_key for c in clients(session)] == [name.casefold()]
    assert "Großhandel" in ask(slack, "show GROSSHANDEL")
    with nothing_changes(session):
        reply = ask(slack, f'add "{name}x"')
    assert reply.startswith(":warning: The client name is too long: 81 characters, 80 at most.")


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        ("UROBOT", "is a bot"),
        ("UGONE", "is deactivated"),
        ("UNOBODY", "is not someone I can find in Slack"),
        ("UOTHER", "is not a member of this workspace"),
    ],
)
def test_add_with_an_owner_who_cannot_own(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, owner: str, why: str
) -> None:
    fake_slack.add_user("UROBOT", is_bot=True)
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UOTHER", team="T2")
    with nothing_changes(session):
        reply = ask(slack, f"add Acme owner <@{owner}|someone>")
    assert reply == f":warning: <@{owner}> {why}, so they can't own a client or a promise. {NOTHING_CHANGED}"


# log ---------------------------------------------------------------------------------------------------------


def test_log_stores_who_when_where_and_what(slack: SlackDriver, session: Session, acme: None) -> None:
    response = slack.command("log acme called about the invoice", channel="CSALES", trigger_id="t-42")
    assert response.status == 200
    reply = slack.fake.last_response()
    assert reply["response_type"] == "ephemeral"
    assert visible(reply) == "Logged a contact with *Acme Corp*, Sun 22 Nov 10:00: \u201ccalled about the invoice\u201d"
    [contact] = contacts(session)
    assert contact.client_id == client_named(session, "Acme Corp").id
    assert (contact.team_id, contact.user_id, contact.channel_id) == ("T1", "UALICE", "CSALES")
    assert (contact.note, contact.source, contact.idempotency_key) == (
        "called about the invoice",
        "command",
        "cmd:t-42",
    )
    assert contact.occurred_at == contact.created_at == NOW
    assert (contact.message_ts, contact.permalink) == (None, None)


def test_log_picks_the_longest_known_name(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, "Acme")
    assert log(slack, "acme corp called them").startswith("Logged a contact with *Acme Corp*,")
    assert log(slack, "ACME called too").startswith("Logged a contact with *Acme*,")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "Acme Corp").id, "called them"),
        (client_named(session, "Acme").id, "called too"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"Acme Corp" called them',
        "\u201cAcme Corp\u201d called them",
        '"acme corp" called them',
        '"acme" called them',
        "Acme Corp called them",
        "acme called them",
        "ac called them",
    ],
)
def test_log_finds_the_client_quoted_or_by_a_prefix(
    slack: SlackDriver, session: Session, acme: None, text: str
) -> None:
    add(slack, "Globex")
    log(slack, text)
    [contact] = contacts(session)
    assert (contact.client_id, contact.note) == (client_named(session, "Acme Corp").id, "called them")


def test_log_by_alias(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "alias acme Roadrunner Supplies")
    assert log(slack, "roadrunner supplies sent the catalogue").startswith("Logged a contact with *Acme Corp*,")
    [contact] = contacts(session)
    assert (contact.client_id, contact.note) == (client_named(session, "Acme Corp").id, "sent the catalogue")


def test_log_keeps_the_note_as_typed(slack: SlackDriver, session: Session, acme: None) -> None:
    log(slack, 'acme he said "maybe next week\nand then: "we\'ll see"')
    log(slack, 'acme they want a 27" screen')
    assert [c.note for c in contacts(session)] == [
        'he said "maybe next week\nand then: "we\'ll see"',
        'they want a 27" screen',
    ]


def test_log_with_an_ambiguous_prefix_suggests_and_writes_nothing(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    add(slack, "Acme Labs")
    with nothing_changes(session):
        reply = ask(slack, "log acme called about the invoice")
    assert reply.startswith(":warning: *acme* could be *Acme Corp* or *Acme Labs*. Did you mean one of them?")
    assert reply.endswith(NOTHING_CHANGED)


def test_log_with_a_typo_suggests_and_writes_nothing(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, "Globex")
    with nothing_changes(session):
        reply = ask(slack, "log acmee called about the invoice")
    assert reply.startswith(":warning: I don't know a client called *acmee*. Did you mean *Acme Corp*")
    assert "Globex" not in reply
    assert reply.endswith(NOTHING_CHANGED)


def test_log_finds_names_in_any_case_beyond_ascii(slack: SlackDriver, session: Session) -> None:
    add(slack, "Straße Bau")
    add(slack, "Ärzte Verbund")
    log(slack, "STRASSE BAU called")
    log(slack, "straße called again")
    log(slack, "ÄRZTE verbund wrote")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "Straße Bau").id, "called"),
        (client_named(session, "Straße Bau").id, "called again"),
        (client_named(session, "Ärzte Verbund").id, "wrote"),
    ]


def test_like_wildcards_in_names_are_plain_characters(slack: SlackDriver, session: Session) -> None:
    add(slack, "100% Juice")
    add(slack, "1000 Juices")
    add(slack, "A_B Partners")
    add(slack, "AxB Partners")
    log(slack, "100% fresh order")
    log(slack, "a_b renewal")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "100% Juice").id, "fresh order"),
        (client_named(session, "A_B Partners").id, "renewal"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "show acme",
        "key acme on",
        "cadence acme 2w",
        "owner acme <@UBOB>",
        "promise acme send the quote by friday",
        "export acme",
        "alias acme Roadrunner",
        "unalias acme Roadrunner",
    ],
)
def test_an_ambiguous_prefix_changes_nothing_anywhere(
    slack: SlackDriver, session: Session, acme: None, text: str
) -> None:
    add(slack, "Acme Labs")
    log(slack, '"Acme Corp" called')
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning: *acme* could be *Acme Corp* or *Acme Labs*. Did you mean one of them?")
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.fake.calls_to("upload") == []


def test_log_when_there_are_no_clients(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme called")
    assert reply == (
        ":warning: I don't know a client called *acme*. Add it with `/client add <name>`, "
        f"or see them all with `/client list`. {NOTHING_CHANGED}"
    )


@pytest.mark.parametrize("text", ["log acme", "log Acme Corp", 'log "Acme Corp"', 'log "Acme Corp"    '])
def test_log_without_a_note(slack: SlackDriver, session: Session, acme: None, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning: What was said? Add a note after the client's name.\nUsage: `/client log")


def test_log_with_a_note_too_long(slack: SlackDriver, session: Session, acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme " + "x" * 10_000)
    assert reply == f":warning: The note is too long: 10000 characters, 3000 at most. {NOTHING_CHANGED}"


def test_log_a_note_of_the_longest_length(slack: SlackDriver, session: Session, acme: None) -> None:
    log(slack, "acme " + "x" * 3000)
    assert [len(c.note) for c in contacts(session)] == [3000]


def test_a_retried_log_with_the_same_trigger_id_logs_once(slack: SlackDriver, session: Session, acme: None) -> None:
    first = ask(slack, "log acme called about the invoice", trigger_id="same")
    second = ask(slack, "log acme called about the invoice", trigger_id="same")
    assert first.startswith("Logged a contact with *Acme Corp*")
    assert second == f"That contact with *Acme Corp* was already logged (Sun 22 Nov 10:00). {NOTHING_CHANGED}"
    assert len(contacts(session)) == 1
    log(slack, "acme called about the invoice", trigger_id="another")
    assert len(contacts(session)) == 2


def test_log_shows_the_time_in_the_readers_zone(slack: SlackDriver, fake_slack: FakeSlack, acme: None) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # 09:00 UTC on Sunday is 22:00 in Auckland (NZDT, UTC+13).
    assert log(slack, "acme hello", user="UKIWI").startswith("Logged a contact with *Acme Corp*, Sun 22 Nov 22:00:")


# list --------------------------------------------------------------------------------------------------------


@pytest.fixture
def portfolio(slack: SlackDriver, clock: FixedClock) -> None:
    """Acme Corp (key, 14 days), Globex (Bob's, every 3 weeks), Hooli (weekly), Initech (no cadence)."""
    add(slack, '"Acme Corp" key')
    add(slack, "Globex every 3w owner <@UBOB>")
    add(slack, "Hooli every 1w")
    add(slack, "Initech")
    log(slack, "globex kick-off call")
    clock.set(at(25))
    log(slack, "hooli sent the contract")


def test_list_all(slack: SlackDriver, session: Session, portfolio: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "list")
    assert reply == "\n".join(
        [
            "All clients (4)",
            ":star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 3 days ago)",
            "*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (3 days ago)",
            "*Hooli*: <@UALICE>, every week, last contact Wed 25 Nov (0 days ago)",
            "*Initech*: <@UALICE>, no cadence, no contact yet (added 3 days ago)",
        ]
    )


def test_list_mine(slack: SlackDriver, portfolio: None) -> None:
    mine = ask(slack, "list mine")
    assert mine.startswith("Your clients (3)\n")
    assert "*Acme Corp*" in mine and "*Hooli*" in mine and "*Initech*" in mine
    assert "Globex" not in mine
    bobs = ask(slack, "list MINE", user="UBOB")
    assert bobs == "Your clients (1)\n*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (3 days ago)"
    carols = ask(slack, "list mine", user="UCAROL")
    assert carols.startswith("You don't own any clients yet.")


def test_list_key(slack: SlackDriver, portfolio: None) -> None:
    reply = ask(slack, "list key")
    assert reply == "Key clients (1)\n:star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 3 days ago)"


def test_list_quiet_shows_clients_past_their_cadence_quietest_first(
    slack: SlackDriver, clock: FixedClock, portfolio: None
) -> None:
    assert ask(slack, "list quiet").startswith("Nobody has gone quiet")
    clock.set(at(8, month=12))
    reply = ask(slack, "list quiet")
    assert reply == "\n".join(
        [
            "Clients gone quiet (past their cadence) (2)",
            ":star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 16 days ago) :hourglass: *overdue*",
            "*Hooli*: <@UALICE>, every week, last contact Wed 25 Nov (13 days ago) :hourglass: *overdue*",
        ]
    )
    # A contact brings a client back in time.
    log(slack, "acme quarterly review")
    assert "Acme Corp" not in ask(slack, "list quiet")


def test_list_marks_overdue_clients_in_every_view(slack: SlackDriver, clock: FixedClock, portfolio: None) -> None:
    clock.set(at(8, month=12))
    reply = ask(slack, "list")
    assert "*Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 16 days ago) :hourglass: *overdue*" in reply
    assert "*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (16 days ago)\n" in reply
    assert "*Initech*: <@UALICE>, no cadence, no contact yet (added 16 days ago)" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", "No clients yet. Add one with `/client add <name>`."),
        ("list mine", "You don't own any clients yet. `/client owner <client> @you` hands one to you."),
        ("list key", "No key clients yet. Flag one with `/client key <client> on`."),
        ("list quiet", "Nobody has gone quiet: every client with a cadence heard from us in time. :tada:"),
    ],
)
def test_list_when_there_are_no_clients(slack: SlackDriver, text: str, expected: str) -> None:
    assert ask(slack, text) == expected


@pytest.mark.parametrize(("text", "bad"), [("list everything", "everything"), ("list mine key", "mine key")])
def test_list_with_a_bad_filter(slack: SlackDriver, session: Session, portfolio: None, text: str, bad: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply == f":warning: `{bad}` is not a list I know.\nUsage: `/client list [mine|key|quiet]`\n" + (
        "Example: `/client list quiet`"
    )


# show --------------------------------------------------------------------------------------------------------


def test_show_tells_the_whole_story(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    add(slack, '"Acme Corp" key every 3w owner <@UBOB>')
    ask(slack, "alias acme Roadrunner")
    log(slack, "acme kick-off call")
    clock.set(at(23))
    log(slack, "acme sent the proposal", user="UCAROL", channel="CACME")
    quote = promise(slack, session, "acme send the revised quote by friday")
    with nothing_changes(session):
        reply = ask(slack, "show ACME")
    assert reply == "\n".join(
        [
            "Acme Corp",
            "*Owner:* <@UBOB>",
            "*Key client:* yes",
            "*Cadence:* every 3 weeks",
            "*Contacts:* 2",
            "*Also known as:* Roadrunner",
            "*Open promises*",
            f"\u2022 #{quote} \u201csend the revised quote\u201d by Fri 27 Nov, <@UBOB>",
            "*Last contacts* (2 of 2)",
            "\u2022 Mon 23 Nov 10:00, <@UCAROL> in <#CACME>: \u201csent the proposal\u201d",
            "\u2022 Sun 22 Nov 10:00, <@UALICE> in <#CGENERAL>: \u201ckick-off call\u201d",
            "Added Sun 22 Nov by <@UALICE>",
        ]
    )


def test_show_a_client_with_no_history(slack: SlackDriver, acme: None) -> None:
    reply = ask(slack, 'show "Acme Corp"')
    assert "*Owner:* <@UALICE>\n*Key client:* no\n*Cadence:* no cadence\n*Contacts:* 0" in reply
    assert "No contacts yet. `/client log Acme Corp <note>` records one." in reply
    assert "promises" not in reply.lower()


def test_show_slipped_and_kept_promises(slack: SlackDriver, session: Session, clock: FixedClock, acme: None) -> None:
    quote = promise(slack, session, "acme send the revised quote by friday")
    deck = promise(slack, session, "acme share the deck by tomorrow")
    visit = promise(slack, session, "acme plan the visit by 2026-12-10")
    ask(slack, f"done {deck}")
    clock.set(at(30))
    reply = ask(slack, "show acme")
    assert (
        ":rotating_light: *Slipped promises*\n"
        f"\u2022 #{quote} \u201csend the revised quote\u201d by Fri 27 Nov, <@UALICE>: 3 days late"
    ) in reply
    assert f"*Open promises*\n\u2022 #{visit} \u201cplan the visit\u201d by Thu 10 Dec, <@UALICE>" in reply
    assert (
        f"*Kept promises*\n\u2022 #{deck} \u201cshare the deck\u201d by Mon 23 Nov, <@UALICE>: "
        "kept Sun 22 Nov by <@UALICE>"
    ) in reply
    # A slipped promise is neither open nor kept.
    assert reply.count(f"#{quote} ") == 1


def test_show_counts_one_day_late(slack: SlackDriver, session: Session, clock: FixedClock, acme: None) -> None:
    number = promise(slack, session, "acme call back by tomorrow")
    clock.set(at(24))
    assert f"#{number} \u201ccall back\u201d by Mon 23 Nov, <@UALICE>: 1 day late" in ask(slack, "show acme")


def test_show_lists_the_last_ten_contacts_newest_first(slack: SlackDriver, clock: FixedClock, acme: None) -> None:
    for day in range(1, 13):
        clock.set(at(day, month=12))
        log(slack, f"acme call number {day}")
    reply = ask(slack, "show acme")
    assert "*Contacts:* 12" in reply
    assert (
        "*Last contacts* (10 of 12)\n\u2022 Sat 12 Dec 10:00, <@UALICE> in <#CGENERAL>: \u201ccall number 12\u201d"
        in reply
    )
    assert "call number 3\u201d" in reply
    assert "call number 2\u201d" not in reply


def test_show_an_unknown_client(slack: SlackDriver, session: Session, acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "show Acne Crop")
    assert reply.startswith(":warning: I don't know a client called *Acne Crop*. Did you mean *Acme Corp*?")


# key and cadence ---------------------------------------------------------------------------------------------


def test_key_on_gives_a_client_the_default_cadence(
    slack: SlackDriver, session: Session, clock: FixedClock, acme: None
) -> None:
    clock.set(at(23))
    assert ask(slack, "key acme on") == ":star: *Acme Corp* is now a key client (every 2 weeks)."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days, client.updated_at) == (True, 14, at(23))


def test_key_on_keeps_a_cadence_already_set(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp every 3w")
    assert ask(slack, "key Acme Corp ON") == ":star: *Acme Corp* is now a key client (every 3 weeks)."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (True, 21)


def test_key_off(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    assert ask(slack, 'key "Acme Corp" off') == "*Acme Corp* is no longer a key client."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (False, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key acme", "That does not look right.\nUsage: `/client key <client> on|off`"),
        ("key acme yes", "That does not look right.\nUsage: `/client key <client> on|off`"),
        ("key globex on", "I don't know a client called *globex*."),
    ],
)
def test_key_rejects(slack: SlackDriver, session: Session, acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")


@pytest.mark.parametrize(
    ("text", "days", "said"),
    [
        ("cadence acme 3w", 21, "every 3 weeks"),
        ("cadence acme 10d", 10, "every 10 days"),
        ("cadence Acme Corp 1 week", 7, "every week"),
        ('cadence "Acme Corp" 1d', 1, "every day"),
    ],
)
def test_cadence(slack: SlackDriver, session: Session, acme: None, text: str, days: int, said: str) -> None:
    assert ask(slack, text) == f"We now mean to talk to *Acme Corp* {said}."
    assert client_named(session, "Acme Corp").cadence_days == days


def test_cadence_off(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp every 3w")
    reply = ask(slack, "cadence acme off")
    assert reply == "*Acme Corp* has no cadence now: rapport won't say when it goes quiet."
    assert client_named(session, "Acme Corp").cadence_days is None


@pytest.mark.parametrize("bad", ["0d", "999w", "abc", "366d", "53w"])
def test_cadence_invalid(slack: SlackDriver, session: Session, bad: str) -> None:
    add(slack, "Acme Corp every 3w")
    with nothing_changes(session):
        reply = ask(slack, f"cadence acme {bad}")
    assert reply == (
        f":warning: *{bad}* is not a cadence I understand: use days or weeks, from `1d` to `365d` "
        f"(for example `14d` or `2w`). {NOTHING_CHANGED}"
    )


def test_cadence_off_on_a_key_client_is_refused(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    with nothing_changes(session):
        reply = ask(slack, "cadence acme off")
    assert reply == (
        ":warning: *Acme Corp* is a key client, and key clients always have a cadence. Turn the flag off first "
        f"(`/client key Acme Corp off`). {NOTHING_CHANGED}"
    )
    assert client_named(session, "Acme Corp").cadence_days == 14


def test_cadence_without_a_cadence(slack: SlackDriver, session: Session, acme: None) -> None:
    with nothing_changes(session):
        assert ask(slack, "cadence acme").startswith(
            ":warning: That does not look right.\nUsage: `/client cadence <client> <N>d|<N>w|off`"
        )


# owner -------------------------------------------------------------------------------------------------------


def test_owner_hands_a_client_over_and_tells_the_new_owner(
    slack: SlackDriver, session: Session, clock: FixedClock
) -> None:
    add(slack, '"Acme Corp" key')
    clock.set(at(23))
    reply = ask(slack, "owner acme <@UBOB|bob>")
    assert reply == "*Acme Corp* now belongs to <@UBOB> (was <@UALICE>)."
    client = client_named(session, "Acme Corp")
    assert (client.owner_id, client.created_by, client.updated_at) == ("UBOB", "UALICE", at(23))
    [dm] = slack.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "UBOB"
    assert dm.params["text"] == (
        "<@UALICE> handed *Acme Corp* over to you (every 2 weeks). `/client show Acme Corp` has its story so far."
    )
    assert "*Acme Corp*" in ask(slack, "list mine", user="UBOB")


def test_owner_hand_over_stands_when_the_dm_cannot_be_delivered(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "cannot_dm_bot"}))
    reply = ask(slack, "owner acme <@UBOB>")
    # The hand-over was committed and confirmed; a failed note must not claim that nothing changed.
    assert reply == "*Acme Corp* now belongs to <@UBOB> (was <@UALICE>)."
    assert client_named(session, "Acme Corp").owner_id == "UBOB"
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_owner_to_the_current_owner_changes_nothing(slack: SlackDriver, session: Session, acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "owner acme <@UALICE>")
    assert reply == f"<@UALICE> already owns *Acme Corp*. {NOTHING_CHANGED}"
    assert slack.fake.calls_to("chat.postMessage") == []


def test_taking_a_client_over_yourself_sends_no_dm(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp owner <@UBOB>")
    assert ask(slack, "owner acme <@UALICE>") == "*Acme Corp* now belongs to <@UALICE> (was <@UBOB>)."
    assert client_named(session, "Acme Corp").owner_id == "UALICE"
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        ("UROBOT", "is a bot"),
        ("USLACKBOT", "is a bot"),
        ("UGONE", "is deactivated"),
        ("UNOBODY", "is not someone I can find in Slack"),
        ("UOTHER", "is not a member of this workspace"),
    ],
)
def test_owner_must_be_an_active_person_of_the_workspace(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, acme: None, owner: str, why: str
) -> None:
    fake_slack.add_user("UROBOT", is_bot=True)
    fake_slack.add_user("USLACKBOT")
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UOTHER", team="T2")
    with nothing_changes(session):
        reply = ask(slack, f"owner acme <@{owner}|someone>")
    assert reply == f":warning: <@{owner}> {why}, so they can't own a client or a promise. {NOTHING_CHANGED}"
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner acme bob", "That does not look right.\nUsage: `/client owner <client> @someone`"),
        ("owner <@UBOB>", "That does not look right.\nUsage: `/client owner <client> @someone`"),
        ("owner globex <@UBOB>", "I don't know a client called *globex*."),
    ],
)
def test_owner_rejects(slack: SlackDriver, session: Session, acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")
    assert slack.fake.calls_to("chat.postMessage") == []


# promise -----------------------------------------------------------------------------------------------------


def test_promise_with_an_iso_date(slack: SlackDriver, session: Session, acme: None) -> None:
    reply = ask(slack, "promise acme send the revised quote by 2026-12-01")
    [stored] = promises(session)
    assert reply == (
        f"Promise #{stored.id} to *Acme Corp*: \u201csend the revised quote\u201d by Tue 1 Dec, owned by <@UALICE>. "
        f"Mark it kept with `/client done {stored.id}`."
    )
    assert stored.client_id == client_named(session, "Acme Corp").id
    assert (stored.team_id, stored.what, stored.due_on) == ("T1", "send the revised quote", date(2026, 12, 1))
    assert (stored.owner_id, stored.created_by, stored.created_at) == ("UALICE", "UALICE", NOW)
    assert (stored.done_at, stored.done_by) == (None, None)


def test_the_clients_owner_owns_the_promise(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" owner <@UBOB>')
    number = promise(slack, session, '"Acme Corp" call them back by next week', user="UCAROL")
    [stored] = promises(session)
    assert (stored.id, stored.what, stored.due_on) == (number, "call them back", date(2026, 11, 23))
    assert (stored.owner_id, stored.created_by) == ("UBOB", "UCAROL")


def test_promise_what_may_contain_by(slack: SlackDriver, session: Session, acme: None) -> None:
    promise(slack, session, "acme drop by the office by friday")
    [stored] = promises(session)
    assert (stored.what, stored.due_on) == ("drop by the office", date(2026, 11, 27))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("tomorrow", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),
        ("next week", date(2026, 11, 23)),
        ("in 3 days", date(2026, 11, 25)),
        ("20 Dec", date(2026, 12, 20)),
        ("today", date(2026, 11, 22)),
    ],
)
def test_promise_with_natural_dates(slack: SlackDriver, session: Session, acme: None, due: str, expected: date) -> None:
    promise(slack, session, f"acme send the quote by {due}")
    assert [p.due_on for p in promises(session)] == [expected]


def test_tomorrow_is_in_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, acme: None
) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # Sunday 12:00 UTC: Sunday 13:00 in Warsaw, already Monday 01:00 in Auckland.
    clock.set(at(22, hour=12))
    promise(slack, session, "acme call back by tomorrow")
    assert "\u201ccall back\u201d by Tue 24 Nov," in ask(slack, "promise acme call back by tomorrow", user="UKIWI")
    [ours, kiwi] = promises(session)
    assert (ours.due_on, kiwi.due_on) == (date(2026, 11, 23), date(2026, 11, 24))
    # Each reader sees the dates, and what is late, from where they are.
    assert f"\u2022 #{kiwi.id} \u201ccall back\u201d by Tue 24 Nov, <@UALICE>" in ask(slack, "show acme", user="UKIWI")


def test_friday_is_in_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, acme: None
) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # Thursday 12:00 UTC is already Friday 01:00 in Auckland: "friday" there means the next one.
    clock.set(at(26, hour=12))
    promise(slack, session, "acme send the quote by friday")
    reply = ask(slack, "promise acme send the quote by friday", user="UKIWI")
    assert "by Fri 4 Dec" in reply
    assert [p.due_on for p in promises(session)] == [date(2026, 11, 27), date(2026, 12, 4)]


def test_a_date_is_past_or_not_depending_on_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, acme: None
) -> None:
    fake_slack.add_user("ULA", tz="America/Los_Angeles")
    # Sunday 05:00 UTC: Sunday 06:00 in Warsaw, still Saturday 21:00 in Los Angeles.
    clock.set(at(22, hour=5))
    with nothing_changes(session):
        reply = ask(slack, "promise acme send the quote by 2026-11-21")
    assert reply == f":warning: Sat 21 Nov has already passed: a promise needs a date from today on. {NOTHING_CHANGED}"
    promise(slack, session, "acme send the quote by 2026-11-21", user="ULA")
    promise(slack, session, "acme call back by tomorrow", user="ULA")
    assert [p.due_on for p in promises(session)] == [date(2026, 11, 21), date(2026, 11, 22)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("promise acme send the quote by 2026-11-20", "Fri 20 Nov has already passed"),
        ("promise acme send the quote by yesterday", "Sat 21 Nov has already passed"),
        ("promise acme send the quote by 20 Nov", "Fri 20 Nov has already passed"),
        ("promise acme send the quote by someday", "I can't read *someday* as a date."),
        ("promise acme send the quote by 2026-02-30", "I can't read *2026-02-30* as a date."),
        (
            "promise acme send the quote",
            "That does not look right.\nUsage: `/client promise <client> <what> by <date>`",
        ),
        ("promise acme send the quote by", "That does not look right.\nUsage: `/client promise"),
        ("promise acme by friday", "What did we promise? Add it between the client's name and `by`."),
        ("promise globex send the quote by friday", "I don't know a client called *globex*."),
        ("promise acme " + "x" * 301 + " by friday", "The promise is too long: 301 characters, 300 at most."),
    ],
)
def test_promise_rejects(slack: SlackDriver, session: Session, acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {expected}")


def test_a_retried_promise_is_recorded_once(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "promise acme send the quote by friday", trigger_id="same")
    [stored] = promises(session)
    with nothing_changes(session):
        again = ask(slack, "promise acme send the quote by friday", trigger_id="same")
    assert again == f"That promise was already recorded as #{stored.id}. {NOTHING_CHANGED}"


# done --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["{n}", "#{n}"])
def test_done(slack: SlackDriver, session: Session, clock: FixedClock, acme: None, ref: str) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    clock.set(at(23))
    reply = ask(slack, "done " + ref.format(n=number), user="UBOB")
    assert reply == (
        f":white_check_mark: Promise #{number} to *Acme Corp* kept (due Fri 27 Nov): \u201csend the quote\u201d"
    )
    [stored] = promises(session)
    assert (stored.done_at, stored.done_by) == (at(23), "UBOB")


def test_done_late_says_how_late(slack: SlackDriver, session: Session, clock: FixedClock, acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    clock.set(at(30))
    reply = ask(slack, f"done {number}")
    assert reply == (
        f":white_check_mark: Promise #{number} to *Acme Corp* kept, 3 days after the promised Fri 27 Nov: "
        "\u201csend the quote\u201d"
    )


def test_done_twice(slack: SlackDriver, session: Session, clock: FixedClock, acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    ask(slack, f"done {number}")
    clock.set(at(24))
    with nothing_changes(session):
        reply = ask(slack, f"done #{number}", user="UBOB")
    assert reply == f":warning: Promise #{number} was already marked done by <@UALICE>. {NOTHING_CHANGED}"
    [stored] = promises(session)
    assert (stored.done_at, stored.done_by) == (NOW, "UALICE")


def test_done_with_an_unknown_number(slack: SlackDriver, session: Session, acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number + 1000}")
    assert reply == (
        f":warning: There is no promise #{number + 1000} in this workspace. `/client show <client>` lists promises "
        f"with their numbers. {NOTHING_CHANGED}"
    )


@pytest.mark.parametrize("number", [0, 2**31, 999_999_999_999])
def test_done_with_numbers_no_promise_can_have(slack: SlackDriver, session: Session, acme: None, number: int) -> None:
    promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number}")
    assert reply.startswith(f":warning: There is no promise #{number} in this workspace.")


def test_done_with_another_workspaces_promise(slack: SlackDriver, session: Session, acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number}", team="T2")
    assert reply.startswith(f":warning: There is no promise #{number} in this workspace.")
    assert promises(session)[0].done_at is None


@pytest.mark.parametrize(
    ("text", "lead"), [("done", "That does not look right."), ("done x", "`x` is not a promise number.")]
)
def test_done_usage(slack: SlackDriver, session: Session, text: str, lead: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {lead}\nUsage: `/client done <promise number>`")


# export ------------------------------------------------------------------------------------------------------


def uploaded_csv(fake: FakeSlack) -> list[list[str]]:
    """The one CSV file the app uploaded, as rows."""
    [upload] = fake.calls_to("upload")
    return list(csv.reader(io.StringIO(upload.raw.decode("utf-8"), newline="")))


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
    assert reply == "I sent you 3 contacts as a CSV file in a direct message."
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == "UALICE"
    assert uploaded_csv(slack.fake) == [
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
    assert upload_url.params["filename"] == "rapport-contacts-all-2026-11-24.csv"
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "DUALICE"
    assert complete.params["initial_comment"] == "Here are 3 contacts as CSV."


def test_export_one_client(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    exported_history(slack, clock)
    reply = ask(slack, "export acme")
    assert reply == "I sent you 2 contacts with *Acme Corp* as a CSV file in a direct message."
    rows = uploaded_csv(slack.fake)
    assert [row[1] for row in rows] == ["client", "Acme Corp", "Acme Corp"]
    [upload_url] = slack.fake.calls_to("files.getUploadURLExternal")
    assert upload_url.params["filename"] == "rapport-contacts-acme-corp-2026-11-24.csv"
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete.params["initial_comment"] == "Here are 2 contacts with *Acme Corp* as CSV."


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


def test_export_with_nothing_to_export(slack: SlackDriver, session: Session, acme: None) -> None:
    assert ask(slack, "export") == "There are no contacts to export yet."
    assert ask(slack, "export acme") == "There are no contacts with *Acme Corp* to export yet."
    for method in ("conversations.open", "files.getUploadURLExternal", "upload", "files.completeUploadExternal"):
        assert slack.fake.calls_to(method) == []


def test_export_an_unknown_client(slack: SlackDriver, session: Session, acme: None) -> None:
    log(slack, "acme called")
    with nothing_changes(session):
        reply = ask(slack, "export globex")
    assert reply.startswith(":warning: I don't know a client called *globex*.")
    assert slack.fake.calls_to("upload") == []


# alias and unalias -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "alias acme Roadrunner Supplies",
        'alias "Acme Corp" Roadrunner Supplies',
        'alias acme "Roadrunner Supplies"',
        "alias Acme Corp \u201cRoadrunner Supplies\u201d",
    ],
)
def test_alias(slack: SlackDriver, session: Session, acme: None, text: str) -> None:
    assert ask(slack, text) == "*Acme Corp* can now also be found as *Roadrunner Supplies*."
    [alias] = aliases(session)
    assert (alias.team_id, alias.alias, alias.alias_key) == ("T1", "Roadrunner Supplies", "roadrunner supplies")
    assert alias.client_id == client_named(session, "Acme Corp").id
    assert "*Also known as:* Roadrunner Supplies" in ask(slack, "show roadrunner")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alias acme Globex", "There is already a client called *Globex*."),
        ("alias acme GLOBEX", "There is already a client called *Globex*."),
        ("alias acme Acme Corp", "There is already a client called *Acme Corp*."),
        ("alias acme initrode", "*initrode* is already another name of *Globex*."),
        ('alias acme "Initrode"', "*Initrode* is already another name of *Globex*."),
        ("alias acme", "Which other name? Add it after the client's name."),
        ('alias acme ""', "Which other name? Add it after the client's name."),
        ("alias acme " + "x" * 81, "The alias is too long: 81 characters, 80 at most."),
        ("alias initech Initrode", "I don't know a client called *initech*."),
    ],
)
def test_alias_rejects(slack: SlackDriver, session: Session, acme: None, text: str, expected: str) -> None:
    add(slack, "Globex")
    ask(slack, "alias globex Initrode")
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")


def test_unalias(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "alias acme Roadrunner")
    assert ask(slack, "unalias acme ROADRUNNER") == "*Acme Corp* is no longer found as *ROADRUNNER*."
    assert aliases(session) == []
    with nothing_changes(session):
        assert ask(slack, "unalias acme Roadrunner") == (
            f"*Acme Corp* has no other name *Roadrunner*. {NOTHING_CHANGED}"
        )
        assert ask(slack, "log roadrunner hello").startswith(":warning: I don't know a client called *roadrunner*.")


def test_unalias_a_quoted_alias(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "alias acme Roadrunner Supplies")
    assert ask(slack, 'unalias "Acme Corp" "Roadrunner Supplies"') == (
        "*Acme Corp* is no longer found as *Roadrunner Supplies*."
    )
    assert aliases(session) == []


# workspaces --------------------------------------------------------------------------------------------------


def test_a_client_of_one_workspace_is_unknown_in_another(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    log(slack, "acme called")
    with nothing_changes(session):
        assert ask(slack, "show acme", team="T2").startswith(":warning: I don't know a client called *acme*.")
        assert ask(slack, "log acme called again", team="T2").startswith(":warning: I don't know a client called")
        assert ask(slack, "key acme off", team="T2").startswith(":warning: I don't know a client called")
        assert ask(slack, "promise acme call by friday", team="T2").startswith(":warning: I don't know a client")
        assert ask(slack, "export", team="T2") == "There are no contacts to export yet."
        assert ask(slack, "list", team="T2") == "No clients yet. Add one with `/client add <name>`."


def test_aliases_belong_to_one_workspace(slack: SlackDriver, session: Session, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UT2", team="T2")
    add(slack, '"Acme Corp"')
    ask(slack, "alias acme Roadrunner")
    with nothing_changes(session):
        assert ask(slack, "log roadrunner hi", team="T2", user="UT2").startswith(":warning: I don't know a client")
    add(slack, "Roadrunner", team="T2", user="UT2")
    assert [(c.team_id, c.name) for c in clients(session)] == [("T1", "Acme Corp"), ("T2", "Roadrunner")]
    log(slack, "roadrunner hi", team="T2", user="UT2")
    assert [c.client_id for c in contacts(session)] == [client_named(session, "Roadrunner", team="T2").id]


def test_each_workspace_has_its_own_names(slack: SlackDriver, session: Session, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UT2", team="T2")
    add(slack, '"Acme Corp" key')
    add(slack, '"Acme Corp"', team="T2", user="UT2")
    log(slack, "acme called from T2", team="T2", user="UT2")
    ours, theirs = client_named(session, "Acme Corp"), client_named(session, "Acme Corp", team="T2")
    assert (ours.is_key, theirs.is_key) == (True, False)
    assert [(c.team_id, c.client_id) for c in contacts(session)] == [("T2", theirs.id)]
    assert "*Contacts:* 0" in ask(slack, "show acme")
