"""Client search for pickers: names and aliases starting with what was typed, then fuzzy matches."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.names import name_key
from storage.models import Client, ClientAlias

PICKER_MAX = 100


@dataclass(frozen=True)
class Match:
    """A client a picker offers."""

    client_id: int
    name: str


def search_clients(session: Session, *, team_id: str, query: str, limit: int = PICKER_MAX) -> list[Match]:
    """Clients matching `query`, best first; all clients by name for an empty query."""
    names = session.execute(select(Client.id, Client.name, Client.name_key).where(Client.team_id == team_id)).all()
    key = name_key(query)
    if not key:
        return [Match(cid, name) for cid, name, _ in sorted(names, key=lambda r: r[2])][:limit]
    aliases = session.execute(
        select(ClientAlias.client_id, ClientAlias.alias_key).where(ClientAlias.team_id == team_id)
    ).all()
    display = {cid: name for cid, name, _ in names}
    starts = {cid for cid, _, k in names if k.startswith(key)} | {cid for cid, k in aliases if k.startswith(key)}
    ranked = sorted(starts, key=lambda cid: display[cid].casefold())
    if len(ranked) < limit:
        choices = [(cid, k) for cid, _, k in names] + list(aliases)
        found = process.extract(
            key, [k for _, k in choices], scorer=fuzz.WRatio, processor=utils.default_process,
            limit=limit * 2, score_cutoff=60,
        )  # fmt: skip
        for _, _, index in found:
            cid = choices[index][0]
            if cid not in ranked:
                ranked.append(cid)
    return [Match(cid, display[cid]) for cid in ranked[:limit]]
