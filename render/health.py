"""A client's health as people read it: "62, yellow: 2 slipped promises, 19 days past cadence"."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import get_decimal_symbol

from domain.health import TREND_WEEKS, AtRisk, Band, Factor, FactorKind, Health
from render.blocks import Message, context, fit, header, sections, simple
from render.formats import mention
from render.i18n import N_, _, locale, n_, p_

RISK_TITLE = N_("Clients by health, worst first")

BAND_EMOJI = {Band.GREEN: ":large_green_circle:", Band.YELLOW: ":large_yellow_circle:", Band.RED: ":red_circle:"}


def band_name(band: Band) -> str:
    """`green`, `yellow`, `red`, in the reader's language."""
    match band:
        case Band.GREEN:
            return p_("health", "green")
        case Band.YELLOW:
            return p_("health", "yellow")
        case Band.RED:
            return p_("health", "red")


def _rating(tenths: int) -> str:
    """A survey's average kept in tenths, with one decimal always: `4.0`, `3.5` (`3,5`)."""
    return f"{tenths // 10}{get_decimal_symbol(locale())}{tenths % 10}"


def factor_text(factor: Factor) -> str:
    """One reason a score is lower, in words."""
    amount = factor.amount
    match factor.kind:
        case FactorKind.CADENCE:
            return n_("{count} day past cadence", "{count} days past cadence", amount)
        case FactorKind.SLIPPED:
            return n_("{count} slipped promise", "{count} slipped promises", amount)
        case FactorKind.UNANSWERED:
            return n_(
                "{count} client message left past the reply time",
                "{count} client messages left past the reply time",
                amount,
            )
        case FactorKind.SURVEY:
            return _("last survey rated {rating}/5 by the client", rating=_rating(amount))
        case FactorKind.BLIND_SPOTS:
            return n_("{count} blind spot in the last survey", "{count} blind spots in the last survey", amount)
        case FactorKind.TREND:
            return n_("down {amount} in {count} week", "down {amount} in {count} weeks", TREND_WEEKS, amount=amount)


def health_text(health: Health) -> str:
    """The score, its band, and every factor that lowered it."""
    reasons = ", ".join(factor_text(f) for f in health.factors)
    return f"{health.score}, {band_name(health.band)}" + (f": {reasons}" if reasons else "")


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
        return simple(_("No clients yet. Add one with `/client add <name>`."))
    title = _(RISK_TITLE)
    blocks = [header(f"{title} ({total})"), *sections(risk_line(entry) for entry in found)]
    if total > len(found):
        blocks.append(context(_("Showing the {shown} worst of {total}.", shown=len(found), total=total)))
    red = sum(1 for entry in found if entry.health.band is Band.RED)
    text = _("{title}: {total}, {red} red", title=title, total=total, red=red)
    return Message(text=text, blocks=fit(blocks, _("Showing the worst of {total}.", total=total)))
