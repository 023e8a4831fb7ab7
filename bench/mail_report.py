"""bench.mail's figures, as a Markdown table per database and the statements sent most often."""

from __future__ import annotations

from collections import Counter

from bench.mail_run import Figures, median


def rows_of(figures: Figures) -> dict[str, str]:
    sweeps, steady = figures.sweeps, figures.steady
    walls = [s.wall for s in sweeps]
    read = sum(s.read for s in sweeps)
    kept, listed = sum(s.contacts for s in sweeps), sum(s.unmatched for s in sweeps)
    total = sum(walls)
    per_sweep = [s.statements for s in sweeps]
    rows, calls = figures.rows, figures.slack_calls
    return {
        "seeding the workspace, s": f"{figures.seeding:.1f}",
        "sweeps to catch up": f"{len(sweeps)}",
        "sweep wall, s: min / median / max": f"{min(walls):.2f} / {median(walls):.2f} / {max(walls):.2f}",
        "catch-up wall (all sweeps), s": f"{total:.1f}",
        "mails per second, overall": f"{read / total:.0f}" if total else "-",
        "statements per sweep (median) / per mail": f"{median(per_sweep):.0f} / {sum(per_sweep) / max(read, 1):.1f}",
        "SQL execute time (all sweeps), s": f"{sum(s.sql_seconds for s in sweeps):.1f}",
        "mails read": f"{read}",
        "contacts created (emails kept)": f"{rows['contacts (from email)']} ({kept})",
        "unmatched recorded": f"{listed}",
        "duplicates folded": f"{read - kept - listed}",
        "Slack calls: auth.test / users.lookupByEmail": f"{calls['auth.test']} / {calls['users.lookupByEmail']}",
        "rows: emails / email_contacts / unmatched_emails / people":
            f"{rows['emails']} / {rows['email_contacts']} / {rows['unmatched_emails']} / {rows['people']}",
        "RSS, MiB: before the first sweep / after the first / after the last":
            f"{figures.rss_before:.0f} / {sweeps[0].rss_mib:.0f} / {sweeps[-1].rss_mib:.0f}",
        "peak RSS (getrusage), MiB: before the first sweep / after the first / at the end":
            f"{figures.peak_before:.0f} / {sweeps[0].peak_mib:.0f} / {figures.peak_rss:.0f}",
        "steady sweep (no new mail): wall, s (median of 3)": f"{median([s.wall for s in steady]):.3f}",
        "steady sweep: statements": f"{median([s.statements for s in steady]):.0f}",
        "every message accounted for once": "yes" if not figures.problems else f"NO ({len(figures.problems)})",
    }  # fmt: skip


def table(results: list[Figures]) -> str:
    columns = [rows_of(figures) for figures in results]
    lines = ["| | " + " | ".join(f.database for f in results) + " |", "|---" * (len(results) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(c[name] for c in columns) + " |" for name in columns[0]]
    return "\n".join(lines)


def print_report(
    results: list[Figures], *, took: dict[str, float], outcomes: dict[str, int], kinds: Counter[str], cold: bool
) -> None:
    total = sum(outcomes.values())
    print(f"\n{total} mails in the mailbox ({took['megabytes in the mailbox']:.0f} MB): "
          + ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items())
          + f"; teammates' profiles {'not cached (cold)' if cold else 'cached (warm)'}")  # fmt: skip
    print(f"writing them {took['writing the messages']:.1f} s, APPEND {took['APPEND to the IMAP server']:.1f} s\n")
    print("\n".join(f"  {n:5d}  {kind}" for kind, n in sorted(kinds.items(), key=lambda item: -item[1])))
    print()
    print(table(results))
    for figures in results:
        sent = sum(n for _, n, _ in figures.frequent)
        print(f"\n{figures.database}: the statements sent most often over the catch-up ({sent} in all)")
        for statement, count, seconds in figures.frequent[:16]:
            print(f"  {count:6d} x  {seconds:7.2f} s  {statement}")
        print(f"{figures.database}: RSS after each sweep, MiB: " + " ".join(f"{s.rss_mib:.0f}" for s in figures.sweeps))
        for problem in figures.problems:
            print(f"{figures.database}: PROBLEM: {problem}")
        if figures.profile:
            print(f"\n{figures.database}: cProfile of the catch-up sweeps\n{figures.profile}")
