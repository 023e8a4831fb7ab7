"""A client's health as people read it: "62, yellow: 2 slipped promises, 19 days past cadence"."""

from __future__ import annotations

from collections.abc import Sequence

from domain.health import TREND_WEEKS, AtRisk, Band, Factor, FactorKind, Health
from render.blocks import Message, context, fit, header, sections, simple
from render.formats import mention, plural

RISK_TITLE = "Clients by health, worst first"

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


def risk_line(entry: AtRisk) -> str:
    """`:red_circle: *Acme Corp* (@dana): 42, red: 3 slipped promises, …`"""
    client = entry.client
    flag = ":star: " if client.is_key else ""
    dot = BAND_EMOJI[entry.health.band]
    return f"{dot} {flag}*{client.name}* ({mention(client.owner_id)}): {health_text(entry.health)}"


def risk_list(found: Sequence[AtRisk], total: int) -> Message:
    """`/client list risk`: every client, worst health first, with its score, band and reasons."""
    if not found:
        return simple("No clients yet. Add one with `/client add <name>`.")
    blocks = [header(f"{RISK_TITLE} ({total})"), *sections(risk_line(entry) for entry in found)]
    if total > len(found):
        blocks.append(context(f"Showing the {len(found)} worst of {total}."))
    red = sum(1 for entry in found if entry.health.band is Band.RED)
    return Message(text=f"{RISK_TITLE}: {total}, {red} red", blocks=fit(blocks, f"Showing the worst of {total}."))
