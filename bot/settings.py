"""Settings read from the environment and an optional .env file."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, FilePath, SecretStr, ValidationInfo, field_validator

from services.fan_out import DEFAULT_CONCURRENCY as DEFAULT_SWEEP_CONCURRENCY
from services.imap_address import MailboxAddress, parse_imap_url
from services.smtp_address import SmtpAddress, parse_smtp_url
from storage.settings import DatabaseSettings, SettingsError, load, load_database_settings

__all__ = [
    "DEFAULT_SWEEP_CONCURRENCY",
    "DatabaseSettings",
    "Settings",
    "SettingsError",
    "load_database_settings",
    "load_settings",
]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Settings(DatabaseSettings):
    """Everything rapport reads from its environment; see .env.example."""

    slack_bot_token: SecretStr
    # Declared before the signing secret, whose validator needs to know whether Socket Mode is on.
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = Field(default=None, validate_default=True)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = Field(default=3000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1, le=64)
    web_threads: int = Field(default=8, ge=1, le=256)
    sweep_interval_minutes: int = Field(default=5, ge=0, le=1440)
    sweep_concurrency: int = Field(default=DEFAULT_SWEEP_CONCURRENCY, ge=1, le=64)
    # The team mailbox (optional). The password before the URL: the URL's validator needs to know of it.
    imap_password: SecretStr | None = None
    imap_url: SecretStr | None = None
    calendar_allow_private: bool = False  # calendar feeds on loopback and private addresses (an internal server)
    calendar_ca_file: FilePath | None = None  # more certificate authorities to trust for calendar feeds (PEM)
    # The survey page for client contacts outside Slack: links start with PUBLIC_URL (optional; without it, no
    # email participants). Links are signed with SURVEY_LINK_SECRET, else with a key derived from the signing
    # secret (or, in Socket Mode, the bot token): rotating that secret makes the links already sent invalid.
    public_url: str | None = None
    survey_link_secret: SecretStr | None = None
    # Survey links by email (optional; unset: the requester gets the links to pass on). The password before the
    # URL: the URL's validator needs to know of it; SMTP_FROM after it: it may default to the URL's user.
    smtp_password: SecretStr | None = None
    smtp_url: SecretStr | None = None
    smtp_from: str | None = Field(default=None, validate_default=True)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret_for_http(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # A field validator, not a model validator: it runs even when other fields fail, so one run reports
        # every problem. Socket Mode needs no signing secret; HTTP mode cannot verify requests without one.
        # A bad SLACK_APP_TOKEN is missing from info.data and reported on its own.
        if value is not None and value.get_secret_value().strip():
            return value
        if "slack_app_token" in info.data and info.data["slack_app_token"] is None:
            raise ValueError("is required unless SLACK_APP_TOKEN (Socket Mode) is set")
        return None

    @field_validator("imap_url")
    @classmethod
    def _imap_url_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        password = info.data.get("imap_password")
        parse_imap_url(value.get_secret_value(), password=password.get_secret_value() if password else None)
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be the app's public base URL, like https://rapport.example.com")
        if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
            raise ValueError("must be an https URL (plain http only for localhost)")
        return value.strip().rstrip("/")

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        password = info.data.get("smtp_password")
        parse_smtp_url(value.get_secret_value(), password=password.get_secret_value() if password else None)
        return value

    @field_validator("smtp_from")
    @classmethod
    def _sender(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value.strip():
            if "@" not in value or any(c in value for c in "\r\n"):
                raise ValueError("must be an email address, like rapport@ourco.com or Rapport <rapport@ourco.com>")
            return value.strip()
        url = info.data.get("smtp_url")
        if url is None:
            return None
        user = parse_smtp_url(url.get_secret_value()).user
        if user is None or "@" not in user:
            raise ValueError("is required when SMTP_URL names no user that is an email address")
        return user

    @property
    def smtp(self) -> SmtpAddress | None:
        """Where survey emails go out from SMTP_URL and SMTP_PASSWORD, or None when there is none."""
        if self.smtp_url is None:
            return None
        password = self.smtp_password.get_secret_value() if self.smtp_password else None
        return parse_smtp_url(self.smtp_url.get_secret_value(), password=password or None)

    @property
    def survey_link_key(self) -> bytes:
        """The key survey links are signed with: SURVEY_LINK_SECRET, else derived from a secret we already have."""
        if self.survey_link_secret is not None and self.survey_link_secret.get_secret_value().strip():
            return self.survey_link_secret.get_secret_value().encode()
        base = self.slack_signing_secret or self.slack_bot_token
        return hmac.new(base.get_secret_value().encode(), b"rapport survey links", hashlib.sha256).digest()

    @property
    def mailbox(self) -> MailboxAddress | None:
        """The team mailbox from IMAP_URL and IMAP_PASSWORD, or None when there is none."""
        if self.imap_url is None:
            return None
        password = self.imap_password.get_secret_value() if self.imap_password else None
        return parse_imap_url(self.imap_url.get_secret_value(), password=password or None)

    @field_validator("calendar_ca_file", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def socket_mode(self) -> bool:
        """True when an app-level token asks for Socket Mode instead of HTTP."""
        return self.slack_app_token is not None


def load_settings(**overrides: Any) -> Settings:
    """Read every setting (serving, sweeping, checking), or raise a one-line SettingsError."""
    return load(Settings, overrides)
