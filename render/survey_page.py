"""The survey page and its emails, for client contacts outside Slack: HTML rendered on the server (Jinja2, always
autoescaped), usable without JavaScript, on a phone and with a screen reader.

Every text is a `_()` message here, never in a template, so the catalogues hold them all; templates only lay out.
Render functions translate with the language in effect (`speaking`), and put it in the page's `lang` attribute.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from babel.core import negotiate_locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from domain.commands import Subcommand
from domain.survey_links import LinkState, NoPublicUrl, Opened, UnknownPageLanguage
from domain.surveys import PAGE_LANGUAGES, AnswerProblem
from render.errors import SHOWN_MAX, error_text
from render.help import usage
from render.i18n import _, current
from render.surveys import question_words
from storage.models import NOTE_MAX

TEMPLATES = Path(__file__).with_name("templates")
CSS = (TEMPLATES / "survey.css").read_text(encoding="utf-8")
# The one inline style sheet, allowed by its hash: the page needs no other origin, no script, no frame.
CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
SECURITY_HEADERS = [
    ("Content-Security-Policy", f"default-src 'self'; style-src 'sha256-{CSS_HASH}'; script-src 'none'; "
                                "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("Referrer-Policy", "no-referrer"),  # the link is the key to the page: no other site may learn it
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
]  # fmt: skip

_templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page_language(invited: str | None, accept_language: str | None) -> str:
    """The invitation's language (`lang ru`), else the browser's best one we speak (Accept-Language), else English."""
    if invited in PAGE_LANGUAGES:
        return str(invited)
    found = negotiate_locale(_preferred(accept_language or ""), list(PAGE_LANGUAGES), sep="-")
    return found.split("-")[0].lower() if found else PAGE_LANGUAGES[0]


def _preferred(header: str) -> list[str]:
    """Accept-Language's languages, most wanted first (`pl-PL,pl;q=0.9,en;q=0.5`)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _q, _i, tag in sorted(weighted)]


@dataclass(frozen=True)
class Field:
    """One question of the form as shown: what was typed so far, and what is wrong with it."""

    key: str
    question: str
    rating: str  # "1".."5" or "" (as posted: kept when the page comes back with an error)
    comment: str
    error: str | None
    rating_error: bool


def rating_labels() -> list[tuple[str, str]]:
    """The five choices: value and label."""
    words = {"1": _("poor"), "3": _("fine"), "5": _("excellent")}
    return [(str(n), words.get(str(n), "")) for n in range(1, 6)]


def problem_text(problem: AnswerProblem) -> str:
    """What to do about one answer, next to its field and in the summary at the top."""
    return {
        AnswerProblem.MISSING: _("Pick a rating from 1 to 5."),
        AnswerProblem.NEEDS_COMMENT: _("A 1 or 2 needs a word on why: what should we do so it never happens again?"),
        AnswerProblem.TOO_LONG: _("Please keep it under {limit} characters.", limit=NOTE_MAX),
        AnswerProblem.UNREADABLE: _("This holds an invisible control character we can't store. Type it again without "
                                    "it."),
    }[problem]  # fmt: skip


def survey_form(
    opened: Opened, *, ratings: dict[str, str], comments: dict[str, str], problems: dict[str, AnswerProblem],
    check: str,
) -> str:  # fmt: skip
    """The questions, with what was typed so far and an error next to each field that needs one."""
    fields = [
        Field(
            key=item.key,
            question=question_words(item.text(opened.side)),
            rating=ratings.get(item.key, ""),
            comment=comments.get(item.key, ""),
            error=problem_text(problems[item.key]) if item.key in problems else None,
            rating_error=problems.get(item.key) == AnswerProblem.MISSING,
        )
        for item in opened.items
    ]
    title = _("How did {project} go?", project=opened.project)
    return _page(
        "survey_form.html", title=title, fields=fields, choices=rating_labels(), check=check, note_max=NOTE_MAX,
        intro=_("{client} and our team are asked the same questions about {project}, so we can see what to do "
                "better, not whom to blame. It takes two minutes.", client=opened.client_name,
                project=opened.project),
        scale=_("1 is poor, 5 excellent. For a 1 or 2, please say why: what should we do so it never happens again?"),
        errors_heading=_("Please check these answers"),
        error_prefix=_("Error:"),
        why=_("Why?"),
        why_hint=_("Needed for a 1 or 2; welcome for any rating."),
        send=_("Send my answers"),
        once=_("You can send your answers once."),
    )  # fmt: skip


def thanks_page() -> str:
    """After the answers are stored."""
    return _message_page(_("Thank you!"), _("Your answers are in. Both sides' views go to the team, who decide what to "
                                            "do about them."))  # fmt: skip


def refused_page(state: LinkState) -> str:
    """A link that cannot be answered, and why, in words (nothing was changed)."""
    title, text = {
        LinkState.TAMPERED: (_("This link does not work"), _("The link is not complete or was changed. Open it again "
                             "from the email, or ask the person who sent it for a new one.")),
        LinkState.UNKNOWN: (_("This survey is no longer here"), _("Nobody is asked any more with this link. Thank you "
                            "all the same.")),
        LinkState.EXPIRED: (_("This link has expired"), _("Survey links work for 30 days. Ask the person who sent it "
                            "if you would still like to answer.")),
        LinkState.ANSWERED: (_("Already answered"), _("You have already answered, thank you. Answers can be sent "
                             "once.")),
        LinkState.CLOSED: (_("This survey has closed"), _("The results went out with the answers that came in. Thank "
                           "you all the same.")),
    }[state]  # fmt: skip
    return _message_page(title, text)


def stale_form_page() -> str:
    """A POST that did not come from our form for this link (or lost its hidden field)."""
    return _message_page(_("Please try again"), _("This form could not be read. Open the link again and send your "
                                                  "answers from there."))  # fmt: skip


def not_allowed_page() -> str:
    """Any method but GET and POST."""
    return _message_page(_("Not allowed"), _("This page can only be opened or sent from its form."))


def _message_page(title: str, text: str) -> str:
    return _page("survey_message.html", title=title, text=text)


def _page(template: str, **values: object) -> str:
    return _templates.get_template(template).render(lang=current().value, css=Markup(CSS), brand="rapport", **values)


@dataclass(frozen=True)
class InvitationEmail:
    """A survey invitation by email: the subject, a plain-text part and an HTML part."""

    subject: str
    text: str
    html: str
    language: str


def invitation_email(*, project: str, client_name: str, url: str) -> InvitationEmail:
    """The email with a client contact's personal link, in the language in effect."""
    values = {
        "lang": current().value,
        "greeting": _("Hello,"),
        "ask": _("How did {project} go? We ask {client} and our team the same few questions, so we can see what to do "
                 "better, not whom to blame. It takes two minutes.", project=project, client=client_name),
        "button": _("Answer the survey"),
        "url": url,
        "personal": _("This link is yours alone and works once, for 30 days. No account or password is needed."),
        "thanks": _("Thank you!"),
    }  # fmt: skip
    return InvitationEmail(
        subject=_("How did {project} go?", project=project),
        text=_templates.get_template("survey_email.txt").render(**values),
        html=_templates.get_template("survey_email.html").render(**values),
        language=current().value,
    )


@error_text.register
def _no_public_url(error: NoPublicUrl) -> str:
    return _("People outside Slack answer on the survey page, through a personal link, and links need the app's "
             "public address: ask whoever runs rapport to set `PUBLIC_URL`, or name them with `@`. Nothing was "
             "changed.")  # fmt: skip


@error_text.register
def _unknown_page_language(error: UnknownPageLanguage) -> str:
    typed = error.typed if len(error.typed) <= SHOWN_MAX else error.typed[: SHOWN_MAX - 1] + "…"
    lead = _("*{typed}* is not a language the survey page speaks: use `en`, `pl` or `ru`. Nothing was changed.",
             typed=typed)  # fmt: skip
    return f"{lead}\n{usage(Subcommand.SURVEY)}"
