"""The mail bench.mail delivers: a workspace's clients and teammates, and messages as mail programs write them.

Every message carries what the app should make of it (`Outcome`): a contact (a client's email with a teammate,
kept once), a duplicate (the same email again: re-delivered, forwarded later as an attachment, or forwarded
later inline, a twin) or unmatched (no client, or no teammate). Subjects are unique, so no two different
emails share a sender, subject and minute. The same seed writes the same mail.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from enum import StrEnum
from zoneinfo import ZoneInfo

from bench.mail_text import FIRST, LAST, html_of, letter_text, subject_for

OUR_DOMAIN = "ourco.test"
ASCII = str.maketrans("łŁøØ", "lLoO")  # letters NFKD does not take apart
ZONES = ("Europe/Warsaw", "Europe/London", "America/New_York")
COMPANIES = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "wonka", "soylent")
PUBLIC = ("gmail.com", "outlook.com", "proton.me", "yahoo.co.uk")
NEWSLETTERS = ("SaaS Weekly <news@saasweekly.test>", "Calendar <calendar-notification@calendar.test>",
               "Billing <no-reply@billing.vendor.test>")  # fmt: skip


class Outcome(StrEnum):
    CONTACT = "contact"
    DUPLICATE = "duplicate"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Teammate:
    user_id: str
    name: str
    email: str
    tz: str


@dataclass(frozen=True)
class ClientSeed:
    """A client: its whole domain (acme7.com, subdomains included) or its people's addresses, or both."""

    id: int
    name: str
    domain: str | None
    people: tuple[str, ...]


@dataclass(frozen=True)
class Directory:
    teammates: tuple[Teammate, ...]
    deactivated: tuple[Teammate, ...]  # on Slack, deactivated: their address is known, but they are no teammate
    former: tuple[str, ...]  # addresses at our domain that Slack does not know (people who left)
    clients: tuple[ClientSeed, ...]


@dataclass(frozen=True)
class Letter:
    """One message to deliver and what the app should make of it."""

    raw: bytes
    kind: str
    outcome: Outcome
    contacts: int = 0  # contacts it makes: one per client it is with (a contact only)
    subject: str = ""  # the subject the app should read (a contact only; a forward's is its original's)
    matched: bool = False  # a client's email with a teammate (a contact, or one again): marked read (\\Seen)


@dataclass(frozen=True)
class Shares:
    matched: float  # of the new emails: a client's, with a teammate (the rest: no client, or no teammate)
    forwards: float  # of the matched: forwarded to the mailbox (inline or attached) rather than BCC'd or CC'd
    duplicates: float  # of all messages: an email that came before, again
    attachments: float  # of the messages: with a PDF attached (20 to 150 KB)


@dataclass(frozen=True)
class Original:
    """An email kept as a contact, which a teammate may forward again later (a duplicate)."""

    message: EmailMessage
    sender: str  # From, as mail programs show it
    to: str
    subject: str
    body: str
    sent: datetime


def ascii_name(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(ASCII))
    return "".join(c for c in folded.encode("ascii", "ignore").decode().lower() if c.isalnum())


def directory(*, clients: int, teammates: int, rng: random.Random) -> Directory:
    """Teammates (first.last@ourco.test, zones in ZONES); clients with a domain (70 %) or people at public domains."""

    def person(number: int) -> tuple[str, str]:
        return FIRST[number % len(FIRST)], LAST[(number * 5 + number // len(FIRST)) % len(LAST)]

    ours = []
    for n in range(teammates + 3):
        first, last = person(n)
        name = f"{first} {last}"
        address = f"{ascii_name(first)}.{ascii_name(last)}{n}@{OUR_DOMAIN}"
        ours.append(Teammate(f"U{n:07d}", name, address, ZONES[n % len(ZONES)]))
    seeds = []
    for n in range(1, clients + 1):
        company = COMPANIES[n % len(COMPANIES)]
        domain = f"{company}{n}.com" if rng.random() < 0.7 else None
        people = () if domain else tuple(dict.fromkeys(  # each address once
            f"{ascii_name(first)}.{ascii_name(last)}{n}@{rng.choice(PUBLIC)}"
            for first, last in (person(rng.randrange(10_000)) for _ in range(rng.randint(1, 3)))
        ))  # fmt: skip
        seeds.append(ClientSeed(n, f"{company.title()} {n}", domain, people))
    former = tuple(f"former.colleague{n}@{OUR_DOMAIN}" for n in range(5))
    return Directory(tuple(ours[:teammates]), tuple(ours[teammates:]), former, tuple(seeds))


@dataclass
class Writer:
    """Writes `count` messages, sent between `start` and `end`, in the order they arrive."""

    people: Directory
    mailbox: str  # the team mailbox's address (its IMAP login): CC'd on mail, forwarded to
    shares: Shares
    rng: random.Random
    start: datetime
    end: datetime
    sent: list[Letter] = field(default_factory=list)
    originals: list[Original] = field(default_factory=list)
    _ids: int = 0
    _subjects: int = 0

    def letters(self, count: int) -> list[Letter]:
        span = self.end - self.start
        for n in range(count):
            at = self.start + span * ((n + self.rng.random()) / count)
            if self.originals and self.rng.random() < self.shares.duplicates:
                letter = self._duplicate(at)
            elif self.rng.random() < self.shares.matched:
                letter = self._forward(at) if self.rng.random() < self.shares.forwards else self._matched(at)
            else:
                letter = self._unmatched(at)
            self.sent.append(letter)
        return self.sent

    # the people on a message -------------------------------------------------------------------------------
    def teammate(self) -> Teammate:
        return self.rng.choice(self.people.teammates)

    def client(self, *, other_than: int | None = None) -> tuple[ClientSeed, str, str]:
        """A client, and the name and address of someone there (at a subdomain now and then)."""
        seed = self.rng.choice(self.people.clients)
        while seed.id == other_than:
            seed = self.rng.choice(self.people.clients)
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        if seed.domain is None:
            return seed, f"{first} {last}", self.rng.choice(seed.people)
        host = f"eu.{seed.domain}" if self.rng.random() < 0.15 else seed.domain
        return seed, f"{first} {last}", f"{ascii_name(first)}.{ascii_name(last)}@{host}"

    def message_id(self, address: str) -> str:
        self._ids += 1
        return f"<{self._ids:06d}.{self.rng.getrandbits(40):010x}@{address.rpartition('@')[2].rstrip('>')}>"

    # building ----------------------------------------------------------------------------------------------
    def mail(
        self, *, sender: str, to: list[str], subject: str, sent: datetime, cc: tuple[str, ...] = (),
        html: bool = False, html_only: bool = False,
    ) -> tuple[EmailMessage, str]:  # fmt: skip
        """A message as a modern mail program writes it (encoded words for names and subjects that need them)."""
        body = letter_text(self.rng, quoted=self.rng.random() < 0.3)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, ", ".join(to), subject
        if cc:
            message["Cc"] = ", ".join(cc)
        message["Date"] = format_datetime(sent.astimezone(ZoneInfo(self.rng.choice(ZONES))))
        message["Message-ID"] = self.message_id(sender)
        if html_only:
            message.set_content(html_of(body), subtype="html")
        else:
            message.set_content(body)
            if html:
                message.add_alternative(html_of(body), subtype="html")
        if self.rng.random() < self.shares.attachments:
            pdf = b"%PDF-1.4\n" + self.rng.randbytes(self.rng.randint(20_000, 150_000))
            message.add_attachment(pdf, maintype="application", subtype="pdf", filename="invoice.pdf")
        return message, body

    def legacy(self, *, sender: tuple[str, str], to: tuple[str, str], subject: str, sent: datetime) -> Message:
        """A message as an older mail program writes it: a legacy charset, its own encoded words."""
        body = letter_text(self.rng, quoted=False)
        words = subject + body + sender[0] + to[0]
        charset = next(c for c in ("iso-8859-1", "iso-8859-2", "utf-8") if _encodes(words, c))
        message = MIMEText(body, "plain", charset)
        message["From"] = formataddr(sender, charset=charset)
        message["To"], message["Cc"] = formataddr(to, charset=charset), self.mailbox
        message["Subject"] = Header(subject, charset).encode()
        message["Date"] = format_datetime(sent.astimezone(ZoneInfo("Europe/Warsaw")))
        message["Message-ID"] = self.message_id(sender[1])
        return message

    # what the app should count -----------------------------------------------------------------------------
    def _matched(self, at: datetime) -> Letter:
        """A client's email with a teammate: BCC'd by them, CC'd by the client, to two clients, or legacy."""
        us, (seed, name, address) = self.teammate(), self.client()
        subject, pick = self.subject(), self.rng.random()
        them, ours = shown(name, address), shown(us.name, us.email)
        if pick < 0.12:
            legacy = self.legacy(sender=(name, address), to=(us.name, us.email), subject=subject, sent=at)
            kind = "client to teammate (CC), legacy charset"
            return Letter(legacy.as_bytes(), kind, Outcome.CONTACT, 1, subject, True)
        if pick < 0.20:
            _, other, their = self.client(other_than=seed.id)
            mail, body = self.mail(sender=ours, to=[them], cc=(shown(other, their),), subject=subject, sent=at,
                                   html=True)  # fmt: skip
            kind, contacts = "teammate to two clients (BCC)", 2
        elif pick < 0.60:
            html = self.rng.random() < 0.4
            mail, body = self.mail(sender=ours, to=[them], subject=subject, sent=at, html=html)
            kind, contacts = f"teammate to client (BCC){', text and HTML' if html else ''}", 1
        else:
            html_only = self.rng.random() < 0.35
            mail, body = self.mail(sender=them, to=[ours], cc=(self.mailbox,), subject=subject, sent=at, html=True,
                                   html_only=html_only)  # fmt: skip
            kind, contacts = f"client to teammate (CC){', HTML only' if html_only else ''}", 1
        self.originals.append(Original(mail, str(mail["From"]), str(mail["To"]), subject, body, at))
        return Letter(mail.as_bytes(), kind, Outcome.CONTACT, contacts, subject, True)

    def _forward(self, at: datetime) -> Letter:
        """A client's mail to a teammate, forwarded by them to the mailbox: inline (Gmail, Outlook) or attached."""
        us, (_, name, address) = self.teammate(), self.client()
        subject = self.subject()
        wrote = at - timedelta(minutes=self.rng.randint(5, 2 * 24 * 60))
        mail, body = self.mail(sender=shown(name, address), to=[shown(us.name, us.email)], subject=subject,
                               sent=wrote)  # fmt: skip
        original = Original(mail, str(mail["From"]), str(mail["To"]), subject, body, wrote)
        self.originals.append(original)  # forwarded again later: a twin (inline vs with its Message-ID) or the same
        style = self.rng.choice(("gmail", "outlook", "attached"))
        forward = self.forwarded(original, by=us, sent=at, style=style)
        return Letter(forward.as_bytes(), f"forwarded ({style})", Outcome.CONTACT, 1, subject, True)

    def forwarded(self, original: Original, *, by: Teammate, sent: datetime, style: str) -> EmailMessage:
        """`by` forwards `original` to the mailbox, quoted inline (wall clock in their zone) or as an attachment."""
        ours = shown(by.name, by.email)
        if style == "attached":
            message, _ = self.mail(sender=ours, to=[self.mailbox], subject=f"Fw: {original.subject}", sent=sent)
            message.add_attachment(original.message)
            return message
        when = original.sent.astimezone(ZoneInfo(by.tz))
        if style == "gmail":
            block = ("---------- Forwarded message ---------\n"
                     f"From: {original.sender}\nDate: {when:%a, %b %-d, %Y at %-I:%M %p}\n"
                     f"Subject: {original.subject}\nTo: {original.to}\n\n\n")  # fmt: skip
        else:
            block = ("________________________________\n"
                     f"From: {original.sender}\nSent: {when:%A, %B %-d, %Y %-I:%M %p}\n"
                     f"To: {original.to}\nSubject: {original.subject}\n\n")  # fmt: skip
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = ours, self.mailbox, f"Fwd: {original.subject}"
        message["Date"] = format_datetime(sent.astimezone(ZoneInfo(by.tz)))
        message["Message-ID"] = self.message_id(by.email)
        message.set_content(f"FYI, for the record.\n\n{block}{original.body}")
        return message

    def _duplicate(self, at: datetime) -> Letter:
        """An email that came before: delivered again, or forwarded later by a teammate (attached, or inline)."""
        pick = self.rng.random()
        if pick < 0.5:
            again = self.rng.choice(self.sent)
            kind = f"again: {again.kind.removeprefix('again: ')}"
            return Letter(again.raw, kind, Outcome.DUPLICATE, matched=again.matched)
        original, by = self.rng.choice(self.originals), self.teammate()
        style = "attached" if pick < 0.75 else self.rng.choice(("gmail", "outlook"))
        message = self.forwarded(original, by=by, sent=max(at, original.sent + timedelta(minutes=3)), style=style)
        return Letter(message.as_bytes(), f"forwarded again later ({style})", Outcome.DUPLICATE, matched=True)

    def _unmatched(self, at: datetime) -> Letter:
        """No client (newsletters, mail among us) or no teammate (to the mailbox only, to people who left)."""
        subject, pick = self.subject(), self.rng.random()
        client = shown(*self.client()[1:])
        cc: tuple[str, ...] = (self.mailbox,)
        if pick < 0.25:
            kind, sender, to, cc = "newsletter, HTML only (no client)", self.rng.choice(NEWSLETTERS), self.mailbox, ()
        elif pick < 0.45:
            kind, sender, to = "among teammates (no client)", self.ours(), self.ours()
        elif pick < 0.65:
            kind, sender, to, cc = "client to the mailbox only (no teammate)", client, self.mailbox, ()
        elif pick < 0.85:
            kind, sender, to = "client to someone who left (no teammate)", client, self.rng.choice(self.people.former)
        else:
            gone = self.rng.choice(self.people.deactivated)
            kind, sender, to = "client to a deactivated account (no teammate)", client, shown(gone.name, gone.email)
        message, _ = self.mail(sender=sender, to=[to], cc=cc, subject=subject, sent=at, html=True,
                               html_only=kind.startswith("newsletter"))  # fmt: skip
        return Letter(message.as_bytes(), kind, Outcome.UNMATCHED)

    def ours(self) -> str:
        us = self.teammate()
        return shown(us.name, us.email)

    def subject(self) -> str:
        self._subjects += 1
        return subject_for(self.rng, self._subjects)


def shown(name: str, address: str) -> str:
    """A name and address as an address header shows them (quoted when needed; encoded words when sent)."""
    return str(Address(display_name=name, addr_spec=address))


def _encodes(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True
