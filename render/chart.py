"""Charts as PNGs drawn with matplotlib: the digest's (key clients' health and contacts per week) and the
survey averages' (per item and per team member).

matplotlib's object API with the Agg canvas: no display, no pyplot state shared between threads (sweeps and
`/client digest` draw at the same time).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from babel.dates import format_date
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from domain.digest import ChartSeries
from domain.languages import Language
from render.formats import unescape
from render.i18n import _, current, locale

BANDS = ((0, 50, "#f8d7da"), (50, 75, "#fff3cd"), (75, 100, "#d4edda"))  # red, yellow, green (render/health's)
DPI = 100


def digest_chart(series: Sequence[ChartSeries]) -> bytes:
    """A PNG: health (0-100, over the bands) above, contacts per week below, one line per key client."""
    figure = Figure(figsize=(9, 6.5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    health, contacts = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    for low, high, colour in BANDS:
        health.axhspan(low, high, color=colour, zorder=0)
    weeks = len(series[0].contacts) if series else 0
    positions = list(range(weeks))
    width = 0.8 / max(1, len(series))
    for index, one in enumerate(series):
        label = _label(one.name)
        line = health.plot(
            positions[len(positions) - len(one.health) :], one.health, marker="o", linewidth=2, label=label
        )
        shift = (index - (len(series) - 1) / 2) * width  # grouped bars, one per client, in its line's colour
        contacts.bar([p + shift for p in positions], one.contacts, width=width, color=line[0].get_color())
    health.set_ylim(0, 100)
    health.set_ylabel(_("Health"))
    health.set_title(_("Key clients: health and contacts per week, last 12 weeks"))
    contacts.set_ylabel(_("Contacts"))
    contacts.set_ylim(bottom=0)
    contacts.yaxis.get_major_locator().set_params(integer=True)
    if series:
        contacts.set_xticks(positions, [_tick(d) for d in series[0].weeks], rotation=45, ha="right")
        health.legend(loc="lower left", fontsize="small", ncols=min(3, len(series)))
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _tick(day: date) -> str:
    """A week's label under the bars: `30 Nov` (`30 lis`, `30 нояб.`)."""
    if current() is Language.EN:  # as English charts have always read, whatever Babel's data says
        return f"{day.day} {day:%b}"
    return format_date(day, "d MMM", locale=locale())


def _label(name: str) -> str:
    """A client's name as plain text; a `$` would start matplotlib's math mode."""
    return unescape(name).replace("$", r"\$")


def survey_chart(items: Sequence[tuple[str, float | None, float | None]],
                 members: Sequence[tuple[str, float | None, float | None]]) -> bytes:  # fmt: skip
    """A PNG: the client's and the team's average per item above, per team member (numbered) below."""
    figure = Figure(figsize=(9, 3 + 0.35 * (len(items) + len(members))), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    by_item, by_member = figure.subplots(2, 1, height_ratios=(max(1, len(items)), max(1, len(members))))
    _paired_bars(by_item, items, (_("Client"), _("Team")))
    by_item.set_title(_("Survey averages (1 poor, 5 excellent)"))
    _paired_bars(by_member, members, (_("Client, on their surveys"), _("Their own ratings")))
    by_member.set_title(_("Per team member (numbered as in the message)"))
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _paired_bars(axes: Axes, rows: Sequence[tuple[str, float | None, float | None]], names: tuple[str, str]) -> None:
    """Two horizontal bars per row (a missing score draws none), top row first, on a 0-5 scale."""
    positions = list(range(len(rows)))
    for shift, values, name in ((-0.2, [r[1] for r in rows], names[0]), (0.2, [r[2] for r in rows], names[1])):
        axes.barh([p + shift for p in positions], [v or 0.0 for v in values], height=0.4, label=name)
    axes.set_yticks(positions, [_label(row[0]) for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 5)
    if rows:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")  # outside: bars reach 5
