"""Workspaces: clients, aliases and names of one workspace are unknown in another."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fakes.slack import FakeSlack
from tests.driver import SlackDriver
from tests.helpers import add, ask, client_named, clients, contacts, log, nothing_changes


def test_a_client_of_one_workspace_is_unknown_in_another(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    log(slack, "acme called")
    with nothing_changes(session):
        assert ask(slack, "show acme", team="T2").startswith(":warning: I don't know a client called *acme*.")
        assert ask(slack, "log acme called again", team="T2").startswith(":warning: I don't know a client called")
        assert ask(slack, "key acme off", team="T2").startswith(":warning: I don't know a client called")
        assert ask(slack, "promise acme call by friday", team="T2").startswith(":warning: I don't know a client")
        assert ask(slack, "export", team="T2") == "There is nothing to export yet."
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
