"""`/client person` and `/client domain`: the people on a client's side (Slack users or email addresses), and
the email domains whose people all belong to it. A Slack user is looked up before the transaction."""

from __future__ import annotations

from domain.client_addresses import (
    add_domains_or_raise,
    add_email_person,
    remove_domains,
    remove_email_person,
    remove_person_named_or_raise,
)
from domain.client_people import add_person_or_raise, remove_person
from domain.names import find_client_or_raise
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import AddDomains, AddPerson, RemoveDomains, RemovePerson
from render import client_people as replies
from render.blocks import Message


def add_person(cmd: AddPerson, call: Invocation) -> Message:
    """`person <client> @someone` (a guest or Slack Connect member) or `person <client> jo@acme.com [name]`."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    if cmd.user_id is not None:
        created = add_person_or_raise(call.session, client=client, user_id=cmd.user_id, by=call.user_id,
                                      now=call.now, lookup=call.lookup)  # fmt: skip
        return replies.person_added(client.name, cmd.user_id, created)
    assert cmd.email is not None  # the grammar gives one of the two
    call.reader()  # the acting teammate's profile, kept: their own address is never a client's
    added = add_email_person(call.session, client=client, email=cmd.email, name=cmd.name, by=call.user_id,
                             now=call.now)  # fmt: skip
    return replies.email_person_added(client.name, added)


def drop_person(cmd: RemovePerson, call: Invocation) -> Message:
    """`person <client> off @someone|jo@acme.com|name`."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    if cmd.user_id is not None:
        removed = remove_person(call.session, client=client, user_id=cmd.user_id)
        return replies.person_removed(client.name, cmd.user_id, removed)
    if cmd.email is not None:
        gone = remove_email_person(call.session, client=client, email=cmd.email)
    else:
        gone = remove_person_named_or_raise(call.session, client=client, name=cmd.name or "")
    return replies.email_person_removed(client.name, gone)


def add_domains(cmd: AddDomains, call: Invocation) -> Message:
    """`domain <client> acme.com [more.com …]`: all of them, or (a public or another client's one) none."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    call.reader()  # the acting teammate's profile, kept: the domain of their address is the team's own
    added = add_domains_or_raise(call.session, client=client, domains=list(cmd.domains), by=call.user_id,
                                 now=call.now)  # fmt: skip
    return replies.domains_added(client.name, added)


def drop_domains(cmd: RemoveDomains, call: Invocation) -> Message:
    """`domain <client> off acme.com [more.com …]`."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    removed = remove_domains(call.session, client=client, domains=list(cmd.domains))
    return replies.domains_removed(client.name, list(cmd.domains), removed)
