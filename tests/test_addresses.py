"""Client addresses and domains on their own: the stored form (lower case, IDNA) that the team mailbox compares
with, how people read it back, and which domains are public mail."""

from __future__ import annotations

import pytest

from domain.addresses import normal_address, normal_domain, parent_domains, parse_address, parse_domain, shown_domain
from domain.mail_matching import ClientBook
from domain.public_mail import is_public


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jo@ACME.com", "jo@acme.com"),
        ("<mailto:jo@acme.com|jo@acme.com>", "jo@acme.com"),
        ("MAILTO:jo@acme.com", "jo@acme.com"),
        ("jo@Bücher.DE", "jo@xn--bcher-kva.de"),
        ("jo@straße.de", "jo@strasse.de"),  # IDNA 2003, as Python's codec (and the calendar's matching) reads it
        ("jo@acme.com.", "jo@acme.com"),
    ],
)
def test_an_address_is_stored_lower_case_with_its_domain_in_idna(typed: str, stored: str) -> None:
    assert parse_address(typed) == stored


def test_stored_addresses_are_compared_in_the_same_form() -> None:
    assert normal_address(" Jo@Bücher.DE ") == "jo@xn--bcher-kva.de"
    assert normal_address("<Jo@ACME.com>") == "jo@acme.com"
    assert normal_address("jo@xn--bcher-kva.de") == "jo@xn--bcher-kva.de"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("ACME.com", "acme.com", "acme.com"),
        ("Bücher.de", "xn--bcher-kva.de", "bücher.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de", "bücher.de"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah", "例え.テスト"),
    ],
)
def test_a_domain_is_stored_in_idna_and_shown_in_its_own_letters(typed: str, stored: str, shown: str) -> None:
    assert parse_domain(typed) == stored
    assert normal_domain(typed) == stored
    assert shown_domain(stored) == shown


def test_the_mailbox_matches_an_address_however_the_mail_writes_it() -> None:
    book = ClientBook(people={"pat@xn--bcher-kva.de": 2}, domains={"xn--mller-kva.de": 1, "eu.xn--mller-kva.de": 3})
    assert book.client_of("jo@müller.de") == 1
    assert book.client_of("jo@xn--mller-kva.de") == 1
    assert book.client_of("jo@mail.müller.de") == 1
    assert book.client_of("jo@eu.müller.de") == 3
    assert book.client_of("Pat@Bücher.de") == 2
    assert book.client_of("jo@bücher.de") is None


def test_parent_domains_nearest_first_never_a_top_level_domain() -> None:
    assert parent_domains("eu.mail.acme.co") == ["mail.acme.co", "acme.co"]
    assert parent_domains("acme.com") == []


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "googlemail.com", "outlook.com", "outlook.de", "hotmail.com", "hotmail.co.uk", "hotmail.com.br",
     "live.com", "live.nl", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.com.ar", "mail.yahoo.com", "ymail.com",
     "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "gmx.at",
     "web.de", "mail.ru", "yandex.ru", "yandex.com", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "poczta.onet.pl"],
)  # fmt: skip
def test_public_mail_domains(domain: str) -> None:
    assert is_public(domain)


@pytest.mark.parametrize(
    "domain",
    ["acme.com", "hotmail.acme.com", "yahoo-inc.com", "gmxtools.de", "mymail.ru", "live.acme.io", "gmail.acme.com",
     "wp.com", "o2.co.uk", "onet.com", "web.com", "me.org"],
)  # fmt: skip
def test_company_domains_are_not_public(domain: str) -> None:
    assert not is_public(domain)
