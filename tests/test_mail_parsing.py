"""Reading a mail into plain values: headers decoded, text kept, forwards found in the forms mail programs write,
and nothing raised by a malformed mail (domain.mail_parsing, mail_forwards, mail_text: pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.mail_parsing import read_mail
from domain.mail_text import TEXT_KEPT


def raw(headers: str, body: str = "Hello.", *, content_type: str = "text/plain; charset=utf-8") -> bytes:
    head = headers.strip().replace("\n", "\r\n")
    return f"{head}\r\nMIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n{body}".encode()


def test_headers_are_decoded_and_addresses_lower_case() -> None:
    received = read_mail(raw(
        "From: =?utf-8?q?Jos=C3=A9_M=C3=BCller?= <Jose@ACME.com>\n"
        "To: Alice <alice@ourco.test>, \"Smith, Bob\" <BOB@ourco.test>\n"
        "Cc: finance@acme.com\nSubject: =?utf-8?b?Q2Fmw6kgbWVldGluZw==?=\tnext\x07 week\n"
        "Date: Sat, 21 Nov 2026 16:00:00 +0100\nMessage-ID: <abc.123@acme.com>"
    ))  # fmt: skip
    mail = received.mail
    assert (mail.sender, mail.to, mail.cc) == ("jose@acme.com", ("alice@ourco.test", "bob@ourco.test"),
                                               ("finance@acme.com",))  # fmt: skip
    assert mail.from_header == "José Müller <Jose@ACME.com>"
    assert mail.subject == "Café meeting next week"
    assert (mail.message_id, mail.sent_at) == ("abc.123@acme.com", datetime(2026, 11, 21, 15, 0, tzinfo=UTC))
    assert (mail.text, received.forwarded) == ("Hello.", None)


def test_missing_and_broken_headers_read_as_nothing() -> None:
    mail = read_mail(raw("From: not an address\nDate: yesterday-ish\nMessage-ID: bare-id@host")).mail
    assert (mail.sender, mail.to, mail.sent_at, mail.subject) == (None, (), None, "")
    assert mail.message_id == "bare-id@host"
    assert read_mail(b"").mail.message_id is None


def test_html_only_mail_is_kept_as_text() -> None:
    html = ("<html><head><style>p { color: red }</style></head><body><p>Hi&nbsp;Alice,</p><div>the <b>site</b> is"
            " down.</div><script>alert(1)</script><br>Jo</body></html>")  # fmt: skip
    mail = read_mail(raw("From: jo@acme.com", html, content_type="text/html; charset=utf-8")).mail
    assert mail.text == "Hi Alice,\n\nthe site is down.\n\nJo"


def test_text_is_kept_to_its_first_2000_characters_and_other_charsets_read() -> None:
    assert len(read_mail(raw("From: jo@acme.com", "x" * 5000)).mail.text) == TEXT_KEPT
    latin = b"From: jo@acme.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n" + "Grüße".encode("latin-1")
    assert read_mail(latin).mail.text == "Grüße"
    unknown = raw("From: jo@acme.com", "plain words", content_type="text/plain; charset=x-no-such-charset")
    assert read_mail(unknown).mail.text == "plain words"


def test_a_reply_quoting_a_mail_is_no_forward() -> None:
    body = "Thanks!\n\nOn Sat, Nov 21, 2026 at 4:00 PM Jo <jo@acme.com> wrote:\n> Hello\n"
    assert read_mail(raw("From: alice@ourco.test", body)).forwarded is None


def test_apple_mail_and_thunderbird_forwards_with_their_zones() -> None:
    apple = ("FYI\n\nBegin forwarded message:\n\nFrom: Jo Smith <jo@acme.com>\nSubject: Invoice 42\n"
             "Date: 21 November 2026 at 16:00:00 CET\nTo: Alice <alice@ourco.test>\n\nPlease pay.\n")  # fmt: skip
    thunderbird = ("\n-------- Forwarded Message --------\nSubject: \tInvoice 42\n"
                   "Date: \tSat, 21 Nov 2026 16:00:00 +0100\nFrom: \tJo Smith <jo@acme.com>\nTo: \talice@ourco.test\n\n"
                   "Please pay.\n")  # fmt: skip
    for body in (apple, thunderbird):
        forwarded = read_mail(raw("From: bob@ourco.test\nSubject: Fwd: Invoice 42", body)).forwarded
        assert forwarded is not None
        assert (forwarded.sender, forwarded.to) == ("jo@acme.com", ("alice@ourco.test",))
        assert forwarded.subject == "Invoice 42"
        assert (forwarded.sent_at, forwarded.local_time) == (datetime(2026, 11, 21, 15, 0, tzinfo=UTC), None)
        assert (forwarded.message_id, forwarded.text) == (None, "Please pay.")


def test_outlook_forwards_mailto_form_and_without_a_line_above() -> None:
    body = ("\nFrom: Jo Smith [mailto:Jo@Acme.com]\nSent: Saturday, November 21, 2026 4:00 PM\n"
            "To: Alice; Bob <bob@ourco.test>\nCc: Finance <finance@acme.com>,\n  Legal <legal@acme.com>\n"
            "Subject: RE: Invoice 42\n\n> Please pay.\n> Jo\n")  # fmt: skip
    forwarded = read_mail(raw("From: bob@ourco.test\nSubject: FW: RE: Invoice 42", body)).forwarded
    assert forwarded is not None
    assert (forwarded.sender, forwarded.cc) == ("jo@acme.com", ("finance@acme.com", "legal@acme.com"))
    assert (forwarded.subject, forwarded.text) == ("RE: Invoice 42", "Please pay.\nJo")
    assert (forwarded.sent_at, forwarded.local_time) == (None, datetime(2026, 11, 21, 16, 0))  # the forwarder's clock


def test_a_forwards_subject_defaults_to_the_outer_one_without_its_prefix() -> None:
    body = "---------- Forwarded message ---------\nFrom: jo@acme.com\n\nHi"
    forwarded = read_mail(raw("From: bob@ourco.test\nSubject: Fwd: FW: Budget", body)).forwarded
    assert forwarded is not None and forwarded.subject == "Budget"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_read_without_raising(data: bytes) -> None:
    read_mail(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "From: ", "To: ", "Cc: ", "Subject: ", "Date: ", "Message-ID: ", "Content-Type: multipart/mixed; boundary=b\r\n",
    "Content-Type: message/rfc822\r\n", "Content-Transfer-Encoding: base64\r\n", "--b\r\n", "\r\n", "=?utf-8?q?x?=",
    "=?bad?b?!!?=", "<", ">", "@", ",", "\"", "---------- Forwarded message ---------\n", "From: a@b\n", "Sent: x\n",
    "\xff", "é", "\x00",
]), max_size=30))  # fmt: skip
def test_malformed_mail_reads_without_raising(parts: list[str]) -> None:
    read_mail("".join(parts).encode("utf-8", "surrogateescape"))
