"""Usage texts for `/client` and each subcommand."""

from __future__ import annotations

USAGE = {
    "add": "`/client add <name> [key] [every <N>d|<N>w] [owner @someone]`",
    "log": "`/client log <client> <note>`",
    "list": "`/client list [mine|key|quiet]`",
    "show": "`/client show <client>`",
    "key": "`/client key <client> on|off`",
    "cadence": "`/client cadence <client> <N>d|<N>w|off`",
    "owner": "`/client owner <client> @someone`",
    "promise": "`/client promise <client> <what> by <date>`",
    "done": "`/client done <promise number>`",
    "export": "`/client export [client]`",
    "alias": "`/client alias <client> <other name>`",
    "unalias": "`/client unalias <client> <other name>`",
    "survey": "`/client survey <client> <project> team @someone [@…] client @someone [@…]`",
    "surveys": "`/client surveys [client]`",
    "channel": "`/client channel <client> #channel|off`",
    "config": "`/client config [channel #channel|off] [hours 09:00-17:00] [days mon-fri]`",
    "help": "`/client help [subcommand]`",
}

EXAMPLES = {
    "add": '`/client add "Acme Corp" key every 2w owner @dana`',
    "log": "`/client log acme called about the invoice, they want it split in two`",
    "list": "`/client list quiet`",
    "show": "`/client show acme`",
    "key": "`/client key acme on`",
    "cadence": "`/client cadence acme 3w`",
    "owner": "`/client owner acme @sam`",
    "promise": "`/client promise acme send the revised quote by friday`",
    "done": "`/client done 12`",
    "export": "`/client export acme`",
    "alias": "`/client alias acme ACME Inc`",
    "unalias": "`/client unalias acme ACME Inc`",
    "survey": '`/client survey acme "Website relaunch" team @dana @sam client @jo`',
    "surveys": "`/client surveys acme`",
    "channel": "`/client channel acme #acme-shared`",
    "config": "`/client config hours 08:00-16:00`",
    "help": "`/client help promise`",
}

WHAT = {
    "add": "add a client (key clients get a 14-day cadence unless you set one)",
    "log": "record a contact with a client",
    "list": "list clients: yours, key ones, or those gone quiet",
    "show": "a client's whole story: owner, cadence, contacts, promises",
    "key": "flag or unflag a key client",
    "cadence": "how often we mean to talk to a client",
    "owner": "hand a client over to someone else",
    "promise": "record what we promised a client, and by when",
    "done": "mark a promise as kept",
    "export": "download contacts as CSV",
    "alias": "let a client be found by another name too",
    "unalias": "forget one of a client's other names",
    "survey": "after a project, ask the client and the team the same questions by DM",
    "surveys": "surveys and where they stand (waiting, answered, fixes planned, closed)",
    "channel": "the client's channel, for invitations when a DM is impossible (Slack Connect)",
    "config": "the team channel and working hours for nudges (alone: show them)",
    "help": "this help, or help on one subcommand",
}

NOTES = (
    'Client names can be quoted (`"Acme Corp"`), typed as they are, or shortened to an unambiguous start '
    "(`acme`). Dates: `2026-12-01`, `tomorrow`, `friday`, `next week`, `in 3 days`, `20 Dec`, in your time zone. "
    "You can also log a contact from any message: its ⋯ menu → *Log client contact*."
)


def usage(subcommand: str) -> str:
    """Usage line and example for one subcommand."""
    return f"Usage: {USAGE[subcommand]}\nExample: {EXAMPLES[subcommand]}"


def overview() -> str:
    """Every subcommand with one line on what it does."""
    lines = [f"• {USAGE[name]}: {WHAT[name]}" for name in USAGE]
    return "*rapport* keeps your client relationships healthy.\n" + "\n".join(lines) + "\n" + NOTES


SUBCOMMANDS_USAGE_HINT = "Type `/client help` to see what I can do."
