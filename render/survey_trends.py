"""`/client surveys <client>` (its surveys, each item's scores across them, whether fixes worked) and
`/client surveys all` (the workspace's averages per item and per team member, with a chart)."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import Block

from domain.survey_trends import ClientTrends, FixOutcome, ItemTrend, Outcome, WorkspaceTrends
from domain.surveys import Side
from render.blocks import Message, context, section, sections
from render.formats import mention, one_line, plural
from render.surveys import bar, survey_line

SURVEYS_MAX = 30  # newest surveys listed
POINTS_MAX = 10  # newest scores per item
FIXES_MAX = 15  # newest fixes
MEMBERS_MAX = 25  # team members listed (and charted)
OUTCOMES = {
    Outcome.BETTER: ":white_check_mark: better",
    Outcome.WORSE: ":x: worse",
    Outcome.SAME: ":heavy_minus_sign: the same",
}


def number(score: float | None) -> str:
    """2, 2.5, 3.3: a score as short as it can be; n/a for none."""
    return "n/a" if score is None else f"{score:.1f}".removesuffix(".0")


def client_surveys(trends: ClientTrends, *, client_name: str, tz: str | None, today: date) -> Message:
    """The client's surveys (newest first), then each item's scores across them, then how each fix did."""
    if not trends.results:
        text = f"No surveys for *{client_name}* yet. Start one with `/client survey`."
        return Message(text="No surveys", blocks=[section(text)])
    newest = list(reversed(trends.results))
    lines = [survey_line(r, tz=tz, today=today, with_client=False) for r in newest[:SURVEYS_MAX]]
    lines += [f"and {len(newest) - SURVEYS_MAX} more"] if len(newest) > SURVEYS_MAX else []
    blocks: list[Block] = sections(lines, heading="*Surveys*")
    scored = [t for t in trends.items if t.points]
    if scored:
        blocks += sections([_trend_line(t) for t in scored], heading="*Scores across surveys* (oldest first)")
    if trends.fixes:
        fixes = [fix_line(f) for f in reversed(trends.fixes)]
        fixes = fixes[:FIXES_MAX] + ([f"and {len(fixes) - FIXES_MAX} more"] if len(fixes) > FIXES_MAX else [])
        blocks += sections(fixes, heading="*Did the fixes work?* (newest first)")
    return Message(text="*Surveys*\n" + "\n".join(lines), blocks=blocks)


def _trend_line(trend: ItemTrend) -> str:
    points = trend.points[-POINTS_MAX:]
    earlier = "… " if len(trend.points) > POINTS_MAX else ""
    client = earlier + " → ".join(number(p.client) for p in points)
    team = earlier + " → ".join(number(p.team) for p in points)
    return f"*{trend.label}*: client {client} · team {team}"


def fix_line(fix: FixOutcome) -> str:
    """`Keeping promised dates: 2 → 4 after the fix 'weekly status on Mondays'`, and whether that is better."""
    what = one_line(fix.fix, 150)
    whose = " (the team's scores: the client gave none)" if fix.side == Side.TEAM else ""
    if fix.outcome is Outcome.NO_SURVEY_SINCE:
        return f"• {fix.label}: {number(fix.before)} in *{fix.project}*, then the fix '{what}': no survey since{whose}"
    return (
        f"• {fix.label}: {number(fix.before)} → {number(fix.after)} after the fix '{what}'{whose}: "
        f"{OUTCOMES[fix.outcome]} (*{fix.project}* → *{fix.next_project}*)"
    )


def workspace_surveys(trends: WorkspaceTrends, *, shared: bool, chart_problem: str | None = None) -> Message:
    """Averages per item and per team member over every survey; where the chart went, or why it did not."""
    if not trends.items:
        text = "No survey answers in this workspace yet. Start a survey with `/client survey`."
        return Message(text="No survey answers yet", blocks=[section(text)])
    items = [
        f"*{i.label}*: client {bar(i.client)} {number(i.client)} · team {bar(i.team)} {number(i.team)}"
        f"{_gap(i.client, i.team)} ({plural(i.ratings, 'rating')})"
        for i in trends.items
    ]
    members = [
        f"{n}. {mention(m.user_id)} ({plural(m.surveys, 'survey')}): own {number(m.own)} · "
        f"client {number(m.client)}{_gap(m.client, m.own)}"
        for n, m in enumerate(trends.members[:MEMBERS_MAX], 1)
    ]
    if len(trends.members) > MEMBERS_MAX:
        members.append(f"and {len(trends.members) - MEMBERS_MAX} more")
    heading = f"*Survey averages per item* over {plural(trends.surveys, 'survey')}"
    blocks = sections(items, heading=heading)
    blocks += sections(members, heading="*Per team member*: their own ratings, and the client's of their surveys")
    notes = ["Gap: the team's score minus the client's; two or more is a blind spot."]
    notes.append(chart_failed(chart_problem, shared) if chart_problem else chart_sent(shared))
    blocks.append(context(*notes))
    return Message(text=heading + "\n" + "\n".join(items), blocks=blocks)


def _gap(client: float | None, team: float | None) -> str:
    return "" if client is None or team is None else f" · gap {team - client:+.1f}"


def chart_sent(shared: bool) -> str:
    where = "in this channel" if shared else "in your DM"
    return f"The chart is {where} (team members numbered as here)."


def chart_title() -> str:
    return "Survey averages per item and per team member"


def chart_filename(today: date) -> str:
    return f"rapport-surveys-{today.isoformat()}.png"


def chart_failed(reason: str, shared: bool) -> str:
    where = "posted in this channel (is rapport a member?)" if shared else "sent to your DM"
    return f":warning: The chart could not be {where}: {reason}. The averages above are complete."
