"""Member CSV export (`cluster-advisor members export`): every profile in the import
format, for the spreadsheet of the language asked for — German headers with `;` between
columns and `,` between keywords, or English headers with `,` and `;` — plus whether the
profile is visible and where it came from. Formulas are neutralised for spreadsheets."""

from __future__ import annotations

import csv
import io

from core.i18n import t
from core.members.common import kind_label
from core.members.csv_io import EXPORT_COLUMNS, FORMULA_START, column_name
from core.services import Services
from storage.engine import session_scope
from storage.members.profiles import all_profiles

DELIMITERS = {"de": ";", "en": ","}  # what Excel of that language expects


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def export_members(services: Services, lang: str) -> tuple[str, int]:
    """Every profile as CSV text in `lang`, and how many profiles it holds."""
    delimiter = DELIMITERS.get(lang, ",")
    between_keywords = ", " if delimiter == ";" else "; "
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([column_name(c, lang) for c in EXPORT_COLUMNS])
    count = 0
    with session_scope(services.engine) as session:
        for profile, member in all_profiles(session=session):
            username = (member.username if member is not None else None) or \
                profile.telegram_username or ""
            visible = t(lang, "members_csv_visible_yes" if profile.visible
                        else "members_csv_visible_no")
            source = profile.source if profile.source in ("member", "import", "demo") \
                else "member"
            writer.writerow([_cell(v) for v in (
                profile.name, profile.organization, kind_label(profile.kind, lang),
                profile.city, between_keywords.join(profile.offers),
                between_keywords.join(profile.needs), username, profile.description,
                visible, t(lang, f"members_csv_source_{source}"))])
            count += 1
    return out.getvalue(), count
