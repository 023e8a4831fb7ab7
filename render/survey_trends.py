"""`/client surveys <client>` (its surveys, each item's scores across them, whether fixes worked) and
`/client surveys all` (the workspace's averages per item and per team member, with a chart)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from domain.survey_trends import (
    ClientTrends,
    FixOutcome,
    ItemAverage,
    ItemTrend,
    MemberAverage,
    Outcome,
    WorkspaceTrends,
)
from domain.surveys import Side
from render.blocks import Message, context, section, sections
from render.formats import mention, number, one_line
from render.i18n import _, n_
from render.surveys import bar, decimal, no_surveys, question_words, survey_line

SURVEYS_MAX = 30  # newest surveys listed
POINTS_MAX = 10  # newest scores per item
FIXES_MAX = 15  # newest fixes
MEMBERS_MAX = 25  # team members listed (and charted)


def score(value: float | None) -> str:
    """2, 2.5, 3.3 (2,5 in Polish): a score as short as it can be; n/a for none."""
    return _("n/a") if value is None else number(value, 1)


def outcome_text(outcome: Outcome) -> str:
    """Whether a fix worked: better, worse, the same."""
    if outcome is Outcome.BETTER:
        return _(":white_check_mark: better")
    if outcome is Outcome.WORSE:
        return _(":x: worse")
    return _(":heavy_minus_sign: the same")


def more(count: int) -> str:
    """What a list leaves out: `and 3 more`."""
    return n_("and {count} more", "and {count} more", count)


def client_surveys(trends: ClientTrends, *, client_name: str, tz: str | None, today: date) -> Message:
    """The client's surveys (newest first), then each item's scores across them, then how each fix did."""
    if not trends.results:
        return no_surveys(client_name)
    newest = list(reversed(trends.results))
    lines = [survey_line(r, tz=tz, today=today, with_client=False) for r in newest[:SURVEYS_MAX]]
    lines += [more(len(newest) - SURVEYS_MAX)] if len(newest) > SURVEYS_MAX else []
    heading = _("*Surveys*")
    blocks: list[Block] = sections(lines, heading=heading)
    scored = [t for t in trends.items if t.points]
    if scored:
        blocks += sections([_trend_line(t) for t in scored], heading=_("*Scores across surveys* (oldest first)"))
    if trends.fixes:
        fixes = [fix_line(f) for f in reversed(trends.fixes)]
        fixes = fixes[:FIXES_MAX] + ([more(len(fixes) - FIXES_MAX)] if len(fixes) > FIXES_MAX else [])
        blocks += sections(fixes, heading=_("*Did the fixes work?* (newest first)"))
    return Message(text=heading + "\n" + "\n".join(lines), blocks=blocks)


def _trend_line(trend: ItemTrend) -> str:
    points = trend.points[-POINTS_MAX:]
    earlier = "… " if len(trend.points) > POINTS_MAX else ""
    client = earlier + " → ".join(score(p.client) for p in points)
    team = earlier + " → ".join(score(p.team) for p in points)
    return _("*{item}*: client {client} · team {team}", item=question_words(trend.label), client=client, team=team)


def fix_line(fix: FixOutcome) -> str:
    """`Keeping promised dates: 2 → 4 after the fix 'weekly status on Mondays'`, and whether that is better."""
    named = {
        "item": question_words(fix.label),
        "before": score(fix.before),
        "what": one_line(fix.fix, 150),
        "project": fix.project,
    }
    team = fix.side == Side.TEAM
    if fix.outcome is Outcome.NO_SURVEY_SINCE:
        if team:
            return _("• {item}: {before} in *{project}*, then the fix '{what}': no survey since (the team's scores: "
                     "the client gave none)", **named)  # fmt: skip
        return _("• {item}: {before} in *{project}*, then the fix '{what}': no survey since", **named)
    named |= {"after": score(fix.after), "outcome": outcome_text(fix.outcome), "next": str(fix.next_project)}
    if team:
        return _("• {item}: {before} → {after} after the fix '{what}' (the team's scores: the client gave none): "
                 "{outcome} (*{project}* → *{next}*)", **named)  # fmt: skip
    return _("• {item}: {before} → {after} after the fix '{what}': {outcome} (*{project}* → *{next}*)", **named)


def workspace_surveys(trends: WorkspaceTrends, *, shared: bool, chart_problem: str | None = None) -> Message:
    """Averages per item and per team member over every survey; where the chart went, or why it did not."""
    if not trends.items:
        text = _("No survey answers in this workspace yet. Start a survey with `/client survey`.")
        return Message(text=_("No survey answers yet"), blocks=[section(text)])
    items = [_item_average(i) for i in trends.items]
    members = [_member_average(n, m) for n, m in enumerate(trends.members[:MEMBERS_MAX], 1)]
    if len(trends.members) > MEMBERS_MAX:
        members.append(more(len(trends.members) - MEMBERS_MAX))
    heading = n_("*Survey averages per item* over {count} survey", "*Survey averages per item* over {count} surveys",
                 trends.surveys)  # fmt: skip
    blocks = sections(items, heading=heading)
    blocks += sections(members, heading=_("*Per team member*: their own ratings, and the client's of their surveys"))
    notes = [_("Gap: the team's score minus the client's; two or more is a blind spot.")]
    notes.append(chart_failed(chart_problem, shared) if chart_problem else chart_sent(shared))
    blocks.append(context(*notes))
    return Message(text=heading + "\n" + "\n".join(items), blocks=blocks)


def _item_average(item: ItemAverage) -> str:
    """`*Overall*: client ●●●○○ 3 · team ●●●●○ 4 · gap +1.0 (4 ratings)`."""
    named = {"item": question_words(item.label), "client_bar": bar(item.client), "client": score(item.client),
             "team_bar": bar(item.team), "team": score(item.team), "gap": _gap(item.client, item.team)}  # fmt: skip
    return n_("*{item}*: client {client_bar} {client} · team {team_bar} {team}{gap} ({count} rating)",
              "*{item}*: client {client_bar} {client} · team {team_bar} {team}{gap} ({count} ratings)",
              item.ratings, **named)  # fmt: skip


def _member_average(n: int, member: MemberAverage) -> str:
    """`1. @bob (2 surveys): own 4 · client 3 · gap +1.0`."""
    named = {"n": n, "person": mention(member.user_id), "own": score(member.own), "client": score(member.client),
             "gap": _gap(member.client, member.own)}  # fmt: skip
    return n_("{n}. {person} ({count} survey): own {own} · client {client}{gap}",
              "{n}. {person} ({count} surveys): own {own} · client {client}{gap}", member.surveys, **named)  # fmt: skip


def _gap(client: float | None, team: float | None) -> str:
    return "" if client is None or team is None else " · " + _("gap {gap}", gap=decimal(team - client, "+.1f"))


def chart_sent(shared: bool) -> str:
    if shared:
        return _("The chart is in this channel (team members numbered as here).")
    return _("The chart is in your DM (team members numbered as here).")


def chart_title() -> str:
    return _("Survey averages per item and per team member")


def chart_filename(today: date) -> str:
    return f"rapport-surveys-{today.isoformat()}.png"


def chart_failed(reason: str, shared: bool) -> str:
    if shared:
        return _(":warning: The chart could not be posted in this channel (is rapport a member?): {reason}. The "
                 "averages above are complete.", reason=reason)  # fmt: skip
    return _(":warning: The chart could not be sent to your DM: {reason}. The averages above are complete.",
             reason=reason)  # fmt: skip
