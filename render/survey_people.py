"""How surveys name the people asked: a Slack mention, or the email address of someone outside Slack; and the
personal links of people outside Slack, as the requester is shown them."""

from __future__ import annotations

from domain.survey_links import LinkSent
from domain.survey_results import Comment
from render.formats import mention
from render.i18n import _
from storage.models import SurveyParticipant


def link_lines(links: list[LinkSent]) -> list[str]:
    """Personal links for people outside Slack: always shown to the requester, and whether they were emailed."""
    lines = []
    for link in links:
        if link.emailed:
            lines.append(_("Emailed {address} a personal link (it works once, for 30 days): {url}",
                           address=link.address, url=link.url))  # fmt: skip
        elif link.emailed is None:
            lines.append(_("A personal link for {address} (it works once, for 30 days), to pass on: {url}",
                           address=link.address, url=link.url))  # fmt: skip
        else:
            lines.append(_(":warning: I could not email {address}: please pass their personal link on yourself "
                           "(it works once, for 30 days): {url}", address=link.address, url=link.url))  # fmt: skip
    return lines


def who(person: SurveyParticipant) -> str:
    """A participant as the summary names them: a mention, or the email address of someone outside Slack."""
    return mention(person.user_id) if person.user_id else str(person.email)


def commenter(comment: Comment) -> str:
    """Who commented: a mention, or the email address of someone outside Slack."""
    return mention(comment.user_id) if comment.user_id else str(comment.email)
