"""Translations: one gettext catalog (Babel `.po`) per language, for the console's pages and
scripts and for what the service writes to customers. English and Simplified Chinese.

The catalogs are read from their `.po` source when first used, so a clean clone needs no
compile step; `scripts/i18n` extracts new strings and checks that every one is translated.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

CATALOGS = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# Locale code → (name in its own language, BCP 47 tag for HTML `lang` and `Intl`).
LOCALES: dict[str, tuple[str, str]] = {
    "en": ("English", "en"),
    "zh_Hans": ("简体中文", "zh-Hans"),
}

# The language of what is being rendered now (a page, a message to a customer).
current: ContextVar[str] = ContextVar("locale", default=DEFAULT)


def catalog_path(locale: str) -> Path:
    return CATALOGS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def N_(message: str) -> str:
    """Marks a string for the catalogs; it is translated where it is used."""
    return message


@functools.cache
def _catalog(locale: str) -> Catalog:
    """One locale's catalog, read from its `.po` source once."""
    with catalog_path(locale).open("rb") as source:
        return read_po(source, locale=locale, domain=DOMAIN)


@functools.cache
def translations(locale: str) -> Translations:
    """The compiled catalog of one locale (English is the source text: its catalog is empty)."""
    compiled = BytesIO()
    write_mo(compiled, _catalog(locale if locale in LOCALES else DEFAULT), use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@functools.cache
def script_strings(locale: str) -> dict[str, str]:
    """The translated strings of the console's scripts (messages found in `.js` files)."""
    if locale not in LOCALES or locale == DEFAULT:
        return {}
    return {
        str(message.id): str(message.string)
        for message in _catalog(locale)
        if message.id
        and message.string
        and isinstance(message.id, str)
        and any(path.endswith(".js") for path, _ in message.locations)
    }


@contextlib.contextmanager
def using(locale: str) -> Iterator[None]:
    """Translate into `locale` within the block (a page, a message to one customer)."""
    token = current.set(locale if locale in LOCALES else DEFAULT)
    try:
        yield
    finally:
        current.reset(token)


def gettext(message: str, locale: str | None = None) -> str:
    return translations(locale or current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    return translations(locale or current.get()).ngettext(singular, plural, n)


def supported(locale: str) -> str | None:
    """Our locale for a language tag or code (`zh`, `zh-CN`, `zh_Hans`, `en-GB`), or None."""
    tag = locale.strip().replace("_", "-").lower()
    if not tag:
        return None
    if tag.startswith("zh"):
        # Traditional Chinese readers read Simplified better than English.
        return "zh_Hans"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate(preferred: str, accept_language: str) -> str:
    """The user's chosen locale, else the browser's first supported language, else English."""
    chosen = supported(preferred)
    if chosen:
        return chosen
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((weight, tag))
    for _, tag in sorted(weighted, key=lambda item: -item[0]):
        found = supported(tag)
        if found:
            return found
    return DEFAULT


def html_lang(locale: str) -> str:
    return LOCALES.get(locale, LOCALES[DEFAULT])[1]
