"""/match: members ranked by how well they fit typed keywords or my needs, page by page,
with a "request contact" button per result; and the same search for the command line."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from core.actor import Actor, Role
from core.feature import Action, Actions, integer
from core.i18n import t
from core.members.common import kind_label, member_index
from core.members.contact import request_contact
from core.members.index import MemberIndex
from core.members.keywords import surface, written_as
from core.members.query import Hit, Query, Ranking, Reason
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.engine import session_scope
from storage.members.matchmaking import get_search, save_search
from storage.members.profiles import profile_of, profiles_by_id
from storage.members.tables import Profile

PAGE_SIZE = 5
MAX_REASONS = 3  # explanation lines per result
MAX_RESULTS = 50
MAX_QUERY_CHARS = 300
DESCRIPTION_SHOWN = 120


@dataclass(frozen=True)
class Found:
    """A search outcome: hits best first, the typed words no profile uses, and how to
    explain a hit (its reasons are worked out only for the hits shown)."""

    hits: list[Hit]
    unknown: list[str]  # runs of typed words nobody uses ("heat pump"), folded
    ranking: Ranking = field(default_factory=lambda: Ranking([]))
    index: MemberIndex | None = None
    nothing_known: bool = False  # none of the typed words is anybody's

    def explained(self, hits: list[Hit]) -> list[Hit]:
        """These hits with their reasons."""
        return self.index.explain(self.ranking, hits) if self.index is not None else hits


def search(services: Services, query: str, *, exclude_owner: int | None = None,
           limit: int = MAX_RESULTS) -> Found:
    """Search by typed keywords (any language, typos welcome)."""
    index = member_index(services)
    parsed: Query = index.parse(query)
    ranking = index.search(parsed, exclude_owner=exclude_owner, limit=limit)
    return Found(ranking.hits, list(parsed.unknown), ranking, index, parsed.nothing_known)


def search_for(services: Services, profile: Profile, *, limit: int = MAX_RESULTS) -> Found:
    """Partners for a profile: their offers fit its needs, or their needs fit its offers."""
    index = member_index(services)
    ranking = index.search_partners(list(profile.needs), list(profile.offers),
                                    exclude_owner=profile.member_telegram_id, limit=limit)
    return Found(ranking.hits, [], ranking, index)


def match_command(services: Services, actor: Actor, args: str) -> Reply:
    """Search members by keywords, or by my needs and offers when no keywords are given."""
    lang = actor.language
    query = " ".join(args.split())
    if len(query) > MAX_QUERY_CHARS:
        return Reply(t(lang, "members_match_too_long", limit=MAX_QUERY_CHARS))
    with session_scope(services.engine) as session:
        if not query:
            own = profile_of(session=session, telegram_id=actor.user_id)
            if own is None or not (own.needs or own.offers):
                return Reply(t(lang, "members_match_usage"))
        saved = save_search(session=session, telegram_id=actor.user_id, query=query)
        search_id = saved.id
    assert search_id is not None
    return _page(services, actor, search_id, query, 0, edit=False)


def _find(services: Services, actor: Actor, query: str) -> Found | None:
    if query:
        return search(services, query, exclude_owner=actor.user_id)
    with session_scope(services.engine) as session:
        own = profile_of(session=session, telegram_id=actor.user_id)
    if own is None or not (own.needs or own.offers):
        return None
    return search_for(services, own)


def _result_lines(number: int, hit: Hit, profile: Profile, lang: str, *, own: bool) -> str:
    where = ", ".join(html.escape(p) for p in (profile.organization, profile.city) if p)
    demo = t(lang, "members_match_demo") if profile.source == "demo" else ""
    lines = [t(lang, "members_match_row", number=number, name=html.escape(profile.name),
               where=where or "–", kind=kind_label(profile.kind, lang), score=hit.score)
             + demo]
    lines += [explain(reason, profile, lang, own=own) for reason in hit.reasons[:MAX_REASONS]]
    if profile.description:
        text = profile.description
        text = text if len(text) <= DESCRIPTION_SHOWN else text[:DESCRIPTION_SHOWN] + "…"
        lines.append(f"   <i>{html.escape(text)}</i>")
    return "\n".join(lines)


def explain(reason: Reason, profile: Profile, lang: str, *, own: bool) -> str:
    """One line saying why a profile fits: "your need 'Wärmepumpen' ≈ their offer 'heat
    pump controls'" (`own`: the search was my profile's needs and offers)."""
    theirs = reason.theirs
    if reason.side == "text":
        text = " ".join((profile.name, profile.organization, profile.city, profile.description))
        theirs = written_as(text, theirs.split())
    same = surface(reason.mine) == surface(theirs)
    key = "members_match_why_" + ("my_" if own else "") + {
        "offer": "offer", "need": "need", "text": "text"}[reason.side]
    if same:
        key += "_same"
    return t(lang, key, mine=html.escape(reason.mine), theirs=html.escape(theirs))


def _page(services: Services, actor: Actor, search_id: int, query: str, page: int, *,
          edit: bool) -> Reply:
    lang = actor.language
    found = _find(services, actor, query)
    if found is None:
        return Reply(t(lang, "members_match_usage"), edit=edit)
    about = html.escape(query) if query else t(lang, "members_match_my_profile")
    absent = [written_as(query, run.split()) for run in found.unknown]  # as typed
    unknown = (t(lang, "members_match_unknown", words=", ".join(map(html.escape, absent)))
               if absent else "")
    if not found.hits:
        if found.nothing_known:
            unknown = ""  # the first line says already that nobody fits any of it
        text = "\n\n".join(p for p in (t(lang, "members_match_none", query=about), unknown,
                                       t(lang, "members_match_none_hint")) if p)
        return Reply(text, edit=edit)
    pages = (len(found.hits) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    shown = found.explained(found.hits[page * PAGE_SIZE:(page + 1) * PAGE_SIZE])
    with session_scope(services.engine) as session:
        profiles = profiles_by_id(session=session, ids=[h.profile_id for h in shown])
    lines = [t(lang, "members_match_title", query=about, count=len(found.hits),
               page=page + 1, pages=pages)]
    if unknown:
        lines.append(unknown)
    buttons: list[Choice] = []
    for number, hit in enumerate(shown, start=page * PAGE_SIZE + 1):
        profile = profiles.get(hit.profile_id)
        if profile is None:
            continue
        lines.append(_result_lines(number, hit, profile, lang, own=not query))
        buttons.append(ACTIONS.button(t(lang, "members_match_contact_button", number=number,
                                        name=profile.name[:40]), "contact", hit.profile_id))
    lines.append(t(lang, "members_match_footer"))
    navigation = []
    if page > 0:
        navigation.append(ACTIONS.button(t(lang, "members_match_previous"), "page", search_id,
                                         page - 1))
    if page + 1 < pages:
        navigation.append(ACTIONS.button(t(lang, "members_match_next"), "page", search_id,
                                         page + 1))
    return Reply("\n\n".join(lines), rows(buttons) + ((tuple(navigation),) if navigation else ()),
                 edit=edit)


def press_page(services: Services, actor: Actor, search_id: int, page: int) -> Reply:
    """Turn a page of my own search, in place (someone else's search is refused)."""
    with session_scope(services.engine) as session:
        saved = get_search(session=session, search_id=search_id)
        if saved is None or saved.telegram_id != actor.user_id:
            return refused_press(t(actor.language, "stale_button"))
        query = saved.query
    return _page(services, actor, search_id, query, page, edit=True)


def cli_results(services: Services, query: str, limit: int) -> list[dict[str, object]]:
    """The results of one query as the CLI prints them (JSON-ready, best first)."""
    found = search(services, query, limit=limit)
    hits = found.explained(found.hits)
    with session_scope(services.engine) as session:
        profiles = profiles_by_id(session=session, ids=[h.profile_id for h in hits])
    results: list[dict[str, object]] = []
    for hit in hits:
        profile = profiles.get(hit.profile_id)
        if profile is not None:
            results.append({"name": profile.name, "organization": profile.organization,
                            "score": hit.score,
                            "matched": list(dict.fromkeys(hit.matched_offers
                                                          + hit.matched_needs))})
    return results


ACTIONS = Actions("match", Role.MEMBER, (
    Action("contact", request_contact, (integer,)),
    Action("page", press_page, (integer, integer)),
))
