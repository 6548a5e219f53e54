"""Pieces the member features share: profile types, profile cards, contact details,
who the managers are, and the matchmaking index of the running process."""

from __future__ import annotations

import html
import time

from core.i18n import t
from core.members.index import MemberIndex
from core.services import Services
from knowledge.text import fold
from storage.community import PROFILE_KINDS, Profile
from storage.community_profiles import index_rows, index_stamp
from storage.engine import session_scope
from storage.members import all_manager_ids
from storage.models import Member

SYNC_INTERVAL_SECONDS = 1.0

KIND_ALIASES: dict[str, str] = {
    alias: kind for kind, aliases in {
        "company": "company firma unternehmen business wirtschaft industrie industry kmu sme "
                   "startup start-up",
        "research": "research forschung wissenschaft science hochschule university "
                    "universitaet institut institute",
        "public": "public politik verwaltung politics government oeffentlich kommune "
                  "public-sector behoerde",
        "cluster": "cluster netzwerk network verband association cluster/network "
                   "cluster/netzwerk",
        "other": "other sonstige sonstiges andere",
    }.items() for alias in aliases.split()}


def kind_from_text(text: str) -> str | None:
    """'Forschung', 'research', 'Research ' -> 'research'; None when not a known type."""
    key = fold(text.strip()).replace(" ", "-").replace("_", "-")
    if key in PROFILE_KINDS:
        return key
    return KIND_ALIASES.get(key) or KIND_ALIASES.get(key.replace("-", ""))


def kind_label(kind: str, lang: str) -> str:
    return t(lang, f"members_kind_{kind if kind in PROFILE_KINDS else 'other'}")


def keyword_list(keywords: list[str] | tuple[str, ...], lang: str) -> str:
    return ", ".join(html.escape(k) for k in keywords) or t(lang, "members_none")


def profile_card(profile: Profile, lang: str, *, with_visibility: bool = False) -> str:
    """A profile as HTML: every field escaped; no Telegram account details."""
    lines = [f"<b>{html.escape(profile.name)}</b>"]
    place = ", ".join(html.escape(p) for p in (profile.organization, profile.city) if p)
    lines.append(f"{place} · {kind_label(profile.kind, lang)}" if place
                 else kind_label(profile.kind, lang))
    lines.append(t(lang, "members_card_offers", keywords=keyword_list(profile.offers, lang)))
    lines.append(t(lang, "members_card_needs", keywords=keyword_list(profile.needs, lang)))
    if profile.description:
        lines.append(f"<i>{html.escape(profile.description)}</i>")
    if profile.source == "demo":
        lines.append(t(lang, "members_card_demo"))
    if with_visibility:
        lines.append(t(lang, "members_card_visible" if profile.visible
                       else "members_card_hidden"))
    return "\n".join(lines)


def contact_detail(member: Member | None, telegram_id: int, profile: Profile | None,
                   lang: str) -> str:
    """How to reach someone: @username if they have one, else a link to their account."""
    name = (profile.name if profile else "") or (member.name if member else "") or str(
        telegram_id)
    if member is not None and member.username:
        reach = f"@{html.escape(member.username)}"
    else:
        reach = (f'<a href="tg://user?id={telegram_id}">{html.escape(name)}</a> '
                 f"(Telegram-ID <code>{telegram_id}</code>)")
    organisation = f", {html.escape(profile.organization)}" if profile and \
        profile.organization else ""
    return t(lang, "members_contact_line", name=html.escape(name), organization=organisation,
             reach=reach)


def manager_ids(services: Services) -> list[int]:
    """Everyone to notify as a manager: MANAGER_IDS and members promoted to manager."""
    with session_scope(services.engine) as session:
        return all_manager_ids(session=session, configured=services.settings.manager_ids)


def member_index(services: Services) -> MemberIndex:
    """The matchmaking index: built on first use, then kept in step with the database."""
    index = services.member_index
    if index is None:
        index = MemberIndex()
        _load(services, index)
        services.member_index = index
    elif time.monotonic() - index.checked_at > SYNC_INTERVAL_SECONDS:
        _sync(services, index)
    return index


def _load(services: Services, index: MemberIndex) -> None:
    with session_scope(services.engine) as session:
        index.stamp = index_stamp(session=session)
        for row in index_rows(session=session, manager_ids=services.settings.manager_ids):
            index.upsert(row)
    index.checked_at = time.monotonic()


def _sync(services: Services, index: MemberIndex) -> None:
    """Apply changes made by other processes (an import while the bot runs)."""
    with session_scope(services.engine) as session:
        stamp = index_stamp(session=session)
        if stamp != index.stamp:
            rows = index_rows(session=session, manager_ids=services.settings.manager_ids,
                              since=index.stamp[1])
            for row in rows:
                index.upsert(row)
            index.stamp = stamp
    index.checked_at = time.monotonic()
    if len(index) != index.stamp[0]:  # profiles were deleted elsewhere: start afresh
        fresh = MemberIndex(index.synonyms)
        _load(services, fresh)
        services.member_index = fresh


def reindex(services: Services, profile_ids: list[int], *, removed: bool = False) -> None:
    """Bring the given profiles up to date in the index right after a change here."""
    index = services.member_index
    if index is None:
        return
    if removed:
        for profile_id in profile_ids:
            index.remove(profile_id)
        return
    with session_scope(services.engine) as session:
        rows = list(index_rows(session=session, manager_ids=services.settings.manager_ids,
                               ids=profile_ids))
    found = {row.profile_id for row in rows}
    for row in rows:
        index.upsert(row)
    for profile_id in set(profile_ids) - found:
        index.remove(profile_id)
