"""Keep the gettext catalogues in step with the code: `python -m render.catalogues`.

It extracts every message the code marks (`_`, `n_`, `p_`, `N_` in Python; the same calls in the Jinja2
templates under render/templates), writes render/locale/rapport.pot, and updates each language's .po file:
new messages are added untranslated, translations of messages that are gone are dropped. With `--take FILE`,
translations missing here are taken from another copy of a .po file of the same language (a branch's).
`check()` lists what is not ready: an untranslated or fuzzy message, or a translation whose placeholders
differ from the English; tests/test_catalogues.py fails while it finds anything.
"""

from __future__ import annotations

import argparse
import copy
import string
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from domain.languages import DEFAULT, Language, spoken
from render.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers", "services", "render", "domain")
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "p_": ((1, "c"), 2)}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
WIDTH = 120
PLURAL_FORMS = {Language.PL: 3, Language.RU: 3}
# Fixed header dates and comment: a run that changes no message changes no byte, and branches merge cleanly.
STAMP = datetime(2026, 12, 4, tzinfo=UTC)
HEADER = "# {language} translations of rapport's messages. Update with `python -m render.catalogues`."


def translated() -> list[Language]:
    """The languages with a catalogue (all but English, in which the messages are written)."""
    return [language for language in Language if language is not DEFAULT]


def po_path(language: Language) -> Path:
    return LOCALE_DIR / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message the code marks, as a template catalogue."""
    template = Catalog(
        project="rapport",
        version="1",
        domain=DOMAIN,
        fuzzy=False,
        creation_date=STAMP,
        revision_date=STAMP,
        header_comment="# rapport's messages, extracted by `python -m render.catalogues`.",
    )
    for source in SOURCES:
        found = extract_from_dir(
            ROOT / source,
            method_map=METHODS,
            options_map={"**/templates/**.html": {"extensions": "", "silent": "false"}},
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            template.add(message, locations=[(f"{source}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read(path: Path, language: Language) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language.value, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=WIDTH, no_location=True, omit_header=False, sort_output=True,
                 ignore_obsolete=True, include_previous=False)  # fmt: skip


def update(take: Iterable[Path] = ()) -> dict[Language, int]:
    """Refresh the template and every .po file; how many messages each language still lacks."""
    template = extract()
    write(template, TEMPLATE)
    others = list(take)
    missing: dict[Language, int] = {}
    for language in translated():
        path = po_path(language)
        catalog = read(path, language) if path.exists() else Catalog(locale=language.value, domain=DOMAIN)
        # A copy each time: Babel puts the template's own Message objects into the catalogue it updates, and a
        # translation filled into one language's would show up in the next's.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.fuzzy, catalog.project, catalog.version = False, "rapport", "1"
        catalog.revision_date, catalog.creation_date = STAMP, STAMP
        catalog.last_translator = catalog.language_team = "rapport"
        catalog.header_comment = HEADER.format(language=Locale.parse(language.value).english_name)
        for other in others:
            if other.exists() and _language_of(other) is language:
                _take(catalog, read(other, language))
        write(catalog, path)
        missing[language] = sum(1 for message in catalog if message.id and not _complete(message))
    return missing


def check() -> list[str]:
    """What keeps the catalogues from being ready, one line each (empty when every message is translated)."""
    problems: list[str] = []
    template = extract()
    for language in translated():
        path = po_path(language)
        if not path.exists():
            problems.append(f"{language}: no catalogue at {path.relative_to(ROOT)}")
            continue
        catalog = read(path, language)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, context=message.context)
            problems.extend(f"{language}: {problem}: {_shown(message)}" for problem in _problems(found, language))
    return problems


def _problems(message: Message | None, language: Language) -> Iterator[str]:
    if message is None:
        yield "not in the catalogue (run python -m render.catalogues)"
        return
    if message.fuzzy:
        yield "marked fuzzy"
    if not _complete(message):
        yield "not translated"
        return
    english = _placeholders(message.id)
    forms = tuple(
        form or "" for form in (message.string if isinstance(message.string, tuple | list) else (message.string,))
    )
    if isinstance(message.id, tuple | list) and len(forms) != PLURAL_FORMS.get(language, 2):
        yield f"{len(forms)} plural forms instead of {PLURAL_FORMS.get(language, 2)}"
    for form in forms:
        if _placeholders(form) - english or (english - {"count"}) - _placeholders(form):
            yield f"placeholders differ ({sorted(_placeholders(form))} for {sorted(english)})"
            return


def _complete(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return bool(strings) and all(strings)


def _placeholders(text: str | tuple[str, ...] | list[str]) -> set[str]:
    """The named fields of a message (every form of a plural one)."""
    names: set[str] = set()
    for part in text if isinstance(text, tuple | list) else (text,):
        try:
            names |= {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(part) if field}
        except ValueError:
            names.add("<unbalanced braces>")
    return names


def _shown(message: Message) -> str:
    text = message.id[0] if isinstance(message.id, tuple | list) else message.id
    context = f"[{message.context}] " if message.context else ""
    return context + (text if len(text) <= 80 else text[:79] + "…")


def _take(catalog: Catalog, other: Catalog) -> None:
    """Fill untranslated messages of `catalog` from `other`'s translations of the same message."""
    for message in catalog:
        if not message.id or _complete(message):
            continue
        found = other.get(message.id, context=message.context)
        if found is not None and _complete(found) and not found.fuzzy:
            message.string = found.string


def _language_of(path: Path) -> Language | None:
    """The language of a .po file, from its header."""
    with path.open("rb") as po:
        tag = read_po(po).locale
    return spoken(str(tag.language)) if tag is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m render.catalogues", description=__doc__.split("\n\n")[0])
    parser.add_argument("--take", type=Path, action="append", default=[], metavar="FILE",
                        help="another .po file to take missing translations from (repeatable)")  # fmt: skip
    parser.add_argument("--check", action="store_true", help="only list what is not ready; exit 1 when anything is")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "every message is translated")
        return 1 if problems else 0
    for language, count in update(args.take).items():
        print(f"{language}: {count} messages to translate in {po_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
