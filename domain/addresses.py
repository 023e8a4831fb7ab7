"""Email addresses and domains as a client's people and domains are written, checked, stored and compared.

The stored form, which the team mailbox (domain.mail_matching) and calendars compare against: lower case, the
domain in IDNA (punycode: müller.de is xn--mller-kva.de, by Python's own `idna` codec, IDNA 2003), no `@`
before a domain and no dot after it. What people read shows international domains in their own letters.

What Slack sends for a typed address or domain is accepted as typed: `<mailto:jo@acme.com|jo@acme.com>`,
`<http://acme.com|acme.com>`; a pasted website (`https://acme.com/`) and `@acme.com` are read as the domain;
anything more (a path, a port, `www.`, a display name) is refused with what to type instead.
"""

from __future__ import annotations

import re

from domain.errors import AddressProblem, DomainProblem, InvalidAddress, InvalidDomain

ADDRESS_MAX = 254  # RFC 5321's limit on a path, so on any address that can receive mail
LOCAL_MAX = 64
DOMAIN_MAX = 253
SLACK_LINK = re.compile(r"^<([a-z][a-z0-9+.-]*:[^|>]*)(?:\|[^>]*)?>$", re.IGNORECASE)  # <mailto:…|…>, <http://…>
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
LOCAL_ASCII = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$")  # RFC 5322's dot-atom characters (lower case)
WEBSITE = "www."


def normal_domain(domain: str) -> str:
    """A domain as stored and compared, without checking it: no @ before, no dot after, lower case, IDNA."""
    domain = domain.strip().lstrip("@").rstrip(".").lower()
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:  # not a domain anyone can have: compared as typed, it matches nothing
        return domain


def normal_address(address: str) -> str:
    """An email address as stored and compared, without checking it: trimmed, lower case, its domain in IDNA."""
    address = address.strip().strip("<>").lower()
    if address.isascii():
        return address
    local, at, domain = address.rpartition("@")
    return f"{local}@{normal_domain(domain)}" if at else address


def shown_domain(domain: str) -> str:
    """A stored domain as people write it: xn--mller-kva.de is müller.de."""
    if "xn--" not in domain:
        return domain
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain


def shown_address(address: str) -> str:
    """A stored address as people write it, its domain in its own letters."""
    local, at, domain = address.rpartition("@")
    return f"{local}@{shown_domain(domain)}" if at else address


def _unescaped(text: str) -> str:
    """Slack's escapes undone: a pasted `<…>` is `&lt;…&gt;`, an `&` is `&amp;`."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _linked(text: str) -> str:
    """The target of a link Slack made of what was typed (`<mailto:jo@acme.com|jo@acme.com>`), else the text."""
    match = SLACK_LINK.match(text.strip())
    return match.group(1) if match else text.strip()


def _as_typed(text: str) -> str:
    """What was typed, for an error to quote: a link Slack made of it by its label, or its address."""
    match = SLACK_LINK.match(text.strip())
    if match is None:
        return text
    label = text.strip()[len(match.group(1)) + 2 : -1]
    return label or MAILTO.sub("", match.group(1)) or text


def domain_or_none(text: str) -> str | None:
    """A domain name in its stored form, or None when it is not one (labels, a dot, no IP address)."""
    domain = text.removesuffix(".").lower()  # the root's dot, written out (acme.com.)
    if not domain or len(domain) > DOMAIN_MAX:
        return None
    try:
        domain = domain if domain.isascii() else domain.encode("idna").decode("ascii").lower()
        domain.encode("ascii").decode("idna")  # an xn-- label must be real punycode
    except UnicodeError:
        return None
    labels = domain.split(".")
    if len(domain) > DOMAIN_MAX or not all(LABEL.match(label) for label in labels):
        return None
    return domain if len(labels) >= 2 and not labels[-1].isdigit() else None


def parse_address(text: str) -> str:
    """An email address as typed or linked by Slack, in its stored form; InvalidAddress when it is not one."""
    raw = _unescaped(_linked(text))
    raw = MAILTO.sub("", raw)
    if any(ch in raw for ch in '<>"') or any(ch.isspace() for ch in raw):
        raise InvalidAddress(_as_typed(text), AddressProblem.DISPLAY_NAME)
    local, at, domain = raw.rpartition("@")
    found = domain_or_none(domain) if at else None
    if found is None or not _local_part(local):
        raise InvalidAddress(_as_typed(text), AddressProblem.SYNTAX)
    address = f"{local.lower()}@{found}"
    if len(address) > ADDRESS_MAX:
        raise InvalidAddress(_as_typed(text), AddressProblem.TOO_LONG)
    return address


def _local_part(local: str) -> bool:
    """What comes before the @: dot-atom characters (or any letter: international addresses), no stray dots."""
    if not local or len(local) > LOCAL_MAX or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return all(LOCAL_ASCII.match(ch.lower()) if ch.isascii() else ch.isprintable() for ch in local)


def parse_domain(text: str) -> str:
    """An email domain as typed, linked by Slack or pasted as a website, in its stored form; else InvalidDomain."""
    raw = _unescaped(_linked(text))
    scheme = SCHEME.match(raw)
    if scheme is None and (MAILTO.match(raw) or "@" in raw.lstrip("@")):
        address = MAILTO.sub("", raw)
        raise InvalidDomain(_as_typed(text), DomainProblem.ADDRESS, domain_or_none(address.rpartition("@")[2]))
    host, rest = raw, ""
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            raise InvalidDomain(_as_typed(text), DomainProblem.URL)
        host, slash, rest = raw[scheme.end() :].partition("/")
        rest = slash + rest
    host = host.lstrip("@")
    if rest.strip("/") or any(ch in host for ch in ":/?#@"):
        guess = domain_or_none(re.split(r"[:/?#]", host.rpartition("@")[2])[0])
        raise InvalidDomain(_as_typed(text), DomainProblem.URL, _without_www(guess))
    domain = domain_or_none(host)
    if domain is None:
        lone = "." not in host.strip(".") and domain_or_none(host + ".com") is not None  # `acme`
        problem = DomainProblem.NO_DOT if lone else DomainProblem.SYNTAX
        raise InvalidDomain(_as_typed(text), problem)
    if domain.startswith(WEBSITE):
        raise InvalidDomain(_as_typed(text), DomainProblem.WEBSITE, _without_www(domain))
    return domain


def _without_www(domain: str | None) -> str | None:
    """The domain of a website's name: www.acme.com is acme.com (www.com stays what it is)."""
    if domain is None or not domain.startswith(WEBSITE):
        return domain
    rest = domain[len(WEBSITE) :]
    return rest if "." in rest else domain


def parent_domains(domain: str) -> list[str]:
    """The domains a domain is part of, nearest first: eu.mail.acme.com → mail.acme.com, acme.com (not com)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels) - 1)]
