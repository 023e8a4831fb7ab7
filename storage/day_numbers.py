"""Timestamps as day numbers in SQL (days since 1970-01-01 UTC, fractional), the same on SQLite and PostgreSQL.

The health score measures spans of time inside the database (gaps between contacts, late promises), so that
100 000 clients are scored by a few GROUP BY queries instead of by reading every row into Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
JULIAN_EPOCH = 2440587.5  # SQLite's julianday() of 1970-01-01 00:00 UTC


class unix_days(FunctionElement[float]):  # lower case: it reads as the SQL function it is
    """A timestamp or date column as days since 1970-01-01 UTC (SQLite stores UTC naive; PostgreSQL timestamptz)."""

    type = Float()
    inherit_cache = True
    name = "unix_days"


@compiles(unix_days, "sqlite")
def _sqlite(element: unix_days, compiler: Any, **kw: Any) -> str:
    return f"(julianday({compiler.process(element.clauses, **kw)}) - {JULIAN_EPOCH})"


@compiles(unix_days, "postgresql")
def _postgresql(element: unix_days, compiler: Any, **kw: Any) -> str:
    return f"(CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS DOUBLE PRECISION) / 86400.0)"


def day_number(value: datetime | date) -> float:
    """What unix_days() gives for a Python value: a UTC timestamp, or a date at UTC midnight."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    return (value - EPOCH).total_seconds() / 86400
