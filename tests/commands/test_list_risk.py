"""`/client list risk`: every client, worst health first, each with its score, band and reasons."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.health import History
from tests.helpers import add, ask
from tests.test_sweep_queries import statements


@pytest.fixture
def history(engine: Engine) -> History:
    return History(engine, NOW)


def test_every_client_worst_first_with_its_reasons(slack: SlackDriver, history: History) -> None:
    calm = history.client("Calm Ltd", cadence=14, created_days_ago=10)
    history.contacts(calm, 3)
    acme = history.client("Acme Corp", cadence=10, created_days_ago=81)
    history.contacts(acme, 80, 39.5, *range(35, 0, -5))  # 30 days past its cadence
    for days in range(30, 34):
        history.message(acme, days_ago=days)  # 20 points
    globex = history.client("Globex", owner="UBOB")
    history.promise(globex, due_days_ago=35)
    history.promise(globex, due_days_ago=36)
    history.survey(globex, days_ago=40, client=3, team=5)
    hooli = history.client("Hooli")
    history.promise(hooli, due_days_ago=40)
    add(slack, "Initech key every 2w")  # added today: nothing can be wrong yet
    assert ask(slack, "list risk") == "\n".join(
        [
            "Clients by health, worst first (5)",
            ":red_circle: *Acme Corp* (<@UALICE>): 50, red: 30 days past cadence, "
            "4 client messages left past the reply time",
            ":large_yellow_circle: *Globex* (<@UBOB>): 59, yellow: 2 slipped promises, "
            "5 blind spots in the last survey, last survey rated 3.0/5 by the client",
            ":large_green_circle: *Hooli* (<@UALICE>): 92, green: 1 slipped promise",
            ":large_green_circle: *Calm Ltd* (<@UALICE>): 100, green",
            ":large_green_circle: :star: *Initech* (<@UALICE>): 100, green",
        ]
    )


def test_a_long_list_fits_in_one_message(slack: SlackDriver, history: History) -> None:
    for n in range(130):
        cid = history.client(f"Client number {n:03d} with a rather long name", cadence=7, created_days_ago=n % 60 + 1)
        if n % 2:
            history.promise(cid, due_days_ago=n % 30 + 31)
            history.message(cid, days_ago=n % 30 + 31)
    slack.command("list risk")
    [reply] = slack.fake.responses()
    blocks = reply["blocks"]
    assert len(json.dumps(blocks)) < 40_000 and len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    lines = [line for b in blocks if b["type"] == "section" for line in b["text"]["text"].splitlines()]
    assert len(lines) == 100
    scores = [int(line.split("): ")[1].split(",")[0]) for line in lines]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    assert blocks[-1]["elements"][0]["text"] == "Showing the 100 worst of 130."


def test_no_clients_yet(slack: SlackDriver) -> None:
    assert ask(slack, "list risk") == "No clients yet. Add one with `/client add <name>`."


def test_the_list_takes_the_same_statements_for_10_and_200_clients(
    slack: SlackDriver, engine: Engine, history: History
) -> None:
    ask(slack, "list risk")  # the asker's profile is fetched and kept on first use
    counts = []
    for more in (10, 190):
        for _ in range(more):
            cid = history.client(f"Client {len(history.names):03d}", cadence=14)
            history.contacts(cid, 20)
            history.promise(cid, due_days_ago=35)
        with statements(engine) as sql:
            ask(slack, "list risk")
        counts.append([s for s in sql if s.startswith(("SELECT", "WITH"))])
    assert len(counts[0]) == len(counts[1]), counts[1]
