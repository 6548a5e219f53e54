"""The fields of an action item as people type them: status words, participant groups and
the responsible person (a member, an @username not known yet, or free text)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlmodel import Session

from core.i18n import t
from storage.accounts.tables import Member
from storage.action_plan.people import member_by_id, member_by_username, members_named
from storage.action_plan.tables import ItemStatus

# The talk's participant groups (Beteiligte), in the order they are shown.
GROUPS = ("research", "companies", "politics", "public_sector", "cluster", "others")

_GROUP_WORDS = {
    "research": ("forschung", "wissenschaft", "hochschule", "hochschulen", "universitaet",
                 "universitaeten", "research", "science", "academia", "universities"),
    "companies": ("unternehmen", "firmen", "wirtschaft", "industrie", "companies", "company",
                  "business", "industry", "enterprises"),
    "politics": ("politik", "politics", "policy makers", "policymakers"),
    "public_sector": ("oeffentliche hand", "verwaltung", "oeffentlicher sektor", "kommunen",
                      "public sector", "public administration", "administration"),
    "cluster": ("cluster", "netzwerk", "netzwerke", "cluster/netzwerk", "clustermanagement",
                "network", "networks", "cluster/network", "cluster management"),
    "others": ("andere", "sonstige", "weitere", "others", "other"),
}
_WORD_TO_GROUP = {word: group for group, words in _GROUP_WORDS.items() for word in words}

_STATUS_WORDS = {
    ItemStatus.OPEN: ("open", "offen", "neu", "new", "geplant", "planned", "todo"),
    ItemStatus.IN_PROGRESS: ("in progress", "in arbeit", "in bearbeitung",
                             "laeuft", "begonnen", "started", "ongoing", "doing"),
    ItemStatus.DONE: ("done", "erledigt", "fertig", "abgeschlossen", "completed", "finished"),
    ItemStatus.CANCELLED: ("cancelled", "canceled", "abgebrochen", "storniert", "verworfen",
                           "gestrichen", "dropped"),
}
_WORD_TO_STATUS = {word: status for status, words in _STATUS_WORDS.items() for word in words}

USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")
# quotes around a name, as Excel and people add them: '@anna, "@anna", „Anna Berg“
QUOTES = "'\"`´‘’‚‛“”„«»‹› "
SELF_WORDS = frozenset({"ich", "mich", "mir", "selbst", "me", "myself", "i"})


def fold(text: str) -> str:
    """Lower case, umlauts as ae/oe/ue, accents off, spaces collapsed."""
    text = text.strip().lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def parse_status(text: str) -> ItemStatus | None:
    """'erledigt', 'in progress', 'Offen' ... -> the status, or None when unknown."""
    return _WORD_TO_STATUS.get(fold(text).replace("_", " ").replace("-", " "))


def status_label(status: str, lang: str) -> str:
    return t(lang, f"plan_status_{status}")


def parse_participants(text: str) -> tuple[list[str], str]:
    """Split 'Forschung, Unternehmen, Stadtwerke X' into known groups and free text."""
    groups: set[str] = set()
    free: list[str] = []
    for part in re.split(r"[,;\n]|\s&\s|\s\+\s|\bund\b|\band\b", text):
        part = part.strip(" .-")
        if not part:
            continue
        group = _WORD_TO_GROUP.get(fold(part))
        if group is None and "/" in part:
            pieces = [_WORD_TO_GROUP.get(fold(p)) for p in part.split("/")]
            if all(pieces):
                groups.update(p for p in pieces if p)
                continue
        if group is None:
            free.append(part)
        else:
            groups.add(group)
    return [g for g in GROUPS if g in groups], ", ".join(free)


def participants_label(groups: list[str], free: str, lang: str) -> str:
    """The participants as one line: translated groups first, then the free text."""
    parts = [t(lang, f"plan_group_{g}") for g in GROUPS if g in groups]
    if free:
        parts.append(free)
    return ", ".join(parts)


@dataclass(frozen=True)
class Responsible:
    """Who is responsible: exactly one of member_id, username (pending) or name is set."""

    member_id: int | None = None
    username: str | None = None  # without "@": not started the bot yet, linked later
    name: str | None = None  # free text such as "CARS": cannot be reminded
    display: str = ""  # how to show it right now (name or @username)

    @property
    def reachable(self) -> bool:
        return self.member_id is not None


def member_display(member: Member) -> str:
    return f"@{member.username}" if member.username else (member.name or f"#{member.id}")


def resolve_responsible(session: Session, text: str, *, self_id: int | None
                        ) -> Responsible | None:
    """'@anna', 'anna', 'Anna Berg', 'ich' or 'CARS' -> who is responsible; None when empty.

    An @username nobody has used yet is kept as a username (linked once they start the bot);
    text that names no member is kept as free text. Quotes around it are not part of it.
    """
    text = " ".join(text.split())[:200].strip(QUOTES)
    if not text or text in ("-", "–"):
        return None
    if fold(text) in SELF_WORDS and self_id is not None:
        member = member_by_id(session=session, member_id=self_id)
        if member is not None:
            return Responsible(member_id=member.id, display=member_display(member))
    username = USERNAME.match(text)
    if username:
        member = member_by_username(session=session, username=username.group(1))
        if member is not None:
            return Responsible(member_id=member.id, display=member_display(member))
        if text.startswith("@"):
            return Responsible(username=username.group(1), display="@" + username.group(1))
    if text.startswith("@"):
        return Responsible(name=text, display=text)  # not a valid username: keep as text
    by_name = members_named(session=session, name=text, limit=2)
    if len(by_name) == 1:
        return Responsible(member_id=by_name[0].id, display=member_display(by_name[0]))
    return Responsible(name=text, display=text)
