"""Every user-facing text exists in German and English with the same placeholders, and
counted texts have the plural forms each language needs."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.i18n import TEXTS, load_catalogue, t
from core.locale import format_date, format_datetime, format_long_date, format_number


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _forms(template: str | dict[str, str]) -> list[str]:
    return list(template.values()) if isinstance(template, dict) else [template]


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_text_has_both_languages_with_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == {"de", "en"}
    forms = [form for lang in ("de", "en") for form in _forms(entry[lang])]
    assert all(form.strip() for form in forms)
    assert len({frozenset(_placeholders(form)) for form in forms}) == 1


@pytest.mark.parametrize("key", sorted(k for k, v in TEXTS.items()
                                       if isinstance(v["de"], dict) or isinstance(v["en"], dict)))
def test_counted_text_has_one_and_other_in_both_languages(key: str) -> None:
    for lang in ("de", "en"):
        template = TEXTS[key][lang]
        assert isinstance(template, dict) and set(template) == {"one", "other"}
        assert "{count}" in template["one"] + template["other"]


def test_no_catalogue_hedges_a_plural_by_hand() -> None:
    hedged = [(key, form) for key, entry in TEXTS.items() for lang in ("de", "en")
              for form in _forms(entry[lang])
              if any(mark in form for mark in ("(s)", "(en)", "(e)", "(n)"))]
    assert hedged == []


def test_plural_forms_are_chosen_by_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TEXTS, "days_left", {
        "de": {"one": "noch {count} Tag", "other": "noch {count} Tage"},
        "en": {"one": "{count} day left", "other": "{count} days left"}})
    assert t("de", "days_left", count=1) == "noch 1 Tag"
    assert t("de", "days_left", count=3) == "noch 3 Tage"
    assert t("en", "days_left", count=1) == "1 day left"
    assert t("en", "days_left", count=0) == "0 days left"
    assert t("de", "days_left", count=1200) == "noch 1.200 Tage"
    assert t("en", "days_left", count=1200) == "1,200 days left"


def test_dates_and_numbers_read_as_each_language_writes_them() -> None:
    day = date(2027, 1, 31)
    assert format_date(day, "de") == "31.01.2027"
    assert format_date(day, "en") == "2027-01-31"
    assert format_long_date(day, "de") == "31. Januar 2027"
    assert format_long_date(day, "en") == "31 January 2027"
    moment = datetime(2027, 1, 31, 8, 30, tzinfo=UTC)
    assert format_datetime(moment, "de", ZoneInfo("Europe/Berlin")) == "31.01.2027 09:30"
    assert format_number(20000, "de") == "20.000"
    assert format_number(20000, "en") == "20,000"


def test_a_key_defined_in_two_catalogues_is_refused(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('[hello]\nde = "Hallo"\nen = "Hello"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="hello"):
        load_catalogue(tmp_path)
