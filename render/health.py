"""TEMPORARY stand-in for the health engineer's render/health.py (the agreed API), replaced when `health` is merged."""

from __future__ import annotations

from domain.health import Health


def health_text(health: Health) -> str:
    """`62, yellow: 2 slipped promises`."""
    reasons = ", ".join(f"{f.amount} {f.kind}" for f in health.factors)
    return f"{health.score}, {health.band}" + (f": {reasons}" if reasons else "")
