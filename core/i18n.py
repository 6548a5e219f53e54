"""Every user-facing text, German and English side by side, in `core/texts/*.toml`.

Each feature keeps its own catalogue file (`base.toml`, `members.toml`, ...); they are
merged once at import, and a key defined twice is an error. Placeholders use str.format;
values that come from users must be escaped by the caller. A text that depends on a number
is a table of CLDR plural forms, chosen by the `count` value:

    [days_left]
    de = { one = "noch {count} Tag", other = "noch {count} Tage" }
    en = { one = "{count} day left", other = "{count} days left" }

Tests check that every key has both languages, the plural forms each language needs, and
the same placeholders in all of them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from core.locale import format_number, plural_category

LANGUAGES = ("de", "en")
TEXTS_DIR = Path(__file__).parent / "texts"
Template = str | dict[str, str]


def load_catalogue(directory: Path = TEXTS_DIR) -> dict[str, dict[str, Template]]:
    """Merge every catalogue file; refuse duplicate keys so features cannot clash."""
    texts: dict[str, dict[str, Template]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            for key, value in tomllib.load(handle).items():
                if key in texts:
                    raise ValueError(f"text key {key!r} in {path.name} is defined twice")
                texts[key] = value
    return texts


TEXTS = load_catalogue()


def template_for(lang: str, key: str, count: Any = None) -> str:
    """The raw template of `key` in `lang` (German when unknown), plural form by `count`."""
    texts = TEXTS[key]
    template = texts.get(lang) or texts["de"]
    if isinstance(template, dict):
        category = plural_category(lang, count) if isinstance(count, int | float) else "other"
        return template.get(category) or template["other"]
    return template


def t(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang`, filled with values; `count` picks the plural form and is
    shown with the language's digit grouping."""
    count = values.get("count")
    template = template_for(lang, key, count)
    if isinstance(count, int) and not isinstance(count, bool):
        values = {**values, "count": format_number(count, lang)}
    return template.format(**values) if values else template


def count_of(lang: str, key: str, count: int) -> str:
    """Shorthand for a counted noun phrase such as "3 Mitglieder" / "1 member"."""
    return t(lang, key, count=count)
