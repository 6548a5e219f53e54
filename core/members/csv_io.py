"""Member CSV import (`cluster-advisor members import`).

Files as spreadsheets write them: UTF-8 with or without BOM, or Windows-1252 from an older
Excel (read when it is not UTF-8 and decodes cleanly); `;` between columns (German Excel)
with keywords separated by `,` inside a cell, or `,` between columns with keywords separated
by `;`; German or English column names. Every bad row is reported with its line number and
the reason, in the report's language; good rows are kept (unless strict).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from core.i18n import LANGUAGES, t
from core.members.common import kind_from_text, kind_label
from core.members.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, split_keywords
from core.services import Services
from knowledge.text import fold
from storage.engine import session_scope
from storage.members.profiles import (
    claim_imported_profile,
    find_import_target,
    store_imported_profile,
)
from storage.members.roles import member_by_username
from storage.members.tables import PROFILE_KINDS

REQUIRED_COLUMNS = ("name", "organization", "type", "city", "offers", "needs")
OPTIONAL_COLUMNS = ("telegram", "description")
EXPORT_COLUMNS = (*REQUIRED_COLUMNS, "telegram", "description", "visible", "source")
# spellings beyond the column names of both languages (members_csv_column_*)
EXTRA_ALIASES = {
    "organisation": "organization", "org": "organization", "firma": "organization",
    "typ": "type", "kind": "type", "organisationsart": "type",
    "ort": "city", "stadt": "city", "region": "city", "city/region": "city",
    "stadt/region": "city",
    "angebot": "offers", "kompetenzen": "offers", "competences": "offers", "bietet": "offers",
    "bedarf": "needs", "interessen": "needs", "interests": "needs", "sucht": "needs",
    "username": "telegram", "telegram username": "telegram", "telegram-name": "telegram",
    "benutzername": "telegram", "telegram-benutzername": "telegram",
}
LIMITS = {"name": 100, "organization": 150, "city": 100, "description": 500}
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
USERNAME_MAX = 32  # Telegram's limit
QUOTES = "'\"‘’‚‛“”„‟«»`´"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)  # Excel's "which delimiter" line


class CsvError(Exception):
    """The whole file is unusable (empty, unreadable text, no usable header)."""


@dataclass(frozen=True)
class ImportRow:
    line: int
    name: str
    organization: str
    kind: str
    city: str
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    telegram: str | None  # lower case, without @
    description: str


@dataclass
class ImportReport:
    """What a file held and what importing it did; messages are in `lang`."""

    lang: str = "en"
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "read as Windows-1252"
    created: int = 0
    updated: int = 0
    claimed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def column_name(column: str, lang: str) -> str:
    """The column's header in `lang` ("Angebote" / "offers")."""
    return t(lang, f"members_csv_column_{column}")


def _aliases() -> dict[str, str]:
    names = {_key(column_name(c, lang)): c for c in EXPORT_COLUMNS for lang in LANGUAGES}
    return {**EXTRA_ALIASES, **names}


def _key(name: str) -> str:
    return " ".join(name.strip().strip("\ufeff").strip(QUOTES).lower().split())


def _decode(data: bytes, lang: str) -> tuple[str, bool]:
    """The file's text, and whether it had to be read as Windows-1252."""
    if not data.strip():
        raise CsvError(t(lang, "members_csv_empty"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise CsvError(t(lang, "members_csv_not_text"))
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError(t(lang, "members_csv_not_utf8", line=line,
                         byte=f"0x{data[exc.start]:02x}")) from None
    control = _CONTROL.search(text)
    if control is not None:
        line = text[: control.start()].count("\n") + 1
        raise CsvError(t(lang, "members_csv_not_utf8", line=line,
                         byte=f"0x{ord(control.group()):02x}"))
    return text, True


def _header(text: str, lang: str) -> tuple[str, list[str], list[str]]:
    """The delimiter, the columns (canonical names) and the header as written."""
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    announced = _SEP_LINE.match(first)
    if announced:
        first = lines[1] if len(lines) > 1 else ""
    aliases = _aliases()
    best: tuple[int, str, list[str], list[str]] | None = None
    for delimiter in ((announced.group(1),) if announced else (";", ",")):
        written = next(csv.reader([first], delimiter=delimiter), [])
        columns = [aliases.get(_key(c), _key(c)) for c in written]
        known = sum(1 for c in columns if c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        if best is None or known > best[0]:
            best = (known, delimiter, columns, written)
    assert best is not None
    _, delimiter, columns, written = best
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        names = ", ".join(column_name(c, lang) for c in REQUIRED_COLUMNS)
        raise CsvError(t(lang, "members_csv_missing_columns", columns=names,
                         optional=", ".join(column_name(c, lang) for c in OPTIONAL_COLUMNS),
                         missing=", ".join(column_name(c, lang) for c in missing),
                         found=", ".join(w.strip() or "–" for w in written)[:200]))
    duplicates = [w for c, w in zip(columns, written, strict=True)
                  if c and columns.count(c) > 1]
    if duplicates:
        raise CsvError(t(lang, "members_csv_duplicate_column", column=duplicates[-1].strip()))
    return delimiter, columns, written


def _clean(value: str) -> str:
    value = " ".join(value.replace("\x00", "").split())
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        value = value[1:]  # our own export protects formulas this way
    return value


def _keywords(value: str, column: str, lang: str) -> tuple[str, ...]:
    keywords = split_keywords(value)
    too_long = [k for k in keywords if len(k) > MAX_KEYWORD_CHARS]
    name = column_name(column, lang)
    if too_long:
        raise ValueError(t(lang, "members_csv_keyword_too_long", column=name,
                           keyword=too_long[0][:30], limit=MAX_KEYWORD_CHARS))
    if len(keywords) > MAX_KEYWORDS:
        raise ValueError(t(lang, "members_csv_too_many_keywords", column=name,
                           count=len(keywords), limit=MAX_KEYWORDS))
    return tuple(keywords)


def telegram_username(raw: str, lang: str) -> str | None:
    """'@Anna_V', "'@anna_v'", 't.me/anna_v ' -> 'anna_v'; None when empty; ValueError
    (in `lang`) when it cannot be a Telegram @username."""
    value = raw.strip().strip(QUOTES).strip()
    for prefix in ("https://", "http://", "www.", "t.me/", "telegram.me/", "@"):
        if value.lower().startswith(prefix):
            value = value[len(prefix):].strip().strip(QUOTES).strip()
    if not value:
        return None
    shown = raw.strip()[:40]
    if len(value) > USERNAME_MAX:
        raise ValueError(t(lang, "members_csv_username_too_long", value=shown,
                           length=len(value), limit=USERNAME_MAX))
    if not USERNAME.match(value):
        raise ValueError(t(lang, "members_csv_username_invalid", value=shown))
    return value.lower()


def _row(line: int, values: dict[str, str], lang: str) -> ImportRow:
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            raise ValueError(t(lang, "members_csv_too_long", column=column_name(column, lang),
                               limit=limit))
    if not values["name"]:
        raise ValueError(t(lang, "members_csv_name_empty", column=column_name("name", lang)))
    kind = kind_from_text(values["type"]) if values["type"] else "other"
    if kind is None:
        raise ValueError(t(lang, "members_csv_unknown_type", value=values["type"][:30],
                           kinds=", ".join(kind_label(k, lang) for k in PROFILE_KINDS)))
    offers = _keywords(values["offers"], "offers", lang)
    needs = _keywords(values["needs"], "needs", lang)
    if not offers and not needs:
        raise ValueError(t(lang, "members_csv_no_keywords"))
    telegram = telegram_username(values.get("telegram", ""), lang)
    return ImportRow(line, values["name"], values["organization"], kind, values["city"],
                     offers, needs, telegram, values.get("description", ""))


def _width_problem(record: list[str], width: int, delimiter: str, lang: str) -> str | None:
    """Why a record does not fit the header (None: it fits). Empty cells at the end are no
    excuse: with `;` between columns they are where keywords split by `;` show."""
    if len(record) == width:
        return None
    if delimiter == ";" and len(record) > width:
        return t(lang, "members_csv_semicolon_keywords", count=len(record), expected=width)
    return t(lang, "members_csv_cells", count=len(record), expected=width)


def parse_members_csv(data: bytes, *, lang: str = "en") -> ImportReport:
    """Read a members file; file-level problems raise CsvError, row problems are listed
    (both in `lang`)."""
    text, legacy = _decode(data, lang)
    delimiter, columns, written = _header(text, lang)
    report = ImportReport(lang=lang, ignored_columns=[
        w.strip() for c, w in zip(columns, written, strict=True)
        if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS])
    if legacy:
        report.notes.append(t(lang, "members_csv_read_as_cp1252"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    seen: dict[str, int] = {}
    header_done, previous_end = False, 0
    try:
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not header_done:
                header_done = _SEP_LINE.match(delimiter.join(record).strip()) is None
                continue
            problem = _width_problem(record, len(columns), delimiter, lang)
            if problem is not None:
                report.problems.append((line, problem))
                continue
            values = {c: _clean(v) for c, v in zip(columns, record, strict=True) if c}
            try:
                row = _row(line, values, lang)
            except ValueError as exc:
                report.problems.append((line, str(exc)))
                continue
            keys = [f"@{row.telegram}"] if row.telegram else []
            keys.append(fold(f"{row.name}|{row.organization}"))
            twin = next((seen[k] for k in keys if k in seen), None)
            if twin is not None:
                report.problems.append((line, t(lang, "members_csv_twin", line=twin)))
                continue
            seen.update({k: line for k in keys})
            report.rows.append(row)
    except csv.Error as exc:
        report.problems.append((reader.line_num, t(lang, "members_csv_unreadable",
                                                   error=str(exc))))
    if not header_done or (not report.rows and not report.problems):
        raise CsvError(t(lang, "members_csv_no_members"))
    return report


def import_members(services: Services, report: ImportReport) -> list[int]:
    """Save the good rows in one unit of work; returns the ids of changed profiles."""
    changed: list[int] = []
    with session_scope(services.engine) as session:
        for row in report.rows:
            profile = find_import_target(session=session, username=row.telegram,
                                         name=row.name, organization=row.organization)
            if profile is not None and profile.member_telegram_id is not None:
                report.skipped.append((row.line, t(report.lang, "members_csv_owned")))
                continue
            if profile is None:
                report.created += 1
            else:
                report.updated += 1
            profile = store_imported_profile(
                session=session, target=profile, name=row.name, organization=row.organization,
                kind=row.kind, city=row.city, offers=row.offers, needs=row.needs,
                description=row.description, telegram_username=row.telegram)
            if row.telegram:
                member = member_by_username(session=session, username=row.telegram)
                if member is not None and claim_imported_profile(session=session,
                                                                 member=member):
                    report.claimed += 1
            assert profile.id is not None
            changed.append(profile.id)
    return changed
