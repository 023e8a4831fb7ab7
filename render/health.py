"""A client's health as people read it: "62, yellow: 2 slipped promises, 19 days past cadence"."""

from __future__ import annotations

from domain.health import TREND_WEEKS, Band, Factor, FactorKind, Health
from render.formats import plural

BAND_EMOJI = {Band.GREEN: ":large_green_circle:", Band.YELLOW: ":large_yellow_circle:", Band.RED: ":red_circle:"}


def factor_text(factor: Factor) -> str:
    """One reason a score is lower, in words."""
    amount = factor.amount
    match factor.kind:
        case FactorKind.CADENCE:
            return f"{plural(amount, 'day')} past cadence"
        case FactorKind.SLIPPED:
            return plural(amount, "slipped promise")
        case FactorKind.UNANSWERED:
            return f"{plural(amount, 'client message')} left past the reply time"
        case FactorKind.SURVEY:
            return f"last survey rated {amount // 10}.{amount % 10}/5 by the client"
        case FactorKind.BLIND_SPOTS:
            return f"{plural(amount, 'blind spot')} in the last survey"
        case FactorKind.TREND:
            return f"down {amount} in {TREND_WEEKS} weeks"


def health_text(health: Health) -> str:
    """The score, its band, and every factor that lowered it."""
    reasons = ", ".join(factor_text(f) for f in health.factors)
    return f"{health.score}, {health.band}" + (f": {reasons}" if reasons else "")


def health_badge(health: Health) -> str:
    """The band's coloured dot, then health_text (for lists and `/client show`)."""
    return f"{BAND_EMOJI[health.band]} {health_text(health)}"
