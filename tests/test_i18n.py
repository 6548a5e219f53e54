"""Every user-facing text exists in German and English with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from core.i18n import TEXTS, load_catalogue


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_text_has_both_languages_with_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"de", "en"}
    assert entry["de"].strip() and entry["en"].strip()
    assert _placeholders(entry["de"]) == _placeholders(entry["en"])


def test_a_key_defined_in_two_catalogues_is_refused(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('[hello]\nde = "Hallo"\nen = "Hello"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="hello"):
        load_catalogue(tmp_path)
