"""The quiet clock: when a client with a cadence goes quiet, kept in one indexed column for the sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.models import Client


def quiet_due(client: Client) -> datetime | None:
    """When the client counts as quiet: its cadence after the last contact (or its creation), not before a snooze."""
    if client.cadence_days is None:
        return None
    due = (client.last_contact_at or client.created_at) + timedelta(days=client.cadence_days)
    if client.snoozed_until is not None and client.snoozed_until > due:
        return client.snoozed_until
    return due


def refresh_quiet(client: Client) -> Client:
    """Recompute quiet_due_at after anything it depends on changed (contact, cadence, snooze)."""
    client.quiet_due_at = quiet_due(client)
    return client


def contact_happened(client: Client, at: datetime) -> Client:
    """A contact resets the quiet clock (a contact logged late for an earlier date never moves it back)."""
    if client.last_contact_at is None or at > client.last_contact_at:
        client.last_contact_at = at
    return refresh_quiet(client)
