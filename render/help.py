"""Usage texts for `/client` and each subcommand.

The command syntax stays English whatever the language (command keywords are English); what explains it is
translated. The texts are marked with `N_` and translated when read from their mapping, so the mappings can be
built at import time and still answer each reader in their language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from slack_sdk.models.blocks import Block

from domain.commands import Subcommand
from render.blocks import sections
from render.i18n import N_, _


class Texts(Mapping[Subcommand, str]):
    """A subcommand's text in the language in effect when it is read (texts without words read as written)."""

    def __init__(self, texts: dict[Subcommand, str]) -> None:
        self._texts = texts

    def __getitem__(self, subcommand: Subcommand) -> str:
        return _(self._texts[subcommand])

    def __iter__(self) -> Iterator[Subcommand]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


USAGE = Texts(
    {
        Subcommand.ADD: "`/client add <name> [key] [every <N>d|<N>w] [owner @someone]`",
        Subcommand.LOG: N_("`/client log <client> <note>` (or `<date>: <note>` for an earlier day)"),
        Subcommand.LIST: "`/client list [mine|key|quiet|risk]`",
        Subcommand.SHOW: "`/client show <client>`",
        Subcommand.KEY: "`/client key <client> on|off`",
        Subcommand.CADENCE: "`/client cadence <client> <N>d|<N>w|off`",
        Subcommand.OWNER: "`/client owner <client> @someone`",
        Subcommand.SPONSOR: N_("`/client sponsor <client> @someone every <N>d|<N>w` or `/client sponsor <client> off`"),
        Subcommand.PROMISE: "`/client promise <client> <what> by <date>`",
        Subcommand.DONE: "`/client done <promise number>`",
        Subcommand.EXPORT: "`/client export [client]`",
        Subcommand.ALIAS: "`/client alias <client> <other name>`",
        Subcommand.UNALIAS: "`/client unalias <client> <other name>`",
        Subcommand.SURVEY: (
            "`/client survey <client> <project> team @someone [@…] client @someone|address [lang en|pl|ru] […]`"
        ),
        Subcommand.SURVEYS: "`/client surveys [client|all] [share]`",
        Subcommand.DIGEST: "`/client digest`",
        Subcommand.CHANNEL: N_(
            "`/client channel <client> #channel [text on|off]` or `/client channel <client> off [#channel]`"
        ),
        Subcommand.PERSON: "`/client person <client> [off] @someone|jo@acme.com [name]`",
        Subcommand.DOMAIN: "`/client domain <client> [off] acme.com [more.com …]`",
        Subcommand.REPLY: "`/client reply <client> <N>h|<N>d|off`",
        Subcommand.CALENDAR: "`/client calendar <https URL>|off|titles|brief on|off`",
        Subcommand.AWAY: N_("`/client away until <date> @backup` or `/client away off`"),
        Subcommand.CONFIG: N_(
            "`/client config [channel #channel|off] [hours 09:00-17:00] [days mon-fri] [digest @a @b [mon 09:00]|off] "
            "[holidays PL|US-CA|off] [language en|pl|ru|off]` or "
            "`/client config me [briefing 09:00|off] [holidays US|off] [language en|pl|ru|off]`"
        ),
        Subcommand.HELP: "`/client help [subcommand]`",
    }
)

EXAMPLES = Texts(
    {
        Subcommand.ADD: '`/client add "Acme Corp" key every 2w owner @dana`',
        Subcommand.LOG: N_("`/client log acme yesterday: called about the invoice, they want it split in two`"),
        Subcommand.LIST: "`/client list quiet`",
        Subcommand.SHOW: "`/client show acme`",
        Subcommand.KEY: "`/client key acme on`",
        Subcommand.CADENCE: "`/client cadence acme 3w`",
        Subcommand.OWNER: "`/client owner acme @sam`",
        Subcommand.SPONSOR: "`/client sponsor acme @dana every 6w`",
        Subcommand.PROMISE: N_("`/client promise acme send the revised quote by friday`"),
        Subcommand.DONE: "`/client done 12`",
        Subcommand.EXPORT: "`/client export acme`",
        Subcommand.ALIAS: "`/client alias acme ACME Inc`",
        Subcommand.UNALIAS: "`/client unalias acme ACME Inc`",
        Subcommand.SURVEY: N_(
            '`/client survey acme "Website relaunch" team @dana @sam client @jo ann@acme.com lang pl`'
        ),
        Subcommand.SURVEYS: N_("`/client surveys acme` or `/client surveys all share`"),
        Subcommand.DIGEST: "`/client digest`",
        Subcommand.CHANNEL: "`/client channel acme #acme-shared text on`",
        Subcommand.PERSON: "`/client person acme jo@acme.com Jo Smith`",
        Subcommand.DOMAIN: "`/client domain acme acme.com acme.de`",
        Subcommand.REPLY: "`/client reply acme 4h`",
        Subcommand.CALENDAR: "`/client calendar https://calendar.google.com/calendar/ical/…/basic.ics`",
        Subcommand.AWAY: "`/client away until fri 20 nov @lee`",
        Subcommand.CONFIG: N_(
            "`/client config holidays PL`, `/client config language pl` or `/client config me language ru`"
        ),
        Subcommand.HELP: "`/client help promise`",
    }
)

WHAT = Texts(
    {
        Subcommand.ADD: N_("add a client (key clients get a 14-day cadence unless you set one)"),
        Subcommand.LOG: N_("record a contact with a client"),
        Subcommand.LIST: N_("list clients: yours, key ones, those gone quiet, or all by health (worst first)"),
        Subcommand.SHOW: N_("a client's whole story: owner, cadence, contacts, promises, channels"),
        Subcommand.KEY: N_("flag or unflag a key client"),
        Subcommand.CADENCE: N_("how often we mean to talk to a client"),
        Subcommand.OWNER: N_("hand a client over to someone else"),
        Subcommand.SPONSOR: N_("name a client's sponsor (the boss, an account director) with their own cadence"),
        Subcommand.PROMISE: N_("record what we promised a client, and by when"),
        Subcommand.DONE: N_("mark a promise as kept"),
        Subcommand.EXPORT: N_("download a client's whole history as CSV files in a ZIP"),
        Subcommand.ALIAS: N_("let a client be found by another name too"),
        Subcommand.UNALIAS: N_("forget one of a client's other names"),
        Subcommand.SURVEY: N_(
            "after a project, ask the client and the team the same questions by DM (people outside Slack: by a "
            "personal link to a web page)"
        ),
        Subcommand.SURVEYS: N_(
            "surveys and where they stand; a client's: each item's scores across them and whether the fixes worked; "
            "`all`: averages per item and team member, with a chart; `share`: in the channel, not just to you"
        ),
        Subcommand.DIGEST: N_(
            "this week's digest (contacts, quiet clients, promises, health drops, a chart) in your DM"
        ),
        Subcommand.CHANNEL: N_(
            "link or unlink a channel where we talk with the client (its text is kept only if `on`)"
        ),
        Subcommand.PERSON: N_("someone on the client's side: a guest, a Slack Connect member, or an email address"),
        Subcommand.DOMAIN: N_("anyone at an email domain belongs to the client (public ones such as gmail.com: no)"),
        Subcommand.REPLY: N_("how long a client's message may wait for our answer (default: 1 working day)"),
        Subcommand.CALENDAR: N_("meetings in your calendar become contacts"),
        Subcommand.AWAY: N_("while you are away, your nudges, briefings and escalations go to a teammate"),
        Subcommand.CONFIG: N_(
            "the team channel, working hours and public holidays for nudges, who gets the weekly digest and the "
            "language for everyone (alone: show them); `me`: your own settings, such as one briefing a day, your own "
            "country's holidays or your own language"
        ),
        Subcommand.HELP: N_("this help, or help on one subcommand"),
    }
)

NOTES = N_(
    'Client names can be quoted (`"Acme Corp"`), typed as they are, or shortened to an unambiguous start '
    "(`acme`). Dates: `2026-12-01`, `tomorrow`, `friday`, `next week`, `in 3 days`, `20 Dec`, in your time zone. "
    "You can also log a contact from any message: its ⋯ menu → *Log client contact*."
)


def usage(subcommand: Subcommand) -> str:
    """Usage line and example for one subcommand."""
    return "\n".join(
        [_("Usage: {usage}", usage=USAGE[subcommand]), _("Example: {example}", example=EXAMPLES[subcommand])]
    )


def overview() -> str:
    """Every subcommand with one line on what it does."""
    return "\n".join(_overview_lines())


def overview_blocks() -> list[Block]:
    """The overview in as many sections as it takes: it is longer than one section's 3,000 characters."""
    return sections(_overview_lines())


def _overview_lines() -> list[str]:
    last = [Subcommand.HELP]  # the overview ends with how to learn more
    lines = [f"• {USAGE[name]}: {WHAT[name]}" for name in [*(s for s in Subcommand if s not in last), *last]]
    return [_("*rapport* keeps your client relationships healthy."), *lines, _(NOTES)]


SUBCOMMANDS_USAGE_HINT = N_("Type `/client help` to see what I can do.")  # translated where used

assert set(USAGE) == set(EXAMPLES) == set(WHAT) == set(Subcommand), "help covers every subcommand"
