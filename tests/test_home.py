"""The App Home tab."""

from __future__ import annotations

import json

from tests.driver import SlackDriver


def _event(user: str, tab: str = "home") -> str:
    return json.dumps(
        {
            "token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
            "event_id": "Ev1", "event_time": 1790000000,
            "event": {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab},
        }
    )  # fmt: skip


def test_home_lists_the_readers_clients(slack: SlackDriver) -> None:
    slack.command('add "Acme Corp" key')
    slack.command("add Globex owner <@UBOB|bob>")
    assert slack.post(_event("UALICE"), "application/json").status == 200
    [call] = slack.fake.calls_to("views.publish")
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view)
    assert call.params["user_id"] == "UALICE"
    assert view["type"] == "home"
    assert "Acme Corp" in text and "Globex" not in text
    assert "/client log" in text


def test_messages_tab_publishes_nothing(slack: SlackDriver) -> None:
    slack.post(_event("UALICE", tab="messages"), "application/json")
    assert slack.fake.calls_to("views.publish") == []
