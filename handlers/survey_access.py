"""Finding a survey from a button or a modal, also when an external (Slack Connect) person presses it."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltContext
from sqlalchemy.orm import Session

from domain.errors import UnknownSurvey
from domain.surveys import get_survey
from storage.models import Survey


def home_teams(context: BoltContext) -> list[str]:
    """The workspace of the request, then the one rapport is installed in (a Connect member's team differs)."""
    installed = context.authorize_result.team_id if context.authorize_result else None
    return [t for t in dict.fromkeys([context.team_id, installed]) if t]


def survey_or_raise(session: Session, context: BoltContext, survey_id: int) -> Survey:
    """The survey in one of our workspaces; who may answer it is checked against its participants."""
    for team in home_teams(context):
        survey = get_survey(session, team_id=team, survey_id=survey_id)
        if survey is not None:
            return survey
    raise UnknownSurvey(f"#{survey_id}")


def metadata(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
