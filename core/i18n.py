"""Every user-facing text, German and English side by side, in `core/texts/*.toml`.

Each feature keeps its own catalogue file (`base.toml`, `members.toml`, ...); they are
merged once at import, and a key defined twice is an error. Placeholders use str.format;
values that come from users must be escaped by the caller. Tests check that every key has
both languages with the same placeholders.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGUAGES = ("de", "en")
TEXTS_DIR = Path(__file__).parent / "texts"


def load_catalogue(directory: Path = TEXTS_DIR) -> dict[str, dict[str, str]]:
    """Merge every catalogue file; refuse duplicate keys so features cannot clash."""
    texts: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            for key, value in tomllib.load(handle).items():
                if key in texts:
                    raise ValueError(f"text key {key!r} in {path.name} is defined twice")
                texts[key] = value
    return texts


TEXTS = load_catalogue()


def t(lang: str, key: str, **values: object) -> str:
    """The text `key` in `lang` (German when the language is unknown), filled with values."""
    texts = TEXTS[key]
    template = texts.get(lang) or texts["de"]
    return template.format(**values) if values else template
