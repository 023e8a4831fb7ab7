"""Replies to `/client person` and `/client domain`, and what `/client show` says of a client's people and domains
(with its warning about a key client that hangs on one person)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.addresses import shown_address, shown_domain
from domain.client_addresses import DomainAdded, Outcome, PersonAdded, PersonRemoved
from domain.talking_to import LOOK_BACK, Reach, Someone
from render.blocks import Message, simple
from render.formats import clip, escape, mention
from render.i18n import N_, _, n_
from storage.models import ClientDomain, ClientPerson

NOTHING_CHANGED = N_("Nothing was changed.")
SHOWN = 20  # people or domains named in /client show's facts
FACT_MAX = 600  # characters of one such fact: the facts stay one section whatever a client has
ITEM_MAX = 120


def _unchanged(text: str) -> str:
    """A sentence, then "Nothing was changed."."""
    return f"{text} {_(NOTHING_CHANGED)}"


def person_added(client_name: str, user_id: str, created: bool) -> Message:
    """`person <client> @someone`."""
    if not created:
        return simple(_unchanged(_already(mention(user_id), client_name)))
    return simple(
        _(
            "{who} is now one of *{client}*'s people: their messages in its channels wait for our answer.",
            who=mention(user_id),
            client=client_name,
        )
    )


def person_removed(client_name: str, user_id: str, removed: bool) -> Message:
    """`person <client> off @someone`."""
    if not removed:
        return simple(_unchanged(_not_one(mention(user_id), client_name)))
    return simple(_no_longer(mention(user_id), client_name))


def _already(who: str, client_name: str) -> str:
    return _("{who} is already one of *{client}*'s people.", who=who, client=client_name)


def _not_one(who: str, client_name: str) -> str:
    return _("{who} is not one of *{client}*'s people.", who=who, client=client_name)


def _no_longer(who: str, client_name: str) -> str:
    return _("{who} is no longer one of *{client}*'s people.", who=who, client=client_name)


def email_person_added(client_name: str, added: PersonAdded) -> Message:
    """`person <client> jo@acme.com [name]`."""
    who = _known_as(added.email, added.name)
    if added.outcome is Outcome.RENAMED:
        return simple(
            _("{address} at *{client}* is now called {name}.", address=_address(added.email), client=client_name,
              name=added.name)
        )  # fmt: skip
    if added.outcome is Outcome.ALREADY:
        return simple(_unchanged(_already(who, client_name)))
    text = _(
        "{who} is now one of *{client}*'s people: mail with them counts as a contact with *{client}*.",
        who=who,
        client=client_name,
    )
    if added.other is not None:
        text += " " + _(
            "Their address is at {domain}, which is *{other}*'s, but their own entry wins.",
            domain=shown_domain(added.other.domain),
            other=added.other.client,
        )
    return simple(text)


def email_person_removed(client_name: str, gone: PersonRemoved) -> Message:
    """`person <client> off jo@acme.com|name`."""
    if gone.email is None:  # by a name nobody has
        text = _unchanged(_("*{client}* has no one called {name}.", client=client_name, name=gone.name))
        return simple(text + " " + _("Name them by their address or `@mention` (`/client show` lists them)."))
    who = _known_as(gone.email, gone.name)
    if gone.removed:
        text = _no_longer(who, client_name)
        if gone.still_by:
            shown = shown_domain(gone.still_by)
            text += " " + _(
                "Mail with them still counts for *{client}*: anyone at {domain} belongs to it "
                "(`/client domain {client} off {domain}` stops that).",
                client=client_name,
                domain=shown,
            )
        return simple(text)
    text = _unchanged(_not_one(who, client_name))
    if gone.still_by:
        shown = shown_domain(gone.still_by)
        text += " " + _(
            "Mail with them counts for *{client}* all the same: anyone at {domain} belongs to it "
            "(`/client domain {client} off {domain}` stops that).",
            client=client_name,
            domain=shown,
        )
    return simple(text)


def domains_added(client_name: str, added: Sequence[DomainAdded]) -> Message:
    """`domain <client> acme.com [more.com …]`: what each domain did."""
    new = [a for a in added if a.outcome is Outcome.ADDED]
    lines = []
    if new:
        names = ", ".join(shown_domain(a.domain) for a in new)
        lines.append(
            _(
                "Anyone with an address at {domains} (or at a subdomain) now belongs to *{client}*: mail with them "
                "counts as a contact.",
                domains=names,
                client=client_name,
            )
        )
    for a in added:
        domain, within = shown_domain(a.domain), a.within
        if a.outcome is Outcome.ADDED and within is not None:
            lines.append(
                _(
                    "{domain} was part of *{other}*'s {within}: addresses there now count for *{client}*.",
                    domain=domain,
                    other=within.client,
                    within=shown_domain(within.domain),
                    client=client_name,
                )
            )
        elif a.outcome is Outcome.ALREADY:
            lines.append(_("{domain} is *{client}*'s already.", domain=domain, client=client_name))
        elif a.outcome is Outcome.COVERED and within is not None:
            lines.append(
                _("{domain} is covered already: it is part of {within}.", domain=domain,
                  within=shown_domain(within.domain))
            )  # fmt: skip
    if not new:
        lines.append(_(NOTHING_CHANGED))
    return simple("\n".join(lines))


def domains_removed(client_name: str, asked: Sequence[str], removed: Sequence[str]) -> Message:
    """`domain <client> off acme.com [more.com …]`."""
    lines = []
    if removed:
        names = ", ".join(shown_domain(d) for d in removed)
        lines.append(
            n_(
                "{domains} is no longer *{client}*'s: people there belong to it only when listed with "
                "`/client person`.",
                "{domains} are no longer *{client}*'s: people there belong to it only when listed with "
                "`/client person`.",
                len(removed),
                domains=names,
                client=client_name,
            )
        )
    lines += [
        _("{domain} is not one of *{client}*'s domains.", domain=shown_domain(d), client=client_name)
        for d in asked
        if d not in removed
    ]
    if not removed:
        lines.append(_(NOTHING_CHANGED))
    return simple(" ".join(lines))


def people_facts(
    client_name: str, people: Sequence[ClientPerson], domains: Sequence[ClientDomain], reach: Reach | None
) -> list[str]:
    """`/client show`'s lines on the client's people and domains, and a warning when a key client has one person."""
    facts = []
    if people:
        facts.append(
            _("*People:* {people}", people=_some([_someone(Someone(p.user_id, p.email, p.name)) for p in people]))
        )
    if domains:
        facts.append(_("*Domains:* {domains}", domains=_some([shown_domain(d.domain) for d in domains])))
    if reach is not None and len(reach.people) == 1:
        facts.append(_one_person(client_name, reach))
    return facts


def _one_person(client_name: str, reach: Reach) -> str:
    who = _someone(reach.people[0])
    if reach.from_history:
        return n_(
            ":warning: {who} is the only person at *{client}* we talked with in the last {count} day: if they leave, "
            "we could lose the client. Get to know someone else there, and add them with `/client person {client} …`.",
            ":warning: {who} is the only person at *{client}* we talked with in the last {count} days: if they leave, "
            "we could lose the client. Get to know someone else there, and add them with `/client person {client} …`.",
            LOOK_BACK.days,
            who=who,
            client=client_name,
        )
    return _(
        ":warning: {who} is the only person we know at *{client}*: if they leave, we could lose the client. "
        "Get to know someone else there, and add them with `/client person {client} …`.",
        who=who,
        client=client_name,
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
    if not more:
        return ", ".join(shown)
    return n_("{items} and {count} more", "{items} and {count} more", more, items=", ".join(shown))
