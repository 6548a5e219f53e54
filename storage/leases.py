"""Claims with a lease: several processes share one table of things to send, and each row is
worked on by exactly one of them at a time.

A table that uses this has a `state` column and the two columns of `Leased`: `claimed_by`
(the claim's token: which process, which claim) and `lease_until`. A process

1. **claims** rows — free ones (`state` in `Leasing.free`), or held ones whose lease has run
   out — by setting them to `Leasing.held` with its own token and `now + LEASE`, and commits
   before doing the work. On PostgreSQL the rows are first locked with `SELECT … FOR UPDATE
   SKIP LOCKED`, so two claimers never wait for each other; on SQLite the conditional
   `UPDATE` alone decides (the database has one writer at a time);
2. **settles** them — writes the outcome (sent, failed, free again for a retry) — only
   where `claimed_by` is still its token and the row is still held. A process whose lease ran
   out and was taken over writes nothing: it can never revert another process's result. (A
   lease that ran out but was *not* taken over is still this claim's, so its outcome is
   kept: writing "sent" then prevents a second copy.)
3. **recovers** only what no live process holds: rows whose lease has run out, and rows whose
   claimant provably died on this very machine (same boot, same PID namespace, the process
   is gone) — so a restart after `kill -9` resends at once, while rows of a process on
   another machine wait for its lease.

The lease must outlast the work done under it: callers bound one piece of work to
`WORK_TIMEOUT` (half the lease). The clocks of the processes are compared through
`lease_until`, so they must agree to within the other half (NTP does that).
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_, select, update
from sqlmodel import Field, Session, SQLModel

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)
WORK_TIMEOUT = LEASE.total_seconds() / 2  # seconds one piece of work may take under a lease
TOKEN_MAX = 96
CHUNK = 500  # bound parameters per IN (...) list


class Leased(SQLModel):
    """The lease columns, for a table model to inherit (`class Reminder(Leased, table=True)`)."""

    claimed_by: str | None = Field(default=None, max_length=TOKEN_MAX)  # kept after settling
    lease_until: datetime | None = None  # NULL once settled


@dataclass(frozen=True)
class Leasing:
    """How one table's rows are claimed: the table, its free states and its held state."""

    table: Table
    free: tuple[str, ...] = ("pending",)
    held: str = "sending"
    extra: Mapping[str, Any] = field(default_factory=dict)  # more values set on claiming

    def claimable(self, now: datetime) -> ColumnElement[bool]:
        """Free, or held under a lease that has run out."""
        columns = self.table.c
        return or_(columns.state.in_(self.free),
                   and_(columns.state == self.held, expired(self.table, now)))


def expired(table: Table, now: datetime) -> ColumnElement[bool]:
    """The lease has run out (no lease at all: held since before leases existed)."""
    return or_(table.c.lease_until < now, table.c.lease_until.is_(None))


@functools.cache
def instance_id() -> str:
    """This process, as claims name it: host / boot and PID namespace / pid / random."""
    return (f"{socket.gethostname()[:24]}/{_machine()}/{os.getpid()}/"
            f"{secrets.token_hex(3)}")


_claims = itertools.count(1)


def new_token() -> str:
    """A token for one claim of this process (several claims of one process never mix)."""
    return f"{instance_id()}#{next(_claims)}"[:TOKEN_MAX]


def _machine() -> str:
    """Which kernel and PID namespace this process lives in ("-" where that can't be told)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip().replace("-", "")
        namespace = os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        return "-"
    return f"{boot[:12]}.{namespace}"


def died_here(token: str) -> bool:
    """Did the process that made this claim run on this machine and is it gone?

    Only certain when the claim names this kernel boot and PID namespace (then its pid means
    the same here); a pid that is alive again — even reused — counts as alive.
    """
    parts = token.split("#", 1)[0].split("/")
    machine = _machine()
    if len(parts) != 4 or machine == "-" or parts[1] != machine or not parts[2].isdigit():
        return False
    pid = int(parts[2])
    if pid == os.getpid():
        return token.split("#", 1)[0] != instance_id()  # an earlier process with our pid
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no such process
    return status.rpartition(")")[2].split()[:1] in (["Z"], ["X"])  # a zombie is dead too


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claim(*, session: Session, leasing: Leasing, ids: list[int], token: str, now: datetime,
          values: Mapping[str, Any] | None = None,
          where: ColumnElement[bool] | None = None) -> bool:
    """Claim all of `ids` for `token`, or none (False: some are held by a live claim, were
    settled meanwhile or no longer match `where`, e.g. "still due"). The caller commits
    before doing the work."""
    if not ids:
        return True
    table = leasing.table
    condition = leasing.claimable(now) if where is None else and_(leasing.claimable(now),
                                                                    where)
    if _postgres(session):  # lock them first; rows another transaction holds are skipped
        locked = 0
        for chunk in _chunks(sorted(set(ids))):
            locked += len(session.execute(
                select(table.c.id).where(table.c.id.in_(chunk), condition)
                .with_for_update(skip_locked=True)).all())
        if locked != len(set(ids)):
            session.rollback()
            return False
    changes = {"state": leasing.held, "claimed_by": token, "lease_until": now + LEASE,
               **leasing.extra, **(values or {})}
    claimed = 0
    for chunk in _chunks(sorted(set(ids))):
        claimed += _count(session.execute(
            update(table).where(table.c.id.in_(chunk), condition).values(**changes)))
    if claimed != len(set(ids)):
        session.rollback()
        return False
    return True


def claim_due(*, session: Session, leasing: Leasing, where: ColumnElement[bool], token: str,
              now: datetime, limit: int, values: Mapping[str, Any] | None = None) -> list[int]:
    """Claim up to `limit` claimable rows matching `where`, oldest id first; their ids.

    For tables worked row by row (one event notice after another): every caller gets
    different rows at once, none waits for another.
    """
    table = leasing.table
    query = (select(table.c.id).where(where, leasing.claimable(now))
             .order_by(table.c.id).limit(limit))
    if _postgres(session):
        query = query.with_for_update(skip_locked=True)
        ids = [int(row[0]) for row in session.execute(query).all()]
        claim(session=session, leasing=leasing, ids=ids, token=token, now=now, values=values)
        return ids
    changes = {"state": leasing.held, "claimed_by": token, "lease_until": now + LEASE,
               **leasing.extra, **(values or {})}
    session.execute(update(table).where(table.c.id.in_(query.scalar_subquery()),
                                        leasing.claimable(now)).values(**changes))
    return [int(row[0]) for row in session.execute(
        select(table.c.id).where(table.c.claimed_by == token, table.c.state == leasing.held)
        .order_by(table.c.id)).all()]


def settle(*, session: Session, leasing: Leasing, ids: list[int], token: str,
           values: Mapping[str, Any]) -> int:
    """Write the outcome of a claim's work; only rows this claim still holds change.

    Returns how many did: fewer than `ids` means the claim was taken over (the lease ran out
    and another process claimed the rows), and the other process's outcome stands.
    """
    table = leasing.table
    settled = 0
    for chunk in _chunks(sorted(set(ids))):
        settled += _count(session.execute(
            update(table).where(table.c.id.in_(chunk), table.c.claimed_by == token,
                                table.c.state == leasing.held)
            .values(lease_until=None, **values)))
    return settled


def recover(*, session: Session, leasing: Leasing, now: datetime,
            values: Mapping[str, Any] | None = None) -> int:
    """Free the rows no live process holds: leases that ran out, and claims of processes
    that died on this machine. Rows held by a live claim are never touched."""
    table = leasing.table
    held = table.c.state == leasing.held
    tokens = {str(row[0]) for row in session.execute(
        select(table.c.claimed_by).where(held, table.c.lease_until >= now).distinct()).all()
        if row[0]}
    dead = sorted(token for token in tokens if died_here(token))
    gone = expired(table, now)
    if dead:
        gone = or_(gone, table.c.claimed_by.in_(dead[:CHUNK]))
    changes = {"state": leasing.free[0], "lease_until": None, **(values or {})}
    return _count(session.execute(update(table).where(held, gone).values(**changes)))
