"""A workspace with a bit of everything, built through the real app: the exports' tests read it back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from domain.clock import FixedClock
from render.ids import ActionId, BlockId
from tests.channels import message
from tests.driver import SlackDriver
from tests.helpers import Sweeps, add, ask, at, completed_survey, log, nudges, press, press_fix, promise, react


def rich_workspace(slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock) -> None:
    """Two clients with an alias, contacts (by command and from a channel), promises moved and kept, nudges,
    hand-overs by command, a nudge's button and 🙋, a sponsor, a survey with answers and fixes, a channel and its
    messages, people and domains, person settings, a briefing and a digest (T1; T2's client stays out of T1's
    exports)."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    add(slack, '"Acme Corp" key every 2w')
    slack.fake.add_user("UDAN")
    add(slack, "Globex key every 1w owner <@UDAN|dan>")
    ask(slack, "config channel <#CTEAM|team>")
    add(slack, "Initech", team="T2")
    ask(slack, "alias acme Roadrunner")
    log(slack, "acme called about the invoice")
    ask(slack, "channel acme <#CACME> text on")
    message(slack, at(22, 10), user="UCLIENT", channel="CACME", text="when is the launch?", team="TCLIENT")
    message(slack, at(22, 11), user="UBOB", channel="CACME", text="=next week")
    message(slack, at(22, 12), user="UCLIENT", channel="CACME", text="and the invoice?", team="TCLIENT")  # unanswered
    ask(slack, "person acme <@UCLIENT|jo>")
    ask(slack, "person acme pat@acme.com Pat Smith")
    ask(slack, "domain acme acme.com acme.de")
    ask(slack, "sponsor acme <@UCAROL|carol> every 6w")
    ask(slack, "config me briefing 09:00")
    ask(slack, "config digest <@UALICE|alice> mon 09:00")
    moved = promise(slack, session, "acme send the revised quote by tue 24 nov")
    kept = promise(slack, session, "acme call back by fri 27 nov")
    sweeps.at(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # slips and reminders, as nudges
    slip = next(n for n in nudges(session) if n.kind == "slip" and n.target_id == moved)
    press(slack, slip, ActionId.NUDGE_NEW_DATE, selected_date="2026-12-02")
    ask(slack, f"done {kept}")
    survey = completed_survey(slack, session)
    _decide_fixes(slack, survey)
    ask(slack, "owner acme <@UBOB|bob>")  # a hand-over by command
    slack.fake.add_user("UDAN", deleted=True)  # Globex's owner left: its quiet nudge goes to the team channel
    clock.set(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))  # Monday: the digest too
    sweeps.at(clock.now())
    quiet = next(n for n in nudges(session) if n.kind == "quiet" and n.channel_id != "CTEAM")  # Acme's, to UBOB
    press(slack, quiet, ActionId.NUDGE_HAND_OVER, selected_user="UCAROL", user="UBOB")  # by button
    orphaned = next(n for n in nudges(session) if n.kind == "quiet" and n.channel_id == "CTEAM")
    react(slack, orphaned, "raising_hand", user="UALICE")  # and by 🙋, in the team channel
    ask(slack, "digest")
    log(slack, "globex lunch with their CFO", user="UBOB")


def _decide_fixes(slack: SlackDriver, survey: object) -> None:
    view = press_fix(slack, survey, "informed", ActionId.SURVEY_PLAN_FIX)  # type: ignore[arg-type]
    slack.view_submission(view, {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "weekly status on Mondays"}},
        BlockId.FIX_OWNER: {ActionId.FIX_OWNER: {"type": "users_select", "selected_user": "UBOB"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-12-04"}},
    })  # fmt: skip
    view = press_fix(slack, survey, "dates", ActionId.SURVEY_NO_FIX)  # type: ignore[arg-type]
    slack.view_submission(view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "scope"}}})
