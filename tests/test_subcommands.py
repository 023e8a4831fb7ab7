"""The `/client` subcommands are listed once (domain.commands.Subcommand): the parser, help, the README's
Commands table and the manifest's usage hint all name exactly those, in that order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from domain.commands import Subcommand
from domain.errors import UsageError
from handlers.commands import grammar
from render import help

ROOT = Path(__file__).resolve().parents[1]
ORDER = [s.value for s in Subcommand]


def _readme_rows() -> list[str]:
    """The subcommands the README's Commands table names, row by row (a row may name two: alias / unalias)."""
    lines = (ROOT / "README.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| `/client …`"))
    named: list[str] = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        first_cell = re.split(r"(?<!\\)\|", line)[1]
        named += [span.split()[0] for span in re.findall(r"`([^`]+)`", first_cell)]
    return named


def test_the_readme_table_names_every_subcommand_in_order() -> None:
    assert _readme_rows() == ORDER


def test_the_manifest_usage_hint_names_every_subcommand_in_order() -> None:
    [command] = yaml.safe_load((ROOT / "manifest.yml").read_text())["features"]["slash_commands"]
    assert command["usage_hint"].split(" | ") == ORDER


def test_the_parser_knows_every_subcommand_in_order() -> None:
    assert list(grammar.SUBCOMMANDS) == ORDER


@pytest.mark.parametrize("name", ORDER)
def test_every_subcommand_is_parsed_not_unknown(name: str) -> None:
    try:
        grammar.parse(name)
    except UsageError as error:
        assert error.subcommand == name  # a usage problem of that subcommand, never "unknown subcommand"


def test_help_has_usage_example_and_summary_for_every_subcommand() -> None:
    assert list(help.USAGE) == list(help.EXAMPLES) == list(help.WHAT)
    assert sorted(help.USAGE) == sorted(Subcommand)
    for name in Subcommand:
        assert f"/client {name.value}" in help.USAGE[name]
