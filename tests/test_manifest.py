"""manifest.yml is valid for Slack and declares what the code uses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from bot.check import manifest_bot_scopes
from render.ids import CallbackId, CommandId

ROOT = Path(__file__).resolve().parents[1]


def _manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema(slack_manifest_schema: Path) -> None:
    jsonschema.validate(_manifest(), json.loads(slack_manifest_schema.read_text()))


def test_manifest_declares_the_command_and_shortcut() -> None:
    features = _manifest()["features"]
    [command] = features["slash_commands"]
    assert command["command"] == CommandId.CLIENT
    assert command["should_escape"] is True
    assert command["url"].endswith("/slack/events")
    shortcut = {s["callback_id"]: s for s in features["shortcuts"]}[CallbackId.LOG_CONTACT_SHORTCUT]
    assert shortcut["type"] == "message"
    assert shortcut["name"] == "Log client contact"


def test_manifest_scopes_events_and_interactivity() -> None:
    manifest = _manifest()
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "chat:write",
        "chat:write.public",
        "channels:join",
        "users:read",
        "im:write",
        "files:write",
        "reactions:read",
        "im:history",
        "channels:history",
        "groups:history",
        "channels:read",
        "groups:read",
    } <= scopes
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["interactivity"]["message_menu_options_url"].endswith("/slack/events")
    assert {"app_home_opened", "reaction_added"} <= set(settings["event_subscriptions"]["bot_events"])


def test_linked_channels_are_heard() -> None:
    """Messages in linked channels (public and private) and rapport's invitation to a private one."""
    manifest = _manifest()
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"message.channels", "message.groups", "member_joined_channel"} <= events
    assert {"channels:history", "groups:history", "channels:read", "groups:read", "channels:join"} <= scopes


def test_the_package_ships_the_manifest_that_rapport_check_compares_scopes_with() -> None:
    # bot/manifest.yml links to the root file; setuptools copies it into the wheel (package data).
    assert (ROOT / "bot" / "manifest.yml").resolve() == (ROOT / "manifest.yml").resolve()
    assert manifest_bot_scopes() == set(_manifest()["oauth_config"]["scopes"]["bot"])
