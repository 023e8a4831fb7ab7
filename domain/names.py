"""Finding a client by what people type: name or alias, any case, an unambiguous prefix, fuzzy suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import AmbiguousClient, UnknownClient
from domain.text import valid_id
from storage.models import Client, ClientAlias

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 60


@dataclass(frozen=True)
class Subject:
    """A client reference followed by free text: `quoted` names it exactly, else `text` starts with it."""

    quoted: str | None
    text: str


def name_key(name: str) -> str:
    """The form names are compared in: case-folded, inner whitespace collapsed."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class _Known:
    key: str
    client_id: int


def _like_prefix(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _known_starting_with(session: Session, team_id: str, key: str) -> list[_Known]:
    """Names and aliases that start with `key`, through the (team_id, key) unique indexes."""
    pattern = _like_prefix(key)
    names = session.execute(
        select(Client.name_key, Client.id).where(Client.team_id == team_id, Client.name_key.like(pattern, escape="\\"))
    )
    aliases = session.execute(
        select(ClientAlias.alias_key, ClientAlias.client_id).where(
            ClientAlias.team_id == team_id, ClientAlias.alias_key.like(pattern, escape="\\")
        )
    )
    return [_Known(k, cid) for k, cid in [*names, *aliases]]


def get_client(session: Session, *, team_id: str, client_id: int) -> Client | None:
    """The workspace's client with this id, or None (another workspace's id is None too)."""
    if not valid_id(client_id):
        return None
    return session.scalar(select(Client).where(Client.team_id == team_id, Client.id == client_id))


def _load(session: Session, team_id: str, client_id: int) -> Client:
    client = get_client(session, team_id=team_id, client_id=client_id)
    if client is None:
        raise UnknownClient(str(client_id), [])
    return client


def find_client_or_raise(session: Session, *, team_id: str, query: str) -> Client:
    """The client whose name or alias is `query`, or whose only name starting with it; else raise."""
    key = name_key(query)
    if not key:
        raise UnknownClient(query, [])
    known = _known_starting_with(session, team_id, key)
    exact = {k.client_id for k in known if k.key == key}
    if exact:
        return _load(session, team_id, exact.pop())
    prefixed = {k.client_id for k in known}
    if len(prefixed) == 1:
        return _load(session, team_id, prefixed.pop())
    if prefixed:
        raise AmbiguousClient(query, _names(session, team_id, prefixed))
    raise UnknownClient(query, suggest(session, team_id=team_id, query=query))


def split_subject_or_raise(session: Session, *, team_id: str, subject: Subject) -> tuple[Client, str]:
    """The client a subject starts with (longest known name or alias, else a unique prefix) and the rest."""
    if subject.quoted is not None:
        return find_client_or_raise(session, team_id=team_id, query=subject.quoted), subject.text
    words = subject.text.split()
    if not words:
        raise UnknownClient("", [])
    known = _known_starting_with(session, team_id, name_key(words[0]))
    for count in range(len(words), 0, -1):
        candidate = name_key(" ".join(words[:count]))
        exact = {k.client_id for k in known if k.key == candidate}
        if exact:
            return _load(session, team_id, exact.pop()), _rest_after(subject.text, count)
    for count in range(len(words), 0, -1):
        candidate = name_key(" ".join(words[:count]))
        prefixed = {k.client_id for k in known if k.key.startswith(candidate)}
        if len(prefixed) == 1:
            return _load(session, team_id, prefixed.pop()), _rest_after(subject.text, count)
        if prefixed:
            raise AmbiguousClient(" ".join(words[:count]), _names(session, team_id, prefixed))
    raise UnknownClient(words[0], suggest(session, team_id=team_id, query=" ".join(words[:3])))


def _rest_after(text: str, words: int) -> str:
    """`text` without its first `words` words, keeping the rest as typed (line breaks included)."""
    rest = text.lstrip()
    for _ in range(words):
        rest = rest.lstrip()
        cut = next((i for i, ch in enumerate(rest) if ch.isspace()), len(rest))
        rest = rest[cut:]
    return rest.strip()


def _names(session: Session, team_id: str, client_ids: set[int]) -> list[str]:
    rows = session.scalars(
        select(Client.name).where(Client.team_id == team_id, Client.id.in_(client_ids)).order_by(Client.name_key)
    )
    return list(rows)


def suggest(session: Session, *, team_id: str, query: str) -> list[str]:
    """Up to three client names that look like `query` (typos, word order, partial names)."""
    names = session.execute(select(Client.id, Client.name).where(Client.team_id == team_id)).all()
    aliases = session.execute(
        select(ClientAlias.client_id, ClientAlias.alias).where(ClientAlias.team_id == team_id)
    ).all()
    if not names:
        return []
    display = {cid: name for cid, name in names}
    choices = [(cid, name) for cid, name in names] + [(cid, alias) for cid, alias in aliases]
    words = query.split()
    best: dict[int, float] = {}
    for count in range(1, min(3, len(words)) + 1):
        probe = " ".join(words[:count])
        for _, score, index in process.extract(
            probe, [text for _, text in choices], scorer=fuzz.WRatio, processor=utils.default_process,
            limit=SUGGESTIONS * 2, score_cutoff=SUGGESTION_CUTOFF,
        ):  # fmt: skip
            cid = choices[index][0]
            best[cid] = max(best.get(cid, 0.0), score)
    ranked = sorted(best, key=lambda cid: (-best[cid], display[cid].casefold()))
    return [display[cid] for cid in ranked[:SUGGESTIONS]]
