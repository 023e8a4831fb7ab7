"""Who covers for someone away (`/client away until <date> @backup`), as the sweep sees it: pure functions.

A person is away through their last day, counted in their own zone. Their nudges go to their backup; a backup who
is away too passes them on to their own backup (a few hops at most); when nobody can take them (a deactivated
backup, a circle of absences), the caller falls back to the team channel. Nothing waits for the absent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from domain.dates import local_today
from domain.nudges import Candidates, Handover, NudgeKind, OpenNudge, Recipient, Target
from domain.personal import Away, Personal

MAX_HOPS = 3


def away_today(candidates: Candidates, team_id: str, user_id: str | None) -> Personal | None:
    """The person's settings when they are away today (their own local day), else None."""
    if not user_id:
        return None
    personal = candidates.personal.get((team_id, user_id))
    if personal is None or personal.away_until is None:
        return None
    return personal if personal.away_on(local_today(candidates.now, candidates.tz_of(team_id, user_id))) else None


def covering(candidates: Candidates, recipient: Recipient) -> Recipient | None:
    """Who gets what `recipient` would: themselves, or while they are away whoever covers; None when nobody can."""
    seen = {recipient.id}
    current = recipient
    while not current.is_channel:
        away = away_today(candidates, current.team_id, current.id)
        if away is None:
            return current
        backup = candidates.people.get((current.team_id, away.backup_id or ""))
        if backup is None or backup.deleted or backup.user_id in seen or len(seen) > MAX_HOPS:
            return None
        seen.add(backup.user_id)
        current = Recipient(current.team_id, backup.user_id, False, backup.tz)
    return current


def backups(candidates: Candidates) -> set[tuple[str, str]]:
    """(team, user) of everyone named as a backup by someone away now or later: the sweep needs their profiles."""
    return {(team, p.backup_id) for (team, _), p in candidates.personal.items() if p.backup_id}


def _briefed(candidates: Candidates, recipient: Recipient) -> bool:
    personal = candidates.personal.get((recipient.team_id, recipient.id))
    return not recipient.is_channel and personal is not None and personal.briefing is not None


def meant_for(target: Target) -> str:
    """Whom a nudge is for before anyone covers: the sponsor (their own nudge), the owner, or whoever added it."""
    return target.sponsor_id or target.owner_id or target.created_by


def cover_note(candidates: Candidates, team_id: str, person_id: str | None, recipient_id: str) -> Away | None:
    """Why `recipient_id` gets a nudge meant for `person_id`: they are away (None when it is theirs anyway)."""
    away = away_today(candidates, team_id, person_id)
    if away is None or not person_id or person_id == recipient_id or away.away_until is None:
        return None
    return Away(person_id, away.away_until, away.backup_id or "")


def handovers(candidates: Candidates, fallback: Callable[[OpenNudge], Recipient | None]) -> list[Handover]:
    """Open nudges of people away today, for whoever covers (or `fallback`), in that person's working hours.

    One handover per message they were on, so a combined message or a briefing goes over as one message.
    """
    found: dict[tuple[str | None, str | None, str], list[OpenNudge]] = defaultdict(list)
    to_of: dict[str, Recipient] = {}
    for nudge in candidates.open:
        if not nudge.still_due or nudge.kind == NudgeKind.SPONSOR:
            continue  # a sponsor's own nudge stays theirs: nobody else's contact resets their clock
        if away_today(candidates, nudge.team_id, nudge.recipient_id) is None:
            continue
        tz = candidates.tz_of(nudge.team_id, nudge.recipient_id)
        to = covering(candidates, Recipient(nudge.team_id, nudge.recipient_id, False, tz)) or fallback(nudge)
        if (
            to is None
            or not candidates.hours_of(nudge.team_id, to.id).is_working(candidates.now, to.tz)
            or _briefed(candidates, to)
        ):
            continue  # a backup with a briefing finds them there (domain.briefing_planning)
        to_of[to.id] = to
        found[(nudge.channel_id, nudge.ts, to.id)].append(nudge)
    result = []
    for (_, _, to_id), nudges in sorted(found.items(), key=lambda item: item[1][0].id):
        first = nudges[0]
        away = away_today(candidates, first.team_id, first.recipient_id)
        assert away is not None and away.away_until is not None
        result.append(Handover(nudges, to_of[to_id], Away(first.recipient_id, away.away_until, away.backup_id or "")))
    return result
