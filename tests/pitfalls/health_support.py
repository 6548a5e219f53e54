"""Prepared databases for the health tests: a `Cluster` spec (plan items, members, funding,
self-checks) written into a fresh database, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import SQLModel, col, select

import storage.schema  # noqa: F401  (every table, to empty them)
from core.pitfalls.content import PITFALL_IDS
from core.services import Services
from storage.accounts.tables import Member
from storage.action_plan.tables import PlanHistory, PlanItem
from storage.clock import utcnow
from storage.engine import session_scope
from storage.members.tables import Profile
from storage.pitfalls.funding import save_funding, store_founded_year
from storage.pitfalls.selfcheck import add_result
from tests.conftest import make_settings, start_services
from tests.pitfalls.support import funding_amounts

NOW = utcnow()  # /health itself uses the real clock
TODAY = NOW.date()
Fill = Callable[["Cluster"], Services]


@dataclass
class Cluster:
    """What to put into a prepared database."""

    items: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    funding: list[tuple[int, int]] = field(default_factory=list)  # (year, public %)
    founded: int | None = None
    selfchecks: list[tuple[int, int]] = field(default_factory=list)  # (telegram id, days ago)


def item(*, due_in: int = 100, kpi: str = "participants", groups: tuple[str, ...] = (
         "companies", "research"), status: str = "open", age: int = 10,
         updated: int | None = None) -> dict:
    """An action created `age` days ago, due in `due_in` days, last update `updated` days ago."""
    return {"due_in": due_in, "kpi": kpi, "groups": list(groups), "status": status,
            "age": age, "updated": age if updated is None else updated}


def member(telegram_id: int, *, role: str = "member", profile: bool = True,
           visible: bool = True, age: int = 30) -> dict:
    return {"telegram_id": telegram_id, "role": role, "profile": profile, "visible": visible,
            "age": age}


def plan_ids(services: Services) -> list[int]:
    """The ids of the plan items in the order the Cluster listed them (PostgreSQL does not
    restart its sequences when the tables are emptied)."""
    with session_scope(services.engine) as session:
        return [i for i in session.exec(select(PlanItem.id).order_by(col(PlanItem.id))).all()
                if i is not None]


def databases(database_url: str) -> Iterator[Fill]:
    """Build services on a fresh database and fill it with a Cluster (the `prepared`
    fixture in conftest.py)."""
    built: list[Services] = []

    def fill(cluster: Cluster) -> Services:
        services = start_services(make_settings(database_url, manager_ids="42"))
        built.append(services)
        with services.engine.begin() as connection:  # PostgreSQL is shared by the session
            for table in reversed(SQLModel.metadata.sorted_tables):
                connection.execute(table.delete())
        with session_scope(services.engine) as session:
            for spec in cluster.members:
                session.add(Member(telegram_id=spec["telegram_id"], role=spec["role"],
                                   name=f"M{spec['telegram_id']}",
                                   created_at=NOW - timedelta(days=spec["age"])))
                if spec["profile"]:
                    session.add(Profile(member_telegram_id=spec["telegram_id"], name="x",
                                        visible=spec["visible"]))
            for spec in cluster.items:
                created = NOW - timedelta(days=spec["age"])
                row = PlanItem(topic="Topic", action="Action", status=spec["status"],
                               deadline=TODAY + timedelta(days=spec["due_in"]),
                               kpi=spec["kpi"], participant_groups=spec["groups"],
                               created_at=created, updated_at=created, planned_from=created)
                session.add(row)
                session.flush()
                assert row.id is not None
                session.add(PlanHistory(item_id=row.id, to_status=spec["status"],
                                        at=NOW - timedelta(days=spec["updated"])))
            for year, public in cluster.funding:
                save_funding(session=session, year=year, updated_by=42,
                             **funding_amounts(public))
            if cluster.founded:
                store_founded_year(session=session, year=cluster.founded)
            for telegram_id, days in cluster.selfchecks:
                add_result(session=session, telegram_id=telegram_id, role="member",
                           scores=dict.fromkeys(PITFALL_IDS, 50), answers={},
                           taken_at=NOW - timedelta(days=days))
        return services

    yield fill
    for services in built:
        services.close()
