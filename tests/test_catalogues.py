"""Every message rapport writes exists in English, Polish and Russian, with the same placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.languages import Language
from render import catalogues
from render.i18n import _, n_, speaking, translations


def test_every_message_is_translated_into_every_language() -> None:
    problems = catalogues.check()
    assert not problems, f"{len(problems)} messages not ready; first ones:\n" + "\n".join(problems[:40])


def test_the_catalogues_hold_nothing_the_code_no_longer_says() -> None:
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogues.extract() if m.id}
    for language in catalogues.translated():
        held = catalogues.read(catalogues.po_path(language), language)
        stale = [m.id for m in held if m.id and (m.id if isinstance(m.id, str) else m.id[0], m.context) not in wanted]
        assert not stale, f"{language}: run python -m render.catalogues; stale: {stale[:10]}"


def test_the_code_marks_messages_to_translate() -> None:
    # A sanity floor: extraction finds the code's messages (a broken extractor would find none and pass the rest).
    assert len([m for m in catalogues.extract() if m.id]) > 700


@pytest.mark.parametrize(
    ("language", "expected"),
    [(Language.EN, ["1 day", "2 days", "5 days", "22 days"]), (Language.PL, ["1 dzień", "2 dni", "5 dni", "22 dni"]),
     (Language.RU, ["1 день", "2 дня", "5 дней", "22 дня"])],
)  # fmt: skip
def test_plurals_take_each_language_s_forms(language: Language, expected: list[str]) -> None:
    with speaking(language):
        assert [n_("{count} day", "{count} days", count) for count in (1, 2, 5, 22)] == expected


def test_a_language_we_do_not_speak_reads_english_and_speaking_ends_with_its_block() -> None:
    with speaking("de-DE"):
        assert _("nobody") == "nobody"
    with speaking("ru-RU"):
        assert _("nobody") != "nobody"
    assert _("nobody") == "nobody"


def test_the_catalogues_are_read_from_the_package(tmp_path: Path) -> None:
    # Installed, the .po files travel with the package (pyproject's package data), or every reader gets English.
    for language in catalogues.translated():
        assert catalogues.po_path(language).is_file()
        assert translations(language).gettext("nobody") != "nobody"
