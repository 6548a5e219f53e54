"""Helpers shared by the members' tests: a fixed member set, members with profiles, the
buttons of a reply found through the feature's action tables, the command line."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from core.actor import Actor, Role
from core.feature import Actions
from core.identity import identify
from core.members import common, contact, invites, joining, matching, privacy, profile
from core.members.csv_io import import_members, parse_members_csv
from core.members.matching import search
from core.reply import Reply
from core.services import Services
from storage.accounts.queries import get_member
from storage.engine import session_scope
from storage.members.profiles import profile_of, profiles_by_id, save_profile
from tests.conftest import ROOT, clean_env

DATA = ROOT / "tests" / "data"
MEMBERS_CSV = DATA / "members_match.csv"
CASES = tomllib.loads((DATA / "members_match_cases.toml").read_text(encoding="utf-8"))["case"]

# the feature's button tables, by what the buttons do
PROFILE, MATCH, CONTACT = profile.ACTIONS, matching.ACTIONS, contact.ACTIONS
JOIN, INVITE, FORGET = joining.ACTIONS, invites.ACTIONS, privacy.ACTIONS


def import_member_set(services: Services) -> None:
    """The fixed member set of tests/data/members_match.csv (20 imported profiles)."""
    report = parse_members_csv(MEMBERS_CSV.read_bytes())
    assert report.problems == []
    import_members(services, report)


def member(services: Services, user_id: int, *, role: Role = Role.MEMBER,
           username: str | None = None, language_code: str = "de") -> Actor:
    """A user with the given stored role, as a transport would identify them."""
    identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
             username=username, language_code=language_code)
    with session_scope(services.engine) as session:
        row = get_member(session=session, telegram_id=user_id)
        assert row is not None
        row.role = role.value
        session.add(row)
        own = profile_of(session=session, telegram_id=user_id)
    if own is not None and own.id is not None:
        common.reindex(services, [own.id])
    return identify(services, user_id=user_id, chat_id=user_id, name=f"User {user_id}",
                    username=username, language_code=language_code)


def with_profile(services: Services, user_id: int, *, offers: list[str], needs: list[str],
                 name: str = "", organization: str = "", visible: bool = True,
                 username: str | None = None, description: str = "",
                 language_code: str = "de") -> Actor:
    """A member with a saved profile (and the live index told about it)."""
    who = member(services, user_id, username=username, language_code=language_code)
    with session_scope(services.engine) as session:
        saved = save_profile(session=session, telegram_id=user_id,
                             name=name or f"Person {user_id}",
                             organization=organization or f"Org {user_id}", kind="company",
                             city="Essen", offers=offers, needs=needs,
                             description=description, visible=visible)
        profile_id = saved.id
    assert profile_id is not None
    common.reindex(services, [profile_id])
    return who


def organisations(services: Services, query: str, **kwargs: Any) -> list[str]:
    """The organisations /match finds for `query`, best first."""
    found = search(services, query, **kwargs)
    with session_scope(services.engine) as session:
        profiles = profiles_by_id(session=session, ids=[h.profile_id for h in found.hits])
    return [profiles[h.profile_id].organization for h in found.hits]


def pressable(reply: Reply, table: Actions, action: str) -> list[str]:
    """The data of the reply's buttons that run `action` of `table`."""
    head = table.data(action)
    return [c.data for c in reply.flat_choices if c.data == head or c.data.startswith(head + ":")]


def first(reply: Reply, table: Actions, action: str) -> str:
    """The data of the reply's first button that runs `action` of `table`."""
    found = pressable(reply, table, action)
    assert found, f"no {table.prefix}:{action} button in {[c.data for c in reply.flat_choices]}"
    return found[0]


def cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`cluster-advisor ARGS` on a database in `tmp_path`."""
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, input=stdin,
                          capture_output=True, text=True, timeout=120,
                          env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}"))
