"""Member CSV import and export (`cluster-advisor members import|export`).

Files as spreadsheets write them: UTF-8 with or without BOM, `,` or `;` between columns,
keywords separated by `;` (or `,`) inside their field. Every bad row is reported with its
line number and the reason; good rows are kept (unless strict). Messages are English, like
the rest of the command line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from core.members.common import kind_from_text
from core.members.keywords import MAX_KEYWORD_CHARS, MAX_KEYWORDS, split_keywords
from core.services import Services
from knowledge.text import fold
from storage.community import PROFILE_KINDS, Profile
from storage.community_profiles import (
    all_profiles,
    claim_imported_profile,
    find_import_target,
    member_by_username,
)
from storage.engine import session_scope
from storage.models import utcnow

REQUIRED_COLUMNS = ("name", "organization", "type", "city", "offers", "needs")
OPTIONAL_COLUMNS = ("telegram", "description")
EXPORT_COLUMNS = (*REQUIRED_COLUMNS, "telegram", "description", "visible", "source")
COLUMN_ALIASES = {
    "organisation": "organization", "org": "organization", "typ": "type", "kind": "type",
    "ort": "city", "stadt": "city", "region": "city", "city/region": "city",
    "angebote": "offers", "kompetenzen": "offers", "competences": "offers",
    "bedarfe": "needs", "interessen": "needs", "interests": "needs",
    "username": "telegram", "telegram username": "telegram", "beschreibung": "description",
}
LIMITS = {"name": 100, "organization": 150, "city": 100, "description": 500}
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvError(Exception):
    """The whole file is unusable (empty, not UTF-8, no usable header)."""


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
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    claimed: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise CsvError("the file is empty")
    if b"\x00" in data[:4096]:
        raise CsvError("this is not a text file (a spreadsheet .xlsx?): save it as "
                       "'CSV UTF-8' and try again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError(f"line {line}: the file is not UTF-8 (byte 0x{data[exc.start]:02x}); "
                       "save it as 'CSV UTF-8' and try again") from None


def _column(name: str) -> str:
    key = " ".join(name.strip().strip("\ufeff").lower().split())
    return COLUMN_ALIASES.get(key, key)


def _header(text: str) -> tuple[str, list[str]]:
    """Pick the delimiter whose header names the required columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best: tuple[int, str, list[str]] | None = None
    for delimiter in (",", ";"):
        columns = [_column(c) for c in next(csv.reader([first], delimiter=delimiter))]
        known = sum(1 for c in columns if c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        if best is None or known > best[0]:
            best = (known, delimiter, columns)
    assert best is not None
    _, delimiter, columns = best
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CsvError(
            f"line 1: the header must name the columns {', '.join(REQUIRED_COLUMNS)} "
            f"(telegram, description optional); missing: {', '.join(missing)}; "
            f"found: {', '.join(c or '(empty)' for c in columns)[:200]}")
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise CsvError(f"line 1: the column {duplicates[0]!r} appears twice")
    return delimiter, columns


def _clean(value: str) -> str:
    value = " ".join(value.replace("\x00", "").split())
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        value = value[1:]  # our own export protects formulas this way
    return value


def _keywords(value: str, column: str) -> tuple[str, ...]:
    keywords = split_keywords(value)
    too_long = [k for k in keywords if len(k) > MAX_KEYWORD_CHARS]
    if too_long:
        raise ValueError(f"{column}: keyword {too_long[0][:30]!r}… is longer than "
                         f"{MAX_KEYWORD_CHARS} characters")
    if len(keywords) > MAX_KEYWORDS:
        raise ValueError(f"{column}: {len(keywords)} keywords, at most {MAX_KEYWORDS}")
    return tuple(keywords)


def _row(line: int, values: dict[str, str]) -> ImportRow:
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")
    if not values["name"]:
        raise ValueError("name is empty")
    kind = kind_from_text(values["type"]) if values["type"] else "other"
    if kind is None:
        raise ValueError(f"unknown type {values['type'][:30]!r} (use "
                         f"{', '.join(PROFILE_KINDS)})")
    offers, needs = _keywords(values["offers"], "offers"), _keywords(values["needs"], "needs")
    if not offers and not needs:
        raise ValueError("no offers and no needs: nothing to match")
    telegram = values.get("telegram", "").removeprefix("https://t.me/").removeprefix("@")
    if telegram and not USERNAME.match(telegram):
        raise ValueError(f"telegram {values['telegram'][:40]!r} is not a Telegram @username")
    return ImportRow(line, values["name"], values["organization"], kind, values["city"],
                     offers, needs, telegram.lower() or None, values.get("description", ""))


def parse_members_csv(data: bytes) -> ImportReport:
    """Read a members file; file-level problems raise CsvError, row problems are listed."""
    text = _decode(data)
    delimiter, columns = _header(text)
    report = ImportReport(ignored_columns=[c for c in columns if c and c not in
                                           REQUIRED_COLUMNS + OPTIONAL_COLUMNS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    seen: dict[str, int] = {}
    header_done, previous_end = False, 0
    try:
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not header_done:
                header_done = True
                continue
            if len(record) != len(columns):
                hint = (" — with ';' between columns, keywords separated by ';' must be in "
                        "quotes" if delimiter == ";" and len(record) > len(columns) else "")
                report.problems.append((line, f"{len(record)} fields, the header has "
                                              f"{len(columns)}{hint}"))
                continue
            values = {c: _clean(v) for c, v in zip(columns, record, strict=True) if c}
            try:
                row = _row(line, values)
            except ValueError as exc:
                report.problems.append((line, str(exc)))
                continue
            keys = [f"@{row.telegram}"] if row.telegram else []
            keys.append(fold(f"{row.name}|{row.organization}"))
            twin = next((seen[k] for k in keys if k in seen), None)
            if twin is not None:
                report.problems.append((line, f"the same member as line {twin}"))
                continue
            seen.update({k: line for k in keys})
            report.rows.append(row)
    except csv.Error as exc:
        report.problems.append((reader.line_num, f"unreadable CSV: {exc}"))
    if not header_done or (not report.rows and not report.problems):
        raise CsvError("the file has a header but no members")
    return report


def import_members(services: Services, report: ImportReport) -> list[int]:
    """Save the good rows in one unit of work; returns the ids of changed profiles."""
    changed: list[int] = []
    with session_scope(services.engine) as session:
        for row in report.rows:
            profile = find_import_target(session=session, username=row.telegram,
                                         name=row.name, organization=row.organization)
            if profile is not None and profile.member_telegram_id is not None:
                report.skipped.append((row.line, "belongs to a member who edits it in "
                                                 "Telegram; left unchanged"))
                continue
            if profile is None:
                profile = Profile(source="import")
                report.created += 1
            else:
                report.updated += 1
            profile.name, profile.organization, profile.kind, profile.city = (
                row.name, row.organization, row.kind, row.city)
            profile.offers, profile.needs = list(row.offers), list(row.needs)
            profile.description, profile.telegram_username = row.description, row.telegram
            profile.visible, profile.source, profile.updated_at = True, "import", utcnow()
            session.add(profile)
            session.flush()
            if row.telegram:
                member = member_by_username(session=session, username=row.telegram)
                if member is not None and claim_imported_profile(session=session,
                                                                 member=member):
                    report.claimed += 1
            assert profile.id is not None
            changed.append(profile.id)
    return changed


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_members(services: Services) -> str:
    """Every profile as CSV text (import-compatible; formulas neutralised for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    with session_scope(services.engine) as session:
        for profile, member in all_profiles(session=session):
            username = (member.username if member is not None else None) or \
                profile.telegram_username or ""
            writer.writerow([_cell(v) for v in (
                profile.name, profile.organization, profile.kind, profile.city,
                "; ".join(profile.offers), "; ".join(profile.needs), username,
                profile.description, "yes" if profile.visible else "no", profile.source)])
    return out.getvalue()
