"""Errors about people, email addresses, domains and channels: who may be a client's, who may own or cover."""

from __future__ import annotations

from domain import errors
from domain.addresses import shown_address, shown_domain
from domain.commands import Subcommand
from render.error_base import error_text, unchanged
from render.error_base import shown as _shown
from render.formats import channel, mention
from render.help import usage
from render.i18n import _


@error_text.register
def _not_a_person(error: errors.NotAPerson) -> str:
    person = mention(error.user_id)
    if error.reason == errors.WhyNot.BOT:
        text = _("{person} is a bot, so they can't own a client or a promise.", person=person)
    elif error.reason == errors.WhyNot.DEACTIVATED:
        text = _("{person} is deactivated, so they can't own a client or a promise.", person=person)
    elif error.reason == errors.WhyNot.EXTERNAL:
        text = _("{person} is not a member of this workspace, so they can't own a client or a promise.", person=person)
    else:
        text = _("{person} is not someone I can find in Slack, so they can't own a client or a promise.", person=person)
    return unchanged(text)


@error_text.register
def _channel_taken(error: errors.ChannelTaken) -> str:
    return unchanged(
        _(
            "{channel} is linked to *{client}* already, and a channel belongs to one client. Unlink it there first "
            "(`/client channel {client} off #channel`).",
            channel=channel(error.channel_id),
            client=error.client,
        )
    )


@error_text.register
def _not_client_side(error: errors.NotClientSide) -> str:
    person = mention(error.user_id)
    if error.reason == errors.WhyNot.MEMBER:
        text = _(
            "{person} is a member of this workspace, so their messages count as the team's: a client's people are "
            "guests of this workspace or Slack Connect members from the client's own Slack.",
            person=person,
        )
    elif error.reason == errors.WhyNot.BOT:
        text = _(
            "{person} is a bot: a client's people are guests of this workspace or Slack Connect members from the "
            "client's own Slack.",
            person=person,
        )
    elif error.reason == errors.WhyNot.DEACTIVATED:
        text = _(
            "{person} is deactivated: a client's people are guests of this workspace or Slack Connect members from "
            "the client's own Slack.",
            person=person,
        )
    else:
        text = _(
            "{person} is not someone I can find in Slack: a client's people are guests of this workspace or Slack "
            "Connect members from the client's own Slack.",
            person=person,
        )
    return unchanged(text)


@error_text.register
def _person_taken(error: errors.PersonTaken) -> str:
    return unchanged(
        _(
            "{person} is one of *{client}*'s people already, and someone is at one client. Remove them there first "
            "(`/client person {client} off @someone`).",
            person=mention(error.user_id),
            client=error.client,
        )
    )


@error_text.register
def _invalid_address(error: errors.InvalidAddress) -> str:
    text = _shown(error.text)
    if error.problem == errors.AddressProblem.DISPLAY_NAME:
        lead = _("Give the address alone, and the name after it: `{text}` is more than an address.", text=text)
    elif error.problem == errors.AddressProblem.TOO_LONG:
        lead = _("`{text}` is longer than an email address can be (254 characters).", text=text)
    else:
        lead = _(
            "`{text}` is not an email address: it needs a name, an `@` and a domain, as in `jo@acme.com`.", text=text
        )
    return f"{unchanged(lead)}\n{usage(Subcommand.PERSON)}"


def _domain_lead(error: errors.InvalidDomain) -> str:
    text = f"`{_shown(error.text)}`"
    if error.problem == errors.DomainProblem.NO_DOT:
        return _("{text} is not a domain: a domain has a dot, as in `acme.com`.", text=text)
    if error.problem == errors.DomainProblem.ADDRESS:
        return _(
            "{text} is an email address: add that person with `/client person <client> {address}`, or give the "
            "domain alone.",
            text=text,
            address=_shown(error.text),
        )
    if error.problem == errors.DomainProblem.URL:
        return _("{text} is a web address: give the domain alone, as in people's email addresses.", text=text)
    if error.problem == errors.DomainProblem.WEBSITE:
        return _("{text} is a website's name: people's addresses are rarely at `www.`.", text=text)
    return _("{text} is not a domain: letters, digits and hyphens between dots, as in `acme.com`.", text=text)


@error_text.register
def _invalid_domain(error: errors.InvalidDomain) -> str:
    sentences = [_domain_lead(error)]
    if error.suggestion:
        sentences.append(_("Did you mean `{domain}`?", domain=shown_domain(error.suggestion)))
    return f"{unchanged(*sentences)}\n{usage(Subcommand.DOMAIN)}"


@error_text.register
def _public_mail_domain(error: errors.PublicMailDomain) -> str:
    return unchanged(
        _(
            "Everyone can have a {domain} address, so it does not tell who is at a client: add the people instead "
            "(`/client person <client> jo@{domain}`).",
            domain=shown_domain(error.domain),
        )
    )


@error_text.register
def _address_taken(error: errors.AddressTaken) -> str:
    return unchanged(
        _(
            "{address} is one of *{client}*'s people already, and someone is at one client. Remove them there first "
            "(`/client person {client} off {address}`).",
            address=shown_address(error.email),
            client=error.client,
        )
    )


@error_text.register
def _domain_taken(error: errors.DomainTaken) -> str:
    return unchanged(
        _(
            "{domain} is *{client}*'s already, and a domain belongs to one client. Remove it there first "
            "(`/client domain {client} off {domain}`), or add the people you mean one by one.",
            domain=shown_domain(error.domain),
            client=error.client,
        )
    )


@error_text.register
def _ambiguous_person(error: errors.AmbiguousPerson) -> str:
    addresses = ", ".join(shown_address(e) for e in error.emails[:5])
    return unchanged(
        _(
            "Several people are called {name} ({addresses}): name the one by address.",
            name=_shown(error.name),
            addresses=addresses,
        )
    )


@error_text.register
def _team_address(error: errors.TeamAddress) -> str:
    person = mention(error.user_id)
    if "@" in error.text:
        return unchanged(
            _(
                "{address} is {person}'s address: a teammate is never one of a client's people.",
                address=shown_address(error.text),
                person=person,
            )
        )
    return unchanged(
        _(
            "{domain} is the team's own: {person}'s address is there. A client's domain is where the client's "
            "people have their addresses.",
            domain=shown_domain(error.text),
            person=person,
        )
    )
