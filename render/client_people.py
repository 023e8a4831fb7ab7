"""Replies to `/client person` and `/client domain`, and what `/client show` says of a client's people and domains
(with its warning about a key client that hangs on one person)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.addresses import shown_address, shown_domain
from domain.client_addresses import DomainAdded, Outcome, PersonAdded, PersonRemoved
from domain.talking_to import LOOK_BACK, Reach, Someone
from render.blocks import Message, simple
from render.formats import clip, escape, mention
from storage.models import ClientDomain, ClientPerson

NOTHING_CHANGED = "Nothing was changed."
SHOWN = 20  # people or domains named in /client show's facts
FACT_MAX = 600  # characters of one such fact: the facts stay one section whatever a client has
ITEM_MAX = 120


def person_added(client_name: str, user_id: str, created: bool) -> Message:
    """`person <client> @someone`."""
    if not created:
        return simple(f"{mention(user_id)} is already one of *{client_name}*'s people. {NOTHING_CHANGED}")
    return simple(
        f"{mention(user_id)} is now one of *{client_name}*'s people: their messages in its channels wait for our "
        "answer."
    )


def person_removed(client_name: str, user_id: str, removed: bool) -> Message:
    """`person <client> off @someone`."""
    if not removed:
        return simple(f"{mention(user_id)} is not one of *{client_name}*'s people. {NOTHING_CHANGED}")
    return simple(f"{mention(user_id)} is no longer one of *{client_name}*'s people.")


def email_person_added(client_name: str, added: PersonAdded) -> Message:
    """`person <client> jo@acme.com [name]`."""
    who = _known_as(added.email, added.name)
    if added.outcome is Outcome.RENAMED:
        return simple(f"{_address(added.email)} at *{client_name}* is now called {added.name}.")
    if added.outcome is Outcome.ALREADY:
        return simple(f"{who} is already one of *{client_name}*'s people. {NOTHING_CHANGED}")
    text = f"{who} is now one of *{client_name}*'s people: mail with them counts as a contact with *{client_name}*."
    if added.other is not None:
        text += (
            f" Their address is at {shown_domain(added.other.domain)}, which is *{added.other.client}*'s, but their "
            "own entry wins."
        )
    return simple(text)


def email_person_removed(client_name: str, gone: PersonRemoved) -> Message:
    """`person <client> off jo@acme.com|name`."""
    if gone.email is None:  # by a name nobody has
        return simple(
            f"*{client_name}* has no one called {gone.name}. {NOTHING_CHANGED} Name them by their address or "
            "`@mention` (`/client show` lists them)."
        )
    who = _known_as(gone.email, gone.name)
    if gone.removed:
        text = f"{who} is no longer one of *{client_name}*'s people."
        if gone.still_by:
            text += f" Mail with them still counts for *{client_name}*: {_through(client_name, gone.still_by)}"
        return simple(text)
    text = f"{who} is not one of *{client_name}*'s people. {NOTHING_CHANGED}"
    if gone.still_by:
        text += f" Mail with them counts for *{client_name}* all the same: {_through(client_name, gone.still_by)}"
    return simple(text)


def _through(client_name: str, domain: str) -> str:
    shown = shown_domain(domain)
    return f"anyone at {shown} belongs to it (`/client domain {client_name} off {shown}` stops that)."


def domains_added(client_name: str, added: Sequence[DomainAdded]) -> Message:
    """`domain <client> acme.com [more.com …]`: what each domain did."""
    new = [a for a in added if a.outcome is Outcome.ADDED]
    lines = []
    if new:
        names = ", ".join(shown_domain(a.domain) for a in new)
        lines.append(
            f"Anyone with an address at {names} (or at a subdomain) now belongs to *{client_name}*: mail with them "
            "counts as a contact."
        )
    for a in added:
        domain, within = shown_domain(a.domain), a.within
        if a.outcome is Outcome.ADDED and within is not None:
            lines.append(f"{domain} was part of *{within.client}*'s {shown_domain(within.domain)}: addresses there "
                         f"now count for *{client_name}*.")  # fmt: skip
        elif a.outcome is Outcome.ALREADY:
            lines.append(f"{domain} is *{client_name}*'s already.")
        elif a.outcome is Outcome.COVERED and within is not None:
            lines.append(f"{domain} is covered already: it is part of {shown_domain(within.domain)}.")
    if not new:
        lines.append(NOTHING_CHANGED)
    return simple("\n".join(lines))


def domains_removed(client_name: str, asked: Sequence[str], removed: Sequence[str]) -> Message:
    """`domain <client> off acme.com [more.com …]`."""
    lines = []
    if removed:
        names = ", ".join(shown_domain(d) for d in removed)
        lines.append(
            f"{names} {'is' if len(removed) == 1 else 'are'} no longer *{client_name}*'s: people there belong to it "
            "only when listed with `/client person`."
        )
    lines += [f"{shown_domain(d)} is not one of *{client_name}*'s domains." for d in asked if d not in removed]
    if not removed:
        lines.append(NOTHING_CHANGED)
    return simple(" ".join(lines))


def people_facts(
    client_name: str, people: Sequence[ClientPerson], domains: Sequence[ClientDomain], reach: Reach | None
) -> list[str]:
    """`/client show`'s lines on the client's people and domains, and a warning when a key client has one person."""
    facts = []
    if people:
        facts.append("*People:* " + _some([_someone(Someone(p.user_id, p.email, p.name)) for p in people]))
    if domains:
        facts.append("*Domains:* " + _some([shown_domain(d.domain) for d in domains]))
    if reach is not None and len(reach.people) == 1:
        facts.append(_one_person(client_name, reach))
    return facts


def _one_person(client_name: str, reach: Reach) -> str:
    who = _someone(reach.people[0])
    if reach.from_history:
        known = f"is the only person at *{client_name}* we talked with in the last {LOOK_BACK.days} days"
    else:
        known = f"is the only person we know at *{client_name}*"
    return (
        f":warning: {who} {known}: if they leave, we could lose the client. Get to know someone else there, and "
        f"add them with `/client person {client_name} …`."
    )


def _someone(someone: Someone) -> str:
    if someone.user_id:
        return mention(someone.user_id)
    return _known_as(someone.email or "", someone.name)


def _known_as(email: str, name: str | None) -> str:
    """`Jo Smith (jo@acme.com)`, or the address alone."""
    return f"{clip(name, ITEM_MAX // 2)} ({_address(email)})" if name else _address(email)


def _address(email: str) -> str:
    return escape(clip(shown_address(email), ITEM_MAX))


def _some(items: list[str]) -> str:
    """The first SHOWN items that fit in FACT_MAX characters, and how many more."""
    shown: list[str] = []
    length = 0
    for item in items[:SHOWN]:
        if shown and length + len(item) + 2 > FACT_MAX:
            break
        shown.append(item)
        length += len(item) + 2
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")
