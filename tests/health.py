"""Hand-built client histories for the health score tests: contacts, promises, client messages and surveys at
chosen times, written straight into the real database (both backends)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.channel_messages import Side as Author
from domain.clients import ensure_workspace, new_client
from domain.events import Kind
from domain.surveys import DEFAULT_SET, Side
from fakes.slack import TEAM
from storage.models import (
    ChannelMessage,
    ClientEvent,
    Contact,
    Promise,
    QuestionSet,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
)

ITEMS = ("informed", "dates", "quality", "priorities", "overall")  # the default question set's


class History:
    """Writes one workspace's history; every method commits, so the app sees it at once."""

    def __init__(self, engine: Engine, now: datetime) -> None:
        self.engine = engine
        self.now = now
        self.names: dict[int, str] = {}
        self._messages = 0

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def client(
        self, name: str, *, cadence: int | None = None, created_days_ago: float = 200, owner: str = "UALICE"
    ) -> int:
        """A client added `created_days_ago`, with a cadence in days (or none)."""
        created = self.days_ago(created_days_ago)
        with Session(self.engine) as session, session.begin():
            ensure_workspace(session, team_id=TEAM, now=created)
            client = new_client(team_id=TEAM, name=name, by=owner, now=created, cadence_days=cadence)
            session.add(client)
            session.flush()
            self.names[client.id] = name
            return client.id

    def contacts(self, client_id: int, *days_ago: float) -> None:
        """Contacts logged that many days ago."""
        with Session(self.engine) as session, session.begin():
            for days in days_ago:
                at = self.days_ago(days)
                session.add(Contact(team_id=TEAM, client_id=client_id, user_id="UALICE", occurred_at=at, note="Call",
                                    source="command", created_at=at))  # fmt: skip

    def promise(
        self, client_id: int, *, due_days_ago: int, done_days_ago: float | None = None,
        moved_days_ago: float | None = None,
    ) -> int:  # fmt: skip
        """A promise due that many days ago (negative: ahead), kept then (None: open), its date moved then."""
        due_on: date = (self.now - timedelta(days=due_days_ago)).date()
        with Session(self.engine) as session, session.begin():
            promise = Promise(
                team_id=TEAM, client_id=client_id, what="Send the plan", due_on=due_on, owner_id="UALICE",
                created_by="UALICE", created_at=self.days_ago(max(due_days_ago, 0) + 20),
                done_at=None if done_days_ago is None else self.days_ago(done_days_ago),
            )  # fmt: skip
            session.add(promise)
            session.flush()
            if moved_days_ago is not None:
                session.add(ClientEvent(team_id=TEAM, client_id=client_id, promise_id=promise.id,
                                        kind=Kind.PROMISE_MOVED, actor_id="UALICE", at=self.days_ago(moved_days_ago),
                                        data={"old": due_on.isoformat(), "new": due_on.isoformat()}))  # fmt: skip
            return promise.id

    def message(
        self, client_id: int, *, days_ago: float, wait_days: float = 1, answered_days_ago: float | None = None
    ) -> None:
        """A client's message that many days ago, due `wait_days` later, answered then (None: never)."""
        self._messages += 1
        at = self.days_ago(days_ago)
        with Session(self.engine) as session, session.begin():
            session.add(ChannelMessage(
                team_id=TEAM, client_id=client_id, channel_id=f"C{client_id:05d}", ts=f"{self._messages}.000100",
                user_id="UGUEST", at=at, deleted=False, processed_at=at, side=Author.CLIENT,
                due_at=at + timedelta(days=wait_days),
                answered_at=None if answered_days_ago is None else self.days_ago(answered_days_ago),
            ))  # fmt: skip

    def survey(self, client_id: int, *, days_ago: float, client: int, team: int, answered_days_ago: float = 0) -> int:
        """A survey sent that many days ago, each item rated `client` by the client and `team` by the team."""
        sent = self.days_ago(days_ago)
        answered = self.days_ago(answered_days_ago) if answered_days_ago else sent + timedelta(days=1)
        with Session(self.engine) as session, session.begin():
            questions = session.scalar(select(QuestionSet.id).where(QuestionSet.team_id == DEFAULT_SET))
            assert questions is not None
            survey = Survey(
                team_id=TEAM, client_id=client_id, project="Website", requester_id="UALICE", question_set_id=questions,
                created_at=sent, completed_at=answered, closed_at=answered,
            )  # fmt: skip
            session.add(survey)
            session.flush()
            for user, side, rating in (("UGUEST", Side.CLIENT, client), ("UALICE", Side.TEAM, team)):
                person = SurveyParticipant(team_id=TEAM, survey_id=survey.id, user_id=user, side=side,
                                           invited_via="dm", answered_at=answered)  # fmt: skip
                session.add(person)
                session.flush()
                rate = {"team_id": TEAM, "survey_id": survey.id, "participant_id": person.id, "rating": rating}
                session.add_all(SurveyAnswer(**rate, question_set_id=questions, item=item) for item in ITEMS)
            return survey.id
