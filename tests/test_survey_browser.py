"""The survey page in a real browser: Debian's chromium, headless, driven by Playwright, JavaScript off.

On a phone-sized screen a client contact sends a 2 without saying why, reads the error next to that field with
every answer typed so far still there, says why, and is thanked; the link then says "already answered"; the
answers are stored and the requester's summary arrives in (the fake) Slack. A desktop-sized screen works too.

Without chromium the tests skip, saying so; with CI=true they fail instead (CI installs it: .ci/run).
`SURVEY_SCREENSHOTS=docs` saves the README's screenshots (phone 390 px, desktop 1280 px) there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from fakes.slack import FakeSlack
from storage.models import SurveyAnswer
from tests.driver import SlackDriver
from tests.helpers import answer_survey as answer_in_slack
from tests.helpers import blocks_text, posts, rated
from tests.helpers import the_survey as _survey
from tests.survey_page import outsider, page_settings, start_with_email

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return page_settings(fake_slack, database_url)


@pytest.fixture(scope="module")
def browser() -> Iterator[playwright.Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must test the survey page in a browser: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"the survey page's browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright.sync_playwright() as driver:
        found = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield found
        found.close()


def _page(browser: playwright.Browser, viewport: dict[str, int], **options: object) -> playwright.Page:
    context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="en-US", **options)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _screenshot(page: playwright.Page, name: str) -> None:
    folder = os.environ.get("SURVEY_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _question(page: playwright.Page, text: str) -> playwright.Locator:
    """A question's fieldset, found as a screen reader finds it: the group its legend names."""
    return page.get_by_role("group", name=text)


def test_on_a_phone_a_missing_why_is_shown_by_the_field_and_nothing_typed_is_lost(
    slack: SlackDriver, session: Session, acme: None, browser: playwright.Browser
) -> None:
    token = start_with_email(slack)
    answer_in_slack(slack, _survey(session).id, "UBOB", {**rated(4), "dates": 5})  # the team first
    page = _page(browser, PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{slack.url}/survey/{token}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone
    _question(page, "How well did we keep you informed?").get_by_role("radio", name="5 excellent").check()
    _question(page, "How well did we keep the dates we promised?").get_by_role("radio", name="2").check()
    _question(page, "How good was the result?").get_by_role("radio", name="4").check()
    _question(page, "How well did we understand your priorities?").get_by_role("radio", name="3 fine").check()
    _question(page, "Overall, how happy are you with our work?").get_by_role("radio", name="4").check()
    page.get_by_label("Why?").nth(2).fill("solid, thank you")  # the third question's comment
    page.get_by_role("button", name="Send my answers").click()

    why = page.locator("#comment-dates")
    error = page.locator("#comment-error-dates")
    assert error.is_visible() and "A 1 or 2 needs a word on why" in error.inner_text()
    assert why.get_attribute("aria-invalid") == "true"
    assert "comment-error-dates" in str(why.get_attribute("aria-describedby"))
    assert page.get_by_role("alert").get_by_role("link").inner_text().startswith("How well did we keep the dates")
    _screenshot(page, "survey-page-phone.png")
    for checked in ("informed-5", "dates-2", "quality-4", "priorities-3", "overall-4"):
        assert page.locator(f"#rating-{checked}").is_checked(), checked
    assert page.locator("#comment-quality").input_value() == "solid, thank you"
    assert session.scalars(select(SurveyAnswer).where(SurveyAnswer.participant_id == outsider(session).id)).all() == []

    page.get_by_role("alert").get_by_role("link").click()  # the summary's link takes one to the field
    assert page.url.endswith("#comment-dates")
    why.fill("the launch moved twice")
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you!").is_visible()

    page.goto(f"{slack.url}/survey/{token}")  # the link again: used
    assert page.get_by_role("heading", name="Already answered").is_visible()
    session.expire_all()
    stored = {a.item: (a.rating, a.comment) for a in session.scalars(select(SurveyAnswer))
              if a.participant_id == outsider(session).id}  # fmt: skip
    assert stored == {"informed": (5, None), "dates": (2, "the launch moved twice"), "quality": (4, "solid, thank you"),
                      "priorities": (3, None), "overall": (4, None)}  # fmt: skip
    summary = blocks_text([c for c in posts(slack.fake) if c.params["channel"] == "UALICE"][-1])
    assert "> 2 from the client (jo@acme.com): “the launch moved twice”" in summary
    assert "*Keeping promised dates* :warning: *blind spot*" in summary  # the team gave itself a 5
    page.context.close()


def test_on_a_desktop_screen_too(slack: SlackDriver, session: Session, acme: None, browser: playwright.Browser) -> None:
    token = start_with_email(slack, 'survey acme "Website relaunch" team <@UBOB> client jo@acme.com lang pl')
    page = _page(browser, DESKTOP)
    page.goto(f"{slack.url}/survey/{token}")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert _question(page, "Jak dobrze informowaliśmy Cię na bieżąco?").is_visible()  # the default questions too
    _screenshot(page, "survey-page-desktop.png")
    for group in page.get_by_role("group").all():
        group.get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Wyślij odpowiedzi").click()
    assert page.get_by_role("heading", name="Dziękujemy!").is_visible()
    assert outsider(session).answered_at is not None
    page.context.close()
