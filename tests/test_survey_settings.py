"""PUBLIC_URL, SURVEY_LINK_SECRET, SMTP_URL, SMTP_PASSWORD and SMTP_FROM: read, checked, one line per mistake."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings
from services.imap_address import Security
from services.smtp_address import parse_smtp_url

BASE = {"_env_file": None, "slack_bot_token": "xoxb-1", "slack_signing_secret": "signing"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("https://rapport.ourco.com", "https://rapport.ourco.com"), ("https://rapport.ourco.com/", "https://rapport.ourco.com"),
     ("https://ourco.com/rapport/", "https://ourco.com/rapport"), ("http://localhost:3000", "http://localhost:3000"),
     ("", None)],
)  # fmt: skip
def test_public_url(value: str, expected: str | None) -> None:
    assert load_settings(**BASE, public_url=value).public_url == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("http://rapport.ourco.com", "PUBLIC_URL must be an https URL (plain http only for localhost)"),
     ("rapport.ourco.com", "PUBLIC_URL must be the app's public base URL, like https://rapport.example.com"),
     ("https://rapport.ourco.com/?x=1", "PUBLIC_URL must be the app's public base URL, like https://rapport.example.com")],
)  # fmt: skip
def test_a_bad_public_url_is_one_line(value: str, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(**BASE, public_url=value)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("url", "expected"),
    [("smtps://rapport%40ourco.com:p%2Fw@smtp.ourco.com",
      ("smtp.ourco.com", 465, "rapport@ourco.com", Security.TLS, "p/w")),
     ("smtp://u:p@smtp.ourco.com", ("smtp.ourco.com", 587, "u", Security.STARTTLS, "p")),
     ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, None, Security.PLAIN, None)),
     ("smtp://localhost", ("localhost", 587, None, Security.PLAIN, None))],
)  # fmt: skip
def test_smtp_url_forms(url: str, expected: tuple[object, ...]) -> None:
    found = parse_smtp_url(url)
    assert (found.host, found.port, found.user, found.security, found.password) == expected
    assert "p/w" not in repr(found)


def test_smtp_password_and_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_URL", "smtps://rapport%40ourco.com@smtp.ourco.com")
    monkeypatch.setenv("SMTP_PASSWORD", "from-the-env")
    settings = load_settings(**BASE)
    assert settings.smtp is not None and settings.smtp.password == "from-the-env"
    assert settings.smtp_from == "rapport@ourco.com"  # the URL's user, an address
    assert "from-the-env" not in repr(settings) and settings.smtp.name == "rapport@ourco.com@smtp.ourco.com:465"
    monkeypatch.setenv("SMTP_FROM", "Rapport <surveys@ourco.com>")
    assert load_settings(**BASE).smtp_from == "Rapport <surveys@ourco.com>"
    assert load_settings(**BASE, smtp_url="").smtp is None


@pytest.mark.parametrize(
    ("values", "message"),
    [({"smtp_url": "https://smtp.ourco.com"}, "SMTP_URL must start with smtps:// (TLS) or smtp:// (STARTTLS)"),
     ({"smtp_url": "smtps://:topsecret@smtp.ourco.com"}, "SMTP_URL has a password but no user (smtps://user:password@host)"),
     ({"smtp_url": "smtps://relay.ourco.com"},
      "SMTP_FROM is required when SMTP_URL names no user that is an email address"),
     ({"smtp_url": "smtps://u@relay.ourco.com", "smtp_from": "rapport"},
      "SMTP_FROM must be an email address, like rapport@ourco.com or Rapport <rapport@ourco.com>")],
)  # fmt: skip
def test_bad_smtp_settings_are_one_line_without_secrets(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(**BASE, **values)
    assert str(error.value) == message and "topsecret" not in str(error.value)


def test_the_link_key_is_its_own_secret_or_derived_from_one_we_have() -> None:
    derived = load_settings(**BASE).survey_link_key
    assert derived != b"signing" and len(derived) == 32
    assert load_settings(**{**BASE, "slack_signing_secret": "other"}).survey_link_key != derived
    assert load_settings(**BASE, survey_link_secret="links").survey_link_key == b"links"
    socket_mode = load_settings(_env_file=None, slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert socket_mode.survey_link_key not in (derived, b"xoxb-1")
