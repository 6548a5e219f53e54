"""The matchmaking dev set (tests/data/dev/match_*.toml) as members of a database, and the
share of its cases /match gets right: used by the quality floors in
test_matching_quality.py and by bench/bench_match_quality.py."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.identity import identify
from core.members.matching import search, search_for
from core.services import Services
from storage.accounts.queries import get_member
from storage.engine import session_scope
from storage.members.profiles import profile_of, profiles_by_id, save_profile

DEV = Path(__file__).resolve().parents[1] / "data" / "dev"
KINDS = {"network": "cluster"}  # the dev set's type names -> the project's profile kinds
FIRST_USER = 10_000
TOP = 3

Case = dict[str, Any]
Miss = Callable[[str, Case, list[str]], None]


def load_dev() -> tuple[list[Case], list[Case], list[Case]]:
    """(profiles, [[query]] cases, [[direction]] cases)."""
    profiles = tomllib.loads((DEV / "match_profiles.toml").read_text("utf-8"))["profile"]
    cases = tomllib.loads((DEV / "match_queries.toml").read_text("utf-8"))
    return profiles, cases["query"], cases["direction"]


class DevSet:
    """The dev profiles as members' own visible profiles, and /match answers as dev ids."""

    def __init__(self, services: Services, profiles: list[Case]) -> None:
        self.services = services
        self.users: dict[str, int] = {}
        for number, entry in enumerate(profiles):
            user = FIRST_USER + number
            self.users[entry["id"]] = user
            identify(services, user_id=user, chat_id=user, name=entry["name"],
                     username=None, language_code=entry["lang"])
            with session_scope(services.engine) as session:
                row = get_member(session=session, telegram_id=user)
                assert row is not None
                row.role = "member"
                session.add(row)
                save_profile(session=session, telegram_id=user, name=entry["name"],
                             organization=entry["organization"],
                             kind=KINDS.get(entry["type"]) or entry["type"],
                             city=entry["city"], offers=entry["offers"],
                             needs=entry["needs"], description=entry["description"],
                             visible=True)
        dev_of = {user: dev for dev, user in self.users.items()}
        with session_scope(services.engine) as session:
            owners = {profile_id: profile.member_telegram_id for profile_id, profile in
                      profiles_by_id(session=session, ids=list(range(1, 10_000))).items()}
        self._dev_of_profile = {pid: dev_of[owner] for pid, owner in owners.items()
                                if owner in dev_of}

    def query(self, text: str) -> list[str]:
        """The dev ids /match KEYWORDS returns, best first."""
        return [self._dev_of_profile[h.profile_id] for h in search(self.services, text).hits]

    def direction(self, dev_id: str) -> list[str]:
        """The dev ids /match without keywords returns for that member, best first."""
        with session_scope(self.services.engine) as session:
            own = profile_of(session=session, telegram_id=self.users[dev_id])
            assert own is not None
            hits = search_for(self.services, own).hits
        return [self._dev_of_profile[h.profile_id] for h in hits]


def evaluate(dev: DevSet, queries: list[Case], directions: list[Case], split: str,
             miss: Miss | None = None) -> dict[str, tuple[int, int]]:
    """(right, total) per group of one split: each query kind, "all queries" (every case
    with expected ids), "none" (nobody expected) and "direction"."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in (q for q in queries if q["split"] == split):
        found = dev.query(case["text"])
        expect = case["expect"]
        right = set(expect) <= set(found[:TOP]) if expect else not found
        for group in (case["kind"], "all queries") if expect else ("none",):
            counts[group][0] += right
            counts[group][1] += 1
        if miss is not None and not right:
            miss(case["kind"], case, found)
    for case in (d for d in directions if d["split"] == split):
        found = dev.direction(case["profile"])
        right = set(case["expect"]) <= set(found[:TOP])
        counts["direction"][0] += right
        counts["direction"][1] += 1
        if miss is not None and not right:
            miss("direction", case, found)
    return {group: (right, total) for group, (right, total) in counts.items()}
