"""Fixtures of the `/client` command tests (the shared ones, acme and acme_without_contacts among them, are in
tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.driver import SlackDriver
from tests.helpers import add


@pytest.fixture
def plain_acme(slack: SlackDriver) -> None:
    """One client, "Acme Corp", owned by UALICE: no key flag, no cadence, nothing logged (unlike tests/conftest.py's
    acme, a key client with a 14-day cadence and one contact)."""
    add(slack, '"Acme Corp"')
