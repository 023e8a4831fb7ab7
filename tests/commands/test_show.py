"""`/client show`: one client's whole story, its promises slipped, open and kept, its last contacts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from domain.clock import FixedClock
from tests.channels import message
from tests.driver import SlackDriver
from tests.helpers import add, ask, at, log, nothing_changes, promise


def test_show_tells_the_whole_story(slack: SlackDriver, session: Session, clock: FixedClock) -> None:
    add(slack, '"Acme Corp" key every 3w owner <@UBOB>')
    ask(slack, "alias acme Roadrunner")
    log(slack, "acme kick-off call")
    clock.set(at(23))
    log(slack, "acme sent the proposal", user="UCAROL", channel="CACME")
    quote = promise(slack, session, "acme send the revised quote by friday")
    with nothing_changes(session):
        reply = ask(slack, "show ACME")
    assert reply == "\n".join(
        [
            "Acme Corp",
            "*Health:* :large_green_circle: 100, green",
            "*Owner:* <@UBOB>",
            "*Key client:* yes",
            "*Cadence:* every 3 weeks",
            "*Contacts:* 2",
            "*Also known as:* Roadrunner",
            "*Reply time:* 1 working day (default)",
            "*Open promises*",
            f"\u2022 #{quote} \u201csend the revised quote\u201d by Fri 27 Nov, <@UBOB>",
            "*Last contacts* (2 of 2)",
            "\u2022 Mon 23 Nov 10:00, <@UCAROL> in <#CACME>: \u201csent the proposal\u201d",
            "\u2022 Sun 22 Nov 10:00, <@UALICE> in <#CGENERAL>: \u201ckick-off call\u201d",
            "Added Sun 22 Nov by <@UALICE>",
        ]
    )


def test_show_a_client_with_no_history(slack: SlackDriver, plain_acme: None) -> None:
    reply = ask(slack, 'show "Acme Corp"')
    assert "*Owner:* <@UALICE>\n*Key client:* no\n*Cadence:* no cadence\n*Contacts:* 0" in reply
    assert "No contacts yet. `/client log Acme Corp <note>` records one." in reply
    assert "promises" not in reply.lower()


def test_show_slipped_and_kept_promises(
    slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None
) -> None:
    quote = promise(slack, session, "acme send the revised quote by friday")
    deck = promise(slack, session, "acme share the deck by tomorrow")
    visit = promise(slack, session, "acme plan the visit by 2026-12-10")
    ask(slack, f"done {deck}")
    clock.set(at(30))
    reply = ask(slack, "show acme")
    assert (
        ":rotating_light: *Slipped promises*\n"
        f"\u2022 #{quote} \u201csend the revised quote\u201d by Fri 27 Nov, <@UALICE>: 3 days late"
    ) in reply
    assert f"*Open promises*\n\u2022 #{visit} \u201cplan the visit\u201d by Thu 10 Dec, <@UALICE>" in reply
    assert (
        f"*Kept promises*\n\u2022 #{deck} \u201cshare the deck\u201d by Mon 23 Nov, <@UALICE>: "
        "kept Sun 22 Nov by <@UALICE>"
    ) in reply
    # A slipped promise is neither open nor kept.
    assert reply.count(f"#{quote} ") == 1


def test_show_counts_one_day_late(slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None) -> None:
    number = promise(slack, session, "acme call back by tomorrow")
    clock.set(at(24))
    assert f"#{number} \u201ccall back\u201d by Mon 23 Nov, <@UALICE>: 1 day late" in ask(slack, "show acme")


def test_show_lists_the_last_ten_contacts_newest_first(slack: SlackDriver, clock: FixedClock, plain_acme: None) -> None:
    for day in range(1, 13):
        clock.set(at(day, month=12))
        log(slack, f"acme call number {day}")
    reply = ask(slack, "show acme")
    assert "*Contacts:* 12" in reply
    assert (
        "*Last contacts* (10 of 12)\n\u2022 Sat 12 Dec 10:00, <@UALICE> in <#CGENERAL>: \u201ccall number 12\u201d"
        in reply
    )
    assert "call number 3\u201d" in reply
    assert "call number 2\u201d" not in reply


def test_show_lists_channels_people_reply_time_and_the_messages_waiting_for_us(
    slack: SlackDriver, session: Session, clock: FixedClock, acme: None
) -> None:
    slack.fake.private.add("GSECRET")
    slack.fake.add_user("UGUEST", is_restricted=True)
    ask(slack, "channel acme <#CACME|acme-shared> text on")
    ask(slack, "channel acme <#GSECRET|acme-private>")
    ask(slack, "channel acme <#CMORE|acme-more>")
    ask(slack, "person acme <@UGUEST|guest>")
    ask(slack, "reply acme 4h")
    monday = at(23, 8)  # 09:00 in Warsaw
    clock.set(at(23, 11))
    ours = message(slack, monday, user="UBOB", text="the quote is on its way")
    message(slack, monday + timedelta(minutes=30), user="UCAROL", channel="CMORE", text="not kept")
    theirs = message(slack, monday + timedelta(hours=1), user="UCLIENT", team="TCLIENT", text="any news?")
    asked = message(slack, monday + timedelta(hours=2), user="UGUEST", channel="CMORE", text="not kept either")
    reply = ask(slack, "show acme")
    link = "https://acme.slack.com/archives/{}/p{}"
    assert (
        "*Channels:* <#CACME> (keeps text), <#GSECRET> (waiting for an invitation), <#CMORE>\n"
        "*People:* <@UGUEST>\n"
        "*Reply time:* 4 working hours\n"
        ":hourglass: *Waiting for our answer*\n"
        f"\u2022 <@UCLIENT> in <#CACME>, Mon 23 Nov 10:00: \u201cany news?\u201d "
        f"<{link.format('CACME', theirs.replace('.', ''))}|(message)>\n"
        f"\u2022 <@UGUEST> in <#CMORE>, Mon 23 Nov 11:00 <{link.format('CMORE', asked.replace('.', ''))}|(message)>\n"
    ) in reply
    assert (
        f"*Last contacts* (3 of 3)\n\u2022 Mon 23 Nov 09:30, <@UCAROL> in <#CMORE> <{link.format('CMORE', '')}"
    ) in reply
    assert (
        f"\u2022 Mon 23 Nov 09:00, <@UBOB> in <#CACME>: \u201cthe quote is on its way\u201d "
        f"<{link.format('CACME', ours.replace('.', ''))}|(message)>"
    ) in reply


def test_show_says_when_there_is_no_reply_time(slack: SlackDriver, plain_acme: None) -> None:
    ask(slack, "reply acme off")
    reply = ask(slack, "show acme")
    assert "*Reply time:* off" in reply
    assert "*Channels:*" not in reply and "*People:*" not in reply and "Waiting" not in reply


# people, domains, and whom we talk to --------------------------------------------------------------------------

ONE_WE_KNOW = (
    ":warning: {} is the only person we know at *Acme Corp*: if they leave, we could lose the client. Get to know "
    "someone else there, and add them with `/client person Acme Corp …`."
)
ONE_WE_TALK_WITH = (
    ":warning: {} is the only person at *Acme Corp* we talked with in the last 90 days: if they leave, we could lose "
    "the client. Get to know someone else there, and add them with `/client person Acme Corp …`."
)


def test_show_lists_people_and_domains(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    slack.fake.add_user("UGUEST", is_restricted=True)
    ask(slack, "person acme <@UGUEST>")
    ask(slack, "person acme jo@acme.com Jo Smith")
    ask(slack, "person acme pat@müller.de")
    ask(slack, "domain acme acme.com müller.de")
    with nothing_changes(session):
        reply = ask(slack, "show acme")
    assert (
        "*People:* <@UGUEST>, Jo Smith (jo@acme.com), pat@müller.de\n*Domains:* acme.com, müller.de\n"
        "*Reply time:* 1 working day (default)"
    ) in reply
    assert ":warning:" not in reply  # not a key client


def test_a_key_client_we_know_through_one_person_warns(slack: SlackDriver, session: Session, acme: None) -> None:
    assert ":warning:" not in ask(slack, "show acme")  # nobody known: nothing to warn about
    ask(slack, "domain acme acme.com")
    assert ":warning:" not in ask(slack, "show acme")  # a domain is no person
    ask(slack, "person acme jo@acme.com Jo Smith")
    assert ONE_WE_KNOW.format("Jo Smith (jo@acme.com)") in ask(slack, "show acme")
    ask(slack, "person acme <@UCLIENT|jo>")
    assert ":warning:" not in ask(slack, "show acme")
    ask(slack, "person acme off jo smith")
    assert ONE_WE_KNOW.format("<@UCLIENT>") in ask(slack, "show acme")
    ask(slack, "key acme off")
    assert ":warning:" not in ask(slack, "show acme")


def test_whom_we_talked_with_in_the_last_90_days_decides(
    slack: SlackDriver, session: Session, clock: FixedClock, acme: None
) -> None:
    slack.fake.add_user("UGUEST", is_restricted=True)
    ask(slack, "channel acme <#CACME|acme-shared>")
    ask(slack, "person acme <@UGUEST>")
    ask(slack, "person acme jo@acme.com Jo")  # two listed people, and a Slack Connect member who is not listed
    clock.set(at(23, 11))
    message(slack, at(23, 9), user="UCLIENT", team="TCLIENT", text="any news?")
    message(slack, at(23, 10), user="UBOB", text="on its way")  # the team's own messages say nothing of this
    assert ONE_WE_TALK_WITH.format("<@UCLIENT>") in ask(slack, "show acme")
    message(slack, at(23, 10) + timedelta(minutes=30), user="UGUEST", text="thanks!")
    assert ":warning:" not in ask(slack, "show acme")
    clock.set(at(23, 11) + timedelta(days=91))  # the history is older than 90 days: the listed people stand in
    assert ":warning:" not in ask(slack, "show acme")
    ask(slack, "person acme off <@UGUEST>")
    assert ONE_WE_KNOW.format("Jo (jo@acme.com)") in ask(slack, "show acme")
