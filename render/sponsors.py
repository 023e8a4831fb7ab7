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
from render.formats import cadence, day, day_of, mention, weeks
from render.formats import days as days_text
from render.i18n import N_, _, n_, p_
from render.ids import ActionId
from storage.boss_models import ClientSponsor

# Translated where it is shown (render.nudges): _(REACT_HINT).
REACT_HINT = N_("React :white_check_mark: when you've been in touch · :zzz: to snooze")
SNOOZE_DAYS = (3, 7, 14)


def _snooze_label(days: int) -> str:
    """`3 days`, `1 week`, `2 weeks`."""
    return weeks(days // 7) if days % 7 == 0 else days_text(days)


def _ago(then: datetime, now: datetime) -> str:
    days = max(0, (now - then).days)
    return _("today") if days == 0 else n_("{count} day ago", "{count} days ago", days)


def nudge_line(*, client_name: str, cadence_days: int | None, since: datetime | None, own_last_at: datetime | None,
               other_at: datetime | None, other_by: str | None, now: datetime) -> str:  # fmt: skip
    """The sponsor nudge's main line: their own last contact (or none since named), and the last by anyone else."""
    if own_last_at is None:
        text = _(
            ":crown: You haven't talked to *{client}* yourself since you became its sponsor {when} "
            "(you planned {cadence})",
            client=client_name,
            when=_ago(since or now, now),
            cadence=cadence(cadence_days),
        )
    else:
        text = _(
            ":crown: You last talked to *{client}* yourself {when} (you planned {cadence})",
            client=client_name,
            when=_ago(own_last_at, now),
            cadence=cadence(cadence_days),
        )
    if other_at is not None:
        return text + "; " + _("{who} talked to them {when}.", who=mention(other_by), when=_ago(other_at, now))
    return text + "; " + _("nobody else has talked to them either.")


def short(client_name: str) -> str:
    """One line naming what a sponsor nudge is about."""
    return _("*{client}*: time to talk to them yourself", client=client_name)


def buttons(nudge_id: int) -> list:
    """I've been in touch (logs the sponsor's own contact) and snooze; no hand-over: a sponsor's cadence is theirs."""
    logged = ButtonElement(text=p_("button", "I've been in touch"), action_id=ActionId.NUDGE_LOGGED,
                           value=str(nudge_id), style="primary")  # fmt: skip
    return [
        logged,
        StaticSelectElement(
            action_id=ActionId.NUDGE_SNOOZE,
            placeholder=p_("menu", "Snooze"),
            options=[Option(value=f"{nudge_id}:{days}", label=_snooze_label(days)) for days in SNOOZE_DAYS],
        ),
    ]


def closed(reason: str | None) -> str:
    """Why the sweep closed a sponsor nudge nobody answered."""
    if reason == ClosingReason.CONTACTED:
        return _(":white_check_mark: You have talked to them since: nothing to do.")
    return _("No longer needed (the sponsor or their cadence changed).")


def reminder(client_name: str) -> str:
    """The one reminder in the nudge's thread (there is no team-channel escalation for a sponsor)."""
    return _(
        ":bell: *{client}* is still waiting to hear from you. Answer above with a button or a reaction.",
        client=client_name,
    )


def event_text(kind: str, who: str, data: dict, *, today: date) -> str | None:
    """A sponsor's event on the client's timeline, in words (None: not a sponsor's event)."""
    if kind == Kind.SPONSOR_NAMED:
        values = {"who": who, "sponsor": mention(data.get("sponsor")), "cadence": cadence(data.get("cadence"))}
        if data.get("previous"):
            previous = mention(data["previous"])
            return _("{who} named {sponsor} sponsor instead of {previous}, {cadence}", previous=previous, **values)
        return _("{who} named {sponsor} sponsor, {cadence}", **values)
    if kind == Kind.SPONSOR_OFF:
        return _("{who} removed {previous} as sponsor", who=who, previous=mention(data.get("previous")))
    if kind == Kind.SPONSOR_SNOOZED:
        until = day(date.fromisoformat(data["until"][:10]), today=today) if "until" in data else ""
        return _("{who} snoozed the sponsor's nudge until {day} (no contact logged)", who=who, day=until)
    return None


def sponsor_set(done: Sponsorship, *, own_last_at: datetime | None, tz: str | None, today: date) -> Message:
    """`/client sponsor <client> @someone every …`, to whoever named them."""
    client, sponsor = done.client, done.sponsor
    assert sponsor is not None
    values = {"who": mention(sponsor.user_id), "client": client.name, "cadence": cadence(sponsor.cadence_days)}
    if done.change == Change.UNCHANGED:
        text = _("{who} is already the sponsor of *{client}*, {cadence}.", **values)
        return simple(text + " " + _("Nothing was changed."))
    if own_last_at is None:
        clock = _("They have no contact of their own with it yet: their clock starts now.")
    else:
        clock = _("Their last contact of their own: {day}.", day=day_of(own_last_at, tz, today=today))
    due = _("Their next is due by {day}.", day=day_of(sponsor.due_at or sponsor.named_at, tz, today=today))
    if done.change == Change.CADENCE:
        return simple(_("{who} now means to talk to *{client}* {cadence}.", **values) + " " + due)
    if done.change == Change.REPLACED:
        named = _("{who} is now the sponsor of *{client}* (instead of {previous}), {cadence}.",
                  previous=mention(done.previous_id), **values)  # fmt: skip
    else:
        named = _("{who} is now the sponsor of *{client}*, {cadence}.", **values)
    return simple(f"{named} {clock} {due}")


def sponsor_removed(done: Sponsorship) -> Message:
    """`/client sponsor <client> off`."""
    if done.change == Change.NONE:
        return simple(_("*{client}* has no sponsor.", client=done.client.name) + " " + _("Nothing was changed."))
    return simple(
        _("*{client}* has no sponsor any more (was {previous}).", client=done.client.name,
          previous=mention(done.previous_id))
    )  # fmt: skip


def named_dm(client_name: str, by: str, cadence_days: int) -> Message:
    """To the new sponsor, when someone else named them."""
    return simple(
        _(
            "{by} named you sponsor of *{client}*: you mean to talk to them yourself {cadence}. "
            "Only your own contacts count; I'll nudge you when it's time.",
            by=mention(by),
            client=client_name,
            cadence=cadence(cadence_days),
        )
    )


def show_facts(sponsor: ClientSponsor | None, *, tz: str | None, today: date) -> list[str]:
    """`/client show`'s line: the sponsor, their cadence, and their last contact of their own (none: no line)."""
    if sponsor is None:
        return []
    if sponsor.last_contact_at is None:
        last = _("none since named on {day}", day=day_of(sponsor.named_at, tz, today=today))
    else:
        last = day_of(sponsor.last_contact_at, tz, today=today)
    return [
        _("*Sponsor:* {who}, {cadence} (last own contact: {last})", who=mention(sponsor.user_id),
          cadence=cadence(sponsor.cadence_days), last=last)
    ]  # fmt: skip
