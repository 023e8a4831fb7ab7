"""The settings the database layer needs, alone: `rapport migrate` and Alembic run without any Slack secret."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///rapport.db"


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


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming the variable."""


Loaded = TypeVar("Loaded", bound=BaseSettings)


def load_database_settings(**overrides: Any) -> DatabaseSettings:
    """Read only what the database needs (`rapport migrate`, Alembic), or raise a one-line SettingsError."""
    return load(DatabaseSettings, overrides)


def load(kind: type[Loaded], overrides: dict[str, Any]) -> Loaded:
    """Settings of `kind` from the environment (and .env), or a one-line SettingsError."""
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
