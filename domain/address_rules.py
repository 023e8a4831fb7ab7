"""Which email addresses and domains a client can have: well formed, storable, and (for domains) not public mail.

Plain checks over text, no session, for the CSV import; `/client person <client> jo@acme.com` and `/client domain
<client> acme.com` can share them. (The `people` branch has its own, domain.addresses and domain.public_mail, raising
the same errors: once it lands, these two functions can become theirs.) Each returns the form stored and compared
(lower case; domains in IDNA, `bücher.de` is `xn--bcher-kva.de`) or raises a typed error.
"""

from __future__ import annotations

import re

from domain.client_addresses import normal_address, normal_domain
from domain.errors import AddressProblem, DomainProblem, InvalidAddress, InvalidDomain, PublicMailDomain

EMAIL_MAX = 254  # RFC 5321's path limit, and client_people.email's column
LOCAL_MAX = 64
DOMAIN_MAX = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL = re.compile(r"^[^\s@<>()\[\],;:\"\\]+$")  # dot-atom-ish: what people really write; no quoted local parts

# Mail anyone can sign up for: a domain here cannot say that its people belong to one client. Their subdomains
# (mail.yahoo.co.uk) are refused too. People *with* such an address can still be a client's person, one by one.
_PUBLIC = """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.it live.com
    live.co.uk msn.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.it yahoo.es yahoo.co.jp ymail.com
    rocketmail.com aol.com icloud.com me.com mac.com proton.me protonmail.com pm.me gmx.com gmx.de gmx.net gmx.at
    web.de t-online.de mail.com email.com zoho.com zohomail.com fastmail.com fastmail.fm hey.com tutanota.com
    tuta.io yandex.com yandex.ru mail.ru inbox.ru list.ru bk.ru qq.com 163.com 126.com sina.com naver.com
    daum.net hanmail.net wp.pl o2.pl onet.pl op.pl interia.pl poczta.fm seznam.cz centrum.cz orange.fr wanadoo.fr
    free.fr laposte.net sfr.fr libero.it virgilio.it tiscali.it btinternet.com sky.com comcast.net verizon.net
    att.net sbcglobal.net bellsouth.net cox.net rediffmail.com outlook.de outlook.fr outlook.es live.fr live.de
"""
PUBLIC_MAIL_DOMAINS = frozenset(_PUBLIC.split())


def check_domain(text: str) -> str:
    """A client's email domain as stored (`acme.com`, IDNA for international names); refuses public mail."""
    domain = _domain(text)
    if is_public_mail(domain):
        raise PublicMailDomain(domain)
    return domain


def check_email(text: str) -> str:
    """An email address as stored (trimmed, lower case), when it is one: `jo@acme.com`."""
    address = normal_address(text)
    local, at, domain = address.rpartition("@")
    if any(ch in address for ch in '<>"'):
        raise InvalidAddress(text, AddressProblem.DISPLAY_NAME)
    if not at or not local or len(local) > LOCAL_MAX or not _LOCAL.match(local):
        raise InvalidAddress(text, AddressProblem.SYNTAX)
    if local.startswith(".") or local.endswith(".") or ".." in local or _domain_or_none(domain) is None:
        raise InvalidAddress(text, AddressProblem.SYNTAX)
    if len(address) > EMAIL_MAX:
        raise InvalidAddress(text, AddressProblem.TOO_LONG)
    return address


def is_public_mail(domain: str) -> bool:
    """True for a public mail domain (gmail.com) or one of its subdomains."""
    labels = normal_domain(domain).split(".")
    return any(".".join(labels[i:]) in PUBLIC_MAIL_DOMAINS for i in range(len(labels)))


def _domain(text: str) -> str:
    """A well-formed domain, in IDNA; else InvalidDomain saying what it looks like instead (and what it means)."""
    raw = text.strip().lstrip("@")
    if "@" in raw:
        raise InvalidDomain(text, DomainProblem.ADDRESS, _domain_or_none(raw.rpartition("@")[2]))
    if "://" in raw or "/" in raw:
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw, flags=re.IGNORECASE).split("/")[0]
        raise InvalidDomain(text, DomainProblem.URL, _without_www(_domain_or_none(host)))
    domain = _domain_or_none(raw)
    if domain is None:
        lone = "." not in raw.strip(".")
        raise InvalidDomain(text, DomainProblem.NO_DOT if lone and raw else DomainProblem.SYNTAX)
    if domain.startswith("www."):
        raise InvalidDomain(text, DomainProblem.WEBSITE, _without_www(domain))
    return domain


def _domain_or_none(text: str) -> str | None:
    """A domain with at least two labels and a top level that is not a number, in IDNA; None when it is none."""
    domain = normal_domain(text)
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:  # an empty label, a label over 63 characters, characters IDNA refuses
        return None
    labels = domain.split(".")
    if len(domain) > DOMAIN_MAX or len(labels) < 2 or labels[-1].isdigit():
        return None
    return domain if all(_LABEL.match(label) for label in labels) else None


def _without_www(domain: str | None) -> str | None:
    """The domain of a website's name: www.acme.com is acme.com."""
    if domain is None or not domain.startswith("www.") or "." not in domain[4:]:
        return domain
    return domain[4:]
