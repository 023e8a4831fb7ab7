"""Every modal and message stays inside Slack's limits, even with long names and texts (slack_sdk validates), in
every language rapport speaks (Polish and Russian words run longer)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from slack_sdk.models.views import View

from domain.languages import Language
from domain.story import Story
from domain.surveys import Question, Reached, Via
from domain.talking_to import Reach, Someone
from render import surveys
from render.i18n import speaking
from render.replies import Reader, client_story
from render.views import log_contact_modal, nudge_contact_modal
from storage.models import ChannelMessage, Client, ClientChannel, ClientDomain, ClientPerson, Contact

LONG = "x" * 5000


@pytest.fixture(autouse=True, params=list(Language))
def language(request: pytest.FixtureRequest) -> Iterator[Language]:
    with speaking(request.param) as chosen:
        yield chosen


QUESTIONS = [Question(f"k{n}", "L" * 300, "Q" * 3000, "T" * 3000) for n in range(5)]


def _check(view: View) -> dict:
    rendered = view.to_dict()  # raises SlackObjectFormationError past a limit
    assert len(rendered["title"]["text"]) <= 24
    assert len(rendered["blocks"]) <= 100
    return rendered


def test_modals_stay_inside_slacks_limits() -> None:
    _check(log_contact_modal(message_text=LONG, author="UBOB", channel_id="C1", metadata="{}"))
    _check(nudge_contact_modal("{}"))
    _check(surveys.answer_modal(QUESTIONS, side="client", project=LONG, client_name=LONG, requester_id="U1",
                                metadata="{}"))  # fmt: skip
    _check(surveys.fix_modal(label=LONG, requester_id="U1", metadata="{}"))
    _check(surveys.dismiss_modal(label=LONG, metadata="{}"))
    _check(surveys.thanks_view(LONG[:2000]))


def test_invitation_and_started_messages_validate() -> None:
    messages = [
        surveys.invitation(survey_id=1, project=LONG, client_name=LONG, requester_id="U1", side="team"),
        surveys.survey_started(
            survey_id=1,
            project=LONG,
            client_name=LONG,
            reached=[Reached("U1", Via.DM)] * 200,
            unreached=["U2"] * 200,
            created=True,
        ),
    ]
    for message in messages:
        rendered = message.to_dict()  # raises past a limit
        assert len(rendered["text"]) <= 3000
        assert all(len(b["text"]["text"]) <= 3000 for b in rendered["blocks"] if b["type"] == "section")


def test_a_client_story_with_every_channel_person_and_waiting_message_validates(language: Language) -> None:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    client = Client(name="N" * 80, owner_id="U1", is_key=True, cadence_days=14, created_by="U1", created_at=at,
                    reply_time="40h")  # fmt: skip
    link = "https://acme.slack.com/archives/C123/p" + "1" * 400
    story = Story(
        client=client, contact_count=10_000, open_promises=[], slipped_promises=[], kept_promises=[], moves=[],
        events=[], surveys=[],
        contacts=[Contact(user_id="U2", occurred_at=at, channel_id="C123", note="n" * 200, permalink=link,
                          source="channel") for _ in range(10)],
        channels=[ClientChannel(channel_id=f"C{n:010d}", joined=False, keep_text=True) for n in range(500)],
        people=[ClientPerson(user_id=f"U{n:010d}") for n in range(250)]
        + [ClientPerson(email=f"{'j' * 64}{n}@{'a' * 180}.com", name="N" * 80) for n in range(250)],
        domains=[ClientDomain(domain=f"xn--mller-kva{n}.{'d' * 200}.de") for n in range(500)],
        reach=Reach((Someone(email=f"{'j' * 64}@{'a' * 180}.com", name="N" * 80),), from_history=True),
        emails={},
        waiting=[ChannelMessage(user_id="U3", channel_id="C123", at=at, text="t" * 200, permalink=link)
                 for _ in range(10)],
    )  # fmt: skip
    rendered = client_story(story, Reader("U1", "Europe/Warsaw", date(2026, 11, 23))).to_dict()
    assert len(rendered["blocks"]) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in rendered["blocks"] if b["type"] == "section")
    facts = rendered["blocks"][1]["text"]["text"]
    if language is not Language.EN:  # the words differ; what is cut, and where, is the same (checked in English)
        assert "480" in facts and "\n:warning: N" in facts  # "…and 480 more", in the reader's words
        return
    assert "and 480 more\n*People:*" in facts and "more\n*Domains:*" in facts and "\n:warning: N" in facts
    ending = f"and add them with `/client person {'N' * 80} …`.\n*Reply time:* 40 working hours"
    assert facts.endswith(ending)
