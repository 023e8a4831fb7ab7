"""How often we mean to talk to a client, as people write it: `14d`, `2w`, `3 weeks`."""

from __future__ import annotations

import re

from domain.errors import InvalidCadence

CADENCE = re.compile(r"^([0-9]{1,4})\s*(d|day|days|w|wk|week|weeks)$", re.IGNORECASE)  # ASCII digits: int() reads them
CADENCE_MAX_DAYS = 365


def parse_cadence(text: str) -> int:
    """`14d`, `2w`, `3 weeks` → days; InvalidCadence outside 1..365 days."""
    match = CADENCE.match(text.strip())
    if not match:
        raise InvalidCadence(text)
    days = int(match.group(1)) * (7 if match.group(2).lower().startswith("w") else 1)
    if not 1 <= days <= CADENCE_MAX_DAYS:
        raise InvalidCadence(text)
    return days


def cadence_text(days: int | None) -> str:
    """Days as people write a cadence (`14d`, `2w`), or `off` for none: what parse_cadence reads back."""
    if days is None:
        return "off"
    return f"{days // 7}w" if days % 7 == 0 else f"{days}d"
