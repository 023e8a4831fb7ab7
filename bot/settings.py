"""Settings read from the environment and an optional .env file."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///rapport.db"
DEFAULT_SWEEP_CONCURRENCY = 8


class DatabaseSettings(BaseSettings):
    """What needs no Slack: `rapport migrate` and Alembic read only these."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:  # the value may hold a password: never repeat it
            raise ValueError("must be a database URL, e.g. sqlite:///rapport.db or postgresql://…") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


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

    @property
    def socket_mode(self) -> bool:
        """True when an app-level token asks for Socket Mode instead of HTTP."""
        return self.slack_app_token is not None


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


Loaded = TypeVar("Loaded", bound=BaseSettings)


def load_settings(**overrides: Any) -> Settings:
    """Read every setting (serving, sweeping, checking), or raise a one-line SettingsError."""
    return _load(Settings, overrides)


def load_database_settings(**overrides: Any) -> DatabaseSettings:
    """Read only what the database needs (`rapport migrate`, Alembic), or raise a one-line SettingsError."""
    return _load(DatabaseSettings, overrides)


def _load(kind: type[Loaded], overrides: dict[str, Any]) -> Loaded:
    try:
        return kind(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each bad variable, never its value."""
    parts = []
    for error in exc.errors():
        name = "_".join(str(part) for part in error["loc"]).upper()
        if error["type"] == "missing":
            parts.append(f"{name} is not set")
        elif name:
            parts.append(f"{name} {error['msg'].removeprefix('Value error, ')}")
        else:
            parts.append(error["msg"].removeprefix("Value error, "))
    return "; ".join(parts)
