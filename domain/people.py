"""People as Slack describes them (users.info), cached for a day: time zone, bot, deactivated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from domain.errors import NotAPerson, WhyNot
from storage.dialect import insert
from storage.models import Person

CACHE_FOR = timedelta(days=1)
REFRESHED = (
    Person.home_team_id,
    Person.tz,
    Person.is_bot,
    Person.deleted,
    Person.is_guest,
    Person.email,
    Person.fetched_at,
)  # what users.info updates


@dataclass(frozen=True)
class Profile:
    """The facts about a user that rapport needs."""

    user_id: str
    home_team_id: str | None
    tz: str | None
    is_bot: bool
    deleted: bool
    is_guest: bool = False  # a single- or multi-channel guest of the workspace
    email: str | None = None  # the profile's address, lower case (Slack shows it with users:read.email)
    locale: str | None = None  # Slack's locale for them (`ru-RU`), asked with include_locale


Lookup = Callable[[str], Profile | None]


def profile(session: Session, *, team_id: str, user_id: str, now: datetime, lookup: Lookup) -> Profile | None:
    """The cached profile when fresh, else `lookup` (users.info) stored for next time; None when unknown."""
    row = session.get(Person, (team_id, user_id))
    if row is not None and now - row.fetched_at < CACHE_FOR:
        return profile_of(row)
    found = lookup(user_id)
    if found is None:
        return None
    ensure_workspace(session, team_id=team_id, now=now)
    values = {
        Person.home_team_id: found.home_team_id,
        Person.tz: found.tz,
        Person.is_bot: found.is_bot,
        Person.deleted: found.deleted,
        Person.is_guest: found.is_guest,
        Person.email: found.email,
        Person.fetched_at: now,
    }
    if found.locale is not None:  # users.lookupByEmail tells no locale: keep the one users.info told
        values[Person.locale] = found.locale
    statement = insert(session, Person).values({Person.team_id: team_id, Person.user_id: user_id, **values})
    session.execute(
        statement.on_conflict_do_update(index_elements=[Person.team_id, Person.user_id], set_=values),
        execution_options={"synchronize_session": False},
    )
    if row is not None:
        session.expire(row)
    return found


def cached_profile(session: Session, *, team_id: str, user_id: str, now: datetime) -> Profile | None:
    """The profile cached in the last day, or None when only Slack can tell (nothing is looked up)."""
    row = session.get(Person, (team_id, user_id))
    return profile_of(row) if row is not None and now - row.fetched_at < CACHE_FOR else None


def profile_of(row: Person) -> Profile:
    """The cached row as a Profile."""
    return Profile(row.user_id, row.home_team_id, row.tz, row.is_bot, row.deleted, row.is_guest, row.email, row.locale)


def teammate_or_raise(session: Session, *, team_id: str, user_id: str, now: datetime, lookup: Lookup) -> Profile:
    """A person who can own clients and promises: known to Slack, human, active, of this workspace."""
    found = profile(session, team_id=team_id, user_id=user_id, now=now, lookup=lookup)
    return person_or_raise(user_id, found, member_of=team_id)


def can_own(session: Session, *, team_id: str, user_id: str, now: datetime, lookup: Lookup) -> bool:
    """Whether the user may own clients (teammate_or_raise, as a yes or no)."""
    try:
        teammate_or_raise(session, team_id=team_id, user_id=user_id, now=now, lookup=lookup)
    except NotAPerson:
        return False
    return True


def person_or_raise(user_id: str, found: Profile | None, *, member_of: str | None = None) -> Profile:
    """A human with an active account (and, with `member_of`, a member of that workspace), else NotAPerson."""
    if found is None:
        raise NotAPerson(user_id, WhyNot.UNKNOWN)
    if found.is_bot:
        raise NotAPerson(user_id, WhyNot.BOT)
    if found.deleted:
        raise NotAPerson(user_id, WhyNot.DEACTIVATED)
    if member_of is not None and found.home_team_id not in (None, member_of):
        raise NotAPerson(user_id, WhyNot.EXTERNAL)
    return found


def store_profiles(
    session: Session, found: dict[tuple[str, str], Profile | None], *, now: datetime
) -> dict[tuple[str, str], Person]:
    """Cache many users.info answers in one statement; a user Slack does not know counts as deactivated."""
    rows = [
        {
            "team_id": team, "user_id": user, "home_team_id": p.home_team_id if p else None,
            "tz": p.tz if p else None, "is_bot": p.is_bot if p else False, "deleted": p.deleted if p else True,
            "is_guest": p.is_guest if p else False, "email": p.email if p else None,
            "locale": p.locale if p else None, "fetched_at": now,
        }
        for (team, user), p in found.items()
    ]  # fmt: skip
    if not rows:
        return {}
    for team in {team for team, _ in found}:
        ensure_workspace(session, team_id=team, now=now)
    statement = insert(session, Person)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Person.team_id, Person.user_id],
            set_={
                **{column: statement.excluded[column.key] for column in REFRESHED},
                Person.locale: func.coalesce(statement.excluded.locale, Person.locale),  # kept when not told
            },
        ),
        rows,
    )
    return {key: Person(**row) for key, row in zip(found, rows, strict=True)}
