"""Planning briefings: one DM a day, at the person's own time, gathering what separate nudges would have said.

Pure functions over what domain.nudge_candidates read. A person with a briefing gets no separate nudges: what is
due for them waits for their next briefing (on a working day, at or after their time; a sweep that missed it
sends it later that day, never the next). Open nudges still unanswered are listed again each day, and drop out
once answered anywhere. The message stays within Slack's 50 blocks: the rest is counted ("and N more").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from domain.covering import away_today, covering
from domain.dates import local_today, zone
from domain.nudges import BriefingPost, Candidates, NudgeKind, OpenNudge, Recipient, Target

MAX_BLOCKS = 50  # Slack's limit for a message
FIXED_BLOCKS = 7  # the title, four group headings, the hint and "and N more"
ITEM_BLOCKS = 2  # a nudge: its text and its buttons
SURVEY_BLOCKS = 1  # a survey: its text with the Answer button beside it
ORDER = {NudgeKind.UNANSWERED: 0, NudgeKind.SLIP: 1, NudgeKind.QUIET: 2, NudgeKind.HEADS_UP: 3}

Seen = Callable[[Target, date], bool]  # whether a target was nudged about on that local day already


def briefs(candidates: Candidates, recipient: Recipient) -> bool:
    """Whether this recipient takes everything in one briefing a day instead of separate nudges."""
    if recipient.is_channel:
        return False
    personal = candidates.personal.get((recipient.team_id, recipient.id))
    return personal is not None and personal.briefing is not None


def plan_briefings(candidates: Candidates, due: dict[Recipient, list[Target]], seen: Seen) -> list[BriefingPost]:
    """The briefings to send now: people whose time has come today, not briefed yet today, not away."""
    open_by = _open_by_reader(candidates)
    found = []
    for (team_id, user_id), personal in sorted(candidates.personal.items()):
        person = candidates.people.get((team_id, user_id))
        if personal.briefing is None or person is None or person.deleted:
            continue
        if away_today(candidates, team_id, user_id) is not None:
            continue  # their nudges go to whoever covers
        local = candidates.now.astimezone(zone(person.tz))
        today = local.date()
        if not candidates.hours_of(team_id, user_id).is_working_day(today) or local.time() < personal.briefing:
            continue
        if (team_id, user_id, today) in candidates.briefed:
            continue
        recipient = Recipient(team_id, user_id, False, person.tz)
        new = [t for t in due.get(recipient, []) if not seen(t, today)]
        still = [n for n in open_by[(team_id, user_id)] if _listed_again(n, today, person.tz)]
        surveys = [w for w in candidates.invitations if (w.team_id, w.user_id) == (team_id, user_id) and not w.email]
        found.append(fit(BriefingPost(recipient, today, new, still, surveys)))
    return found


def _listed_again(nudge: OpenNudge, today: date, tz: str | None) -> bool:
    """Open since an earlier day; a heads-up only until its due day (then a slip nudge takes over)."""
    if nudge.kind == NudgeKind.HEADS_UP and (nudge.due_on is None or nudge.due_on <= today):
        return False
    return local_today(nudge.posted_at, tz) < today


def _open_by_reader(candidates: Candidates) -> dict[tuple[str, str], list[OpenNudge]]:
    """Open nudges by who reads them now: whoever got them, or while they are away whoever covers."""
    found: dict[tuple[str, str], list[OpenNudge]] = defaultdict(list)
    for nudge in candidates.open:
        if not nudge.still_due:
            continue
        reader = nudge.recipient_id
        if away_today(candidates, nudge.team_id, reader) is not None and nudge.kind != NudgeKind.SPONSOR:
            tz = candidates.tz_of(nudge.team_id, reader)
            to = covering(candidates, Recipient(nudge.team_id, reader, False, tz))
            reader = to.id if to is not None else reader
        found[(nudge.team_id, reader)].append(nudge)
    return found


def fit(briefing: BriefingPost) -> BriefingPost:
    """Most urgent first (a client waiting, slipped promises, quiet clients, heads-ups; key clients first), then
    surveys, as many as Slack's block limit allows; the rest counted."""
    room = MAX_BLOCKS - FIXED_BLOCKS
    nudges: list[Target | OpenNudge] = sorted([*briefing.new, *briefing.still_open], key=_urgency)
    kept_new: list[Target] = []
    kept_open: list[OpenNudge] = []
    for item in nudges:
        if room >= ITEM_BLOCKS:
            room -= ITEM_BLOCKS
            (kept_new if isinstance(item, Target) else kept_open).append(item)  # type: ignore[arg-type]
    surveys = briefing.surveys[: max(0, room // SURVEY_BLOCKS)]
    more = len(nudges) - len(kept_new) - len(kept_open) + len(briefing.surveys) - len(surveys)
    return BriefingPost(briefing.recipient, briefing.day, kept_new, kept_open, surveys, more)


def _urgency(item: Target | OpenNudge) -> tuple[int, int]:
    key_last = 0 if isinstance(item, Target) and item.is_key else 1
    return ORDER.get(item.kind, 2), key_last
