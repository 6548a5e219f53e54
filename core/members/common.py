"""Pieces the member features share: profile types, profile cards, contact details,
who the managers are, making someone a member, and the matchmaking index of the running
process (kept in `services.caches["members"]`)."""

from __future__ import annotations

import html
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from core.actor import Actor, Role
from core.i18n import LANGUAGES, t
from core.members.index import MemberIndex
from core.members.keywords import Synonyms, synonyms
from core.members.snapshot import Damaged, fingerprint, from_arrays, stale, to_arrays
from core.reply import Reply
from core.services import Services
from knowledge.text import fold
from storage.accounts.queries import all_manager_ids, get_member
from storage.accounts.tables import Member
from storage.engine import session_scope
from storage.members.matchmaking import index_rows, index_stamp, index_versions
from storage.members.profiles import ACTIVE_ROLES, profile_of
from storage.members.roles import set_role
from storage.members.snapshots import read_snapshot, snapshot_path, write_snapshot
from storage.members.tables import PROFILE_KINDS, Profile

CACHE_KEY = "members"  # this feature's entry in services.caches: the MemberIndex
SYNC_INTERVAL_SECONDS = 1.0
# more rows than this changed since the snapshot (a share, and at least a number): building
# afresh is quicker than re-indexing them one by one
MOST_CHANGED, FEW_CHANGED = 0.2, 1000
RESAVE_AFTER = 1000  # a start that re-indexed this many profiles saves the snapshot again

log = logging.getLogger(__name__)

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


def _kind_key(text: str) -> str:
    return fold(text.strip()).replace(" ", "-").replace("_", "-")


def kind_from_text(text: str) -> str | None:
    """'Forschung', 'research', 'Politik/Verwaltung' (a label as shown or exported) ->
    the type; None when not a known type."""
    key = _kind_key(text)
    if key in PROFILE_KINDS:
        return key
    labels = {_kind_key(t(lang, f"members_kind_{kind}")): kind
              for kind in PROFILE_KINDS for lang in LANGUAGES}
    return (labels.get(key) or KIND_ALIASES.get(key)
            or KIND_ALIASES.get(key.replace("-", "")))


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
        reach = t(lang, "members_contact_account", id=telegram_id, name=html.escape(name))
    organisation = f", {html.escape(profile.organization)}" if profile and \
        profile.organization else ""
    return t(lang, "members_contact_line", name=html.escape(name), organization=organisation,
             reach=reach)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def manager_ids(services: Services) -> list[int]:
    """Everyone to notify as a manager: MANAGER_IDS and members promoted to manager."""
    with session_scope(services.engine) as session:
        return all_manager_ids(session=session, configured=services.settings.manager_ids)


def language_of(services: Services, telegram_id: int) -> str:
    """The language someone chose (the cluster's default for people not seen yet)."""
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        return member.language if member else services.settings.default_language


def already_member(actor: Actor) -> Reply:
    """/join or an invite link used by someone who is a member or manager already."""
    key = "members_already_manager" if actor.at_least(Role.MANAGER) else "members_already_member"
    return Reply(t(actor.language, key))


def make_member(services: Services, telegram_id: int) -> bool:
    """Give a visitor the member role; False when they already were a member or manager."""
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=telegram_id)
        if member is None or member.role in ACTIVE_ROLES:
            return False
        set_role(session=session, member=member, role="member")
        profile = profile_of(session=session, telegram_id=telegram_id)
        profile_id = profile.id if profile else None
    if profile_id is not None:
        reindex(services, [profile_id])
    return True


def _cached(services: Services) -> MemberIndex | None:
    index = services.caches.get(CACHE_KEY)
    return index if isinstance(index, MemberIndex) else None


def member_index(services: Services) -> MemberIndex:
    """The matchmaking index: on first use read from the snapshot and brought up to date, or
    built; then kept in step with the database."""
    index = _cached(services)
    if index is None:
        index, outdated = _start(services)
        services.caches[CACHE_KEY] = index
        if outdated:  # ready first, saved second (the running bot is warming off the loop)
            _save(services, index)
    elif time.monotonic() - index.checked_at > SYNC_INTERVAL_SECONDS:
        _sync(services, index)
    return index


def _header() -> dict[str, str]:
    """What a snapshot must have been made with: this feature's index and this code."""
    return {"kind": "members", "code": fingerprint()}


def _start(services: Services) -> tuple[MemberIndex, bool]:
    """The saved index refreshed by what changed while the bot was down, else one built
    afresh; and whether to save it (built, or RESAVE_AFTER profiles re-indexed: a few
    changes are quicker to apply again at the next start than the snapshot is to write)."""
    path = _snapshot(services)
    table = synonyms()
    arrays = read_snapshot(path, _header()) if path is not None else None
    if arrays is not None:
        index = MemberIndex(table)
        try:
            index.adopt(from_arrays(arrays, table.words))
        except Damaged as exc:
            log.info("matchmaking snapshot %s ignored: %s", path, exc)
        else:
            changes = _refresh(services, index)
            if changes is not None:
                return index, changes >= RESAVE_AFTER
    return _built(services, table), True


def _snapshot(services: Services) -> Path | None:
    """Where this database's snapshot is kept (None: an in-memory database has none)."""
    return snapshot_path(services.settings.database_url, services.settings.cache_dir)


def _save(services: Services, index: MemberIndex) -> None:
    path = _snapshot(services)
    if path is not None:
        write_snapshot(path, _header(), index.export(to_arrays))


def _built(services: Services, table: Synonyms) -> MemberIndex:
    with session_scope(services.engine) as session:
        stamp = index_stamp(session=session)
        index = MemberIndex.built(index_rows(session=session,
                                             manager_ids=services.settings.manager_ids), table)
    index.stamp, index.checked_at = stamp, time.monotonic()
    return index


def _refresh(services: Services, index: MemberIndex) -> int | None:
    """Re-index the profiles changed, added or shown differently since the snapshot, drop
    the deleted ones: how many there were, or None when so many that a build is quicker."""
    manager_ids = services.settings.manager_ids
    with session_scope(services.engine) as session:
        stamp = index_stamp(session=session)  # first: later changes are caught by _sync
        versions = index_versions(session=session, manager_ids=manager_ids)
        todo = index.export(lambda parts: stale(parts, versions))
        if len(todo.changed) > max(MOST_CHANGED * len(versions.ids), FEW_CHANGED):
            return None
        for row in index_rows(session=session, manager_ids=manager_ids, ids=todo.changed):
            index.upsert(row)
    for profile_id in todo.removed:
        index.remove(profile_id)
    index.stamp, index.checked_at = stamp, time.monotonic()
    return len(todo.changed) + len(todo.removed)


def _sync(services: Services, index: MemberIndex) -> None:
    """Apply changes made by other processes (an import while the bot runs, a role changed
    by another instance)."""
    with session_scope(services.engine) as session:
        stamp = index_stamp(session=session)
        if stamp != index.stamp:
            rows = index_rows(session=session, manager_ids=services.settings.manager_ids,
                              since=index.stamp)
            for row in rows:
                index.upsert(row)
            index.stamp = stamp
            if len(index) != stamp.count:  # profiles were deleted elsewhere: drop them
                versions = index_versions(session=session,
                                          manager_ids=services.settings.manager_ids)
                for profile_id in index.export(lambda parts: stale(parts, versions)).removed:
                    index.remove(profile_id)
    index.checked_at = time.monotonic()


def reindex(services: Services, profile_ids: list[int], *, removed: bool = False) -> None:
    """Bring the given profiles up to date in the index right after a change here."""
    index = _cached(services)
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


def warm_index(services: Services) -> None:
    """Build the matchmaking index now (the running bot calls this off the event loop, so
    the first /match of a large cluster does not stall every chat)."""
    member_index(services)
