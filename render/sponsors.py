"""The words about sponsors: `/client sponsor`'s replies, the sponsor's own nudge, and their line in `/client show`.

A sponsor's nudge is personal: it asks the sponsor to talk to the client themselves, so it offers no hand-over
(🙋 means nothing on it), and it is never taken to the team channel.
"""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import ButtonElement, Option, StaticSelectElement

from domain.events import Kind
from domain.nudges import ClosingReason
from domain.sponsors import Change, Sponsorship
from render.blocks import Message, simple
from render.formats import cadence, day, day_of, mention, plural
from render.ids import ActionId
from storage.boss_models import ClientSponsor

REACT_HINT = "React :white_check_mark: when you've been in touch · :zzz: to snooze"
SNOOZE_CHOICES = ((3, "3 days"), (7, "1 week"), (14, "2 weeks"))


def _ago(then: datetime, now: datetime) -> str:
    days = max(0, (now - then).days)
    return "today" if days == 0 else f"{plural(days, 'day')} ago"


def nudge_line(*, client_name: str, cadence_days: int | None, since: datetime | None, own_last_at: datetime | None,
               other_at: datetime | None, other_by: str | None, now: datetime) -> str:  # fmt: skip
    """The sponsor nudge's main line: their own last contact (or none since named), and the last by anyone else."""
    planned = f"(you planned {cadence(cadence_days)})"
    if own_last_at is None:
        named = _ago(since or now, now)
        text = f":crown: You haven't talked to *{client_name}* yourself since you became its sponsor {named} {planned}"
    else:
        text = f":crown: You last talked to *{client_name}* yourself {_ago(own_last_at, now)} {planned}"
    if other_at is not None:
        return f"{text}; {mention(other_by)} talked to them {_ago(other_at, now)}."
    return f"{text}; nobody else has talked to them either."


def short(client_name: str) -> str:
    """One line naming what a sponsor nudge is about."""
    return f"*{client_name}*: time to talk to them yourself"


def buttons(nudge_id: int) -> list:
    """I've been in touch (logs the sponsor's own contact) and snooze; no hand-over: a sponsor's cadence is theirs."""
    logged = ButtonElement(text="I've been in touch", action_id=ActionId.NUDGE_LOGGED, value=str(nudge_id),
                           style="primary")  # fmt: skip
    return [
        logged,
        StaticSelectElement(
            action_id=ActionId.NUDGE_SNOOZE,
            placeholder="Snooze",
            options=[Option(value=f"{nudge_id}:{days}", label=label) for days, label in SNOOZE_CHOICES],
        ),
    ]


def closed(reason: str | None) -> str:
    """Why the sweep closed a sponsor nudge nobody answered."""
    if reason == ClosingReason.CONTACTED:
        return ":white_check_mark: You have talked to them since: nothing to do."
    return "No longer needed (the sponsor or their cadence changed)."


def reminder(client_name: str) -> str:
    """The one reminder in the nudge's thread (there is no team-channel escalation for a sponsor)."""
    return f":bell: *{client_name}* is still waiting to hear from you. Answer above with a button or a reaction."


def event_text(kind: str, who: str, data: dict, *, today: date) -> str | None:
    """A sponsor's event on the client's timeline, in words (None: not a sponsor's event)."""
    if kind == Kind.SPONSOR_NAMED:
        was = f" instead of {mention(data['previous'])}" if data.get("previous") else ""
        return f"{who} named {mention(data.get('sponsor'))} sponsor{was}, {cadence(data.get('cadence'))}"
    if kind == Kind.SPONSOR_OFF:
        return f"{who} removed {mention(data.get('previous'))} as sponsor"
    if kind == Kind.SPONSOR_SNOOZED:
        until = day(date.fromisoformat(data["until"][:10]), today=today) if "until" in data else ""
        return f"{who} snoozed the sponsor's nudge until {until} (no contact logged)"
    return None


def sponsor_set(done: Sponsorship, *, own_last_at: datetime | None, tz: str | None, today: date) -> Message:
    """`/client sponsor <client> @someone every …`, to whoever named them."""
    client, sponsor = done.client, done.sponsor
    assert sponsor is not None
    who, every = mention(sponsor.user_id), cadence(sponsor.cadence_days)
    if done.change == Change.UNCHANGED:
        return simple(f"{who} is already the sponsor of *{client.name}*, {every}. Nothing was changed.")
    if own_last_at is None:
        clock = "They have no contact of their own with it yet: their clock starts now."
    else:
        clock = f"Their last contact of their own: {day_of(own_last_at, tz, today=today)}."
    due = f"Their next is due by {day_of(sponsor.due_at or sponsor.named_at, tz, today=today)}."
    if done.change == Change.CADENCE:
        return simple(f"{who} now means to talk to *{client.name}* {every}. {due}")
    was = f" (instead of {mention(done.previous_id)})" if done.change == Change.REPLACED else ""
    return simple(f"{who} is now the sponsor of *{client.name}*{was}, {every}. {clock} {due}")


def sponsor_removed(done: Sponsorship) -> Message:
    """`/client sponsor <client> off`."""
    if done.change == Change.NONE:
        return simple(f"*{done.client.name}* has no sponsor. Nothing was changed.")
    return simple(f"*{done.client.name}* has no sponsor any more (was {mention(done.previous_id)}).")


def named_dm(client_name: str, by: str, cadence_days: int) -> Message:
    """To the new sponsor, when someone else named them."""
    return simple(
        f"{mention(by)} named you sponsor of *{client_name}*: you mean to talk to them yourself "
        f"{cadence(cadence_days)}. Only your own contacts count; I'll nudge you when it's time."
    )


def show_facts(sponsor: ClientSponsor | None, *, tz: str | None, today: date) -> list[str]:
    """`/client show`'s line: the sponsor, their cadence, and their last contact of their own (none: no line)."""
    if sponsor is None:
        return []
    if sponsor.last_contact_at is None:
        last = f"none since named on {day_of(sponsor.named_at, tz, today=today)}"
    else:
        last = day_of(sponsor.last_contact_at, tz, today=today)
    return [f"*Sponsor:* {mention(sponsor.user_id)}, {cadence(sponsor.cadence_days)} (last own contact: {last})"]
