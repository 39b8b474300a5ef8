"""Keep the translation catalogs in step with the code.

    .venv/bin/python scripts/i18n.py          # add new strings to every catalog, drop unused ones
    .venv/bin/python scripts/i18n.py --check  # fail when a string is missing or untranslated

Strings come from Python (`_`, `gettext`, `ngettext`, `N_`), the console's templates and its
scripts (`_("…")`), as babel.cfg says. English is the source language: its catalog stays empty.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contact_center.i18n import DEFAULT, LOCALES, catalog_path  # noqa: E402

KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extracted() -> Catalog:
    """Every translatable string in the code, with where it is used."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    template = Catalog(project="contact-center", domain="messages")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def load(locale: str) -> Catalog:
    path = catalog_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain="messages", project="contact-center")
    with path.open("rb") as source:
        return read_po(source, locale=locale, domain="messages")


def update(template: Catalog) -> None:
    for locale in LOCALES:
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path = catalog_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalog, width=100, sort_output=False, omit_header=False)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages")


def missing(template: Catalog) -> dict[str, list[str]]:
    """Per locale, the strings the code uses that its catalog lacks or leaves untranslated."""
    gaps: dict[str, list[str]] = {}
    for locale in LOCALES:
        if locale == DEFAULT:
            continue
        catalog = load(locale)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, context=message.context)
            strings = (
                found.string
                if found and isinstance(found.string, tuple)
                else ((found.string,) if found else ("",))
            )
            if found is None or not all(strings) or found.fuzzy:
                key = message.id if isinstance(message.id, str) else message.id[0]
                gaps.setdefault(locale, []).append(key)
    return gaps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report missing translations")
    args = parser.parse_args()
    template = extracted()
    if not args.check:
        update(template)
    gaps = missing(template)
    for locale, messages in gaps.items():
        print(f"{locale}: {len(messages)} untranslated")
        for message in messages:
            print(f"  {message!r}")
    return 1 if (args.check and gaps) else 0


if __name__ == "__main__":
    raise SystemExit(main())
