"""Settings read from the environment and an optional .env file."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///rapport.db"
DEFAULT_SWEEP_CONCURRENCY = 8


class Settings(BaseSettings):
    """Everything rapport reads from its environment; see .env.example."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = Field(default=3000, ge=1, le=65535)
    web_concurrency: int = Field(default=1, ge=1, le=64)
    web_threads: int = Field(default=8, ge=1, le=256)
    log_level: str = "INFO"
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

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @model_validator(mode="after")
    def _signing_secret_for_http(self) -> Settings:
        # Socket Mode needs no signing secret; HTTP mode cannot verify requests without one.
        secret = self.slack_signing_secret
        if self.slack_app_token is None and (secret is None or not secret.get_secret_value().strip()):
            raise ValueError("SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN (Socket Mode) is set")
        return self

    @property
    def socket_mode(self) -> bool:
        """True when an app-level token asks for Socket Mode instead of HTTP."""
        return self.slack_app_token is not None


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning a validation failure into a one-line SettingsError."""
    try:
        return Settings(**overrides)
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
