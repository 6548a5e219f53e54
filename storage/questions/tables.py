"""The questions feature's tables: missed questions, the cluster's own entries and their
history, taught phrasings, hidden shipped entries, answers with feedback, forwarded
questions, the review queue's handled misses and the knowledge version stamp."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlmodel import Field, SQLModel

from storage.clock import utcnow


class UnansweredQuestion(SQLModel, table=True):
    """A question the advisor could not answer confidently, for managers to review."""

    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime = Field(default_factory=utcnow, index=True)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    language: str = Field(default="de", max_length=2)
    text: str = Field(max_length=1000)
    best_topic: str | None = Field(default=None, max_length=40)
    score: int = 0
    # the entry that was answered when a 👎 put the question here (else None)
    answered_with: str | None = Field(default=None, max_length=40)


class ClusterEntry(SQLModel, table=True):
    """One of the cluster's own answers (#12), beside the shipped talk content.

    `content` holds the entry as the knowledge files do: `title`, `answer` (de/en; one
    language may be missing), `questions` and `keywords` (de/en lists) and `related` ids.
    """

    __tablename__ = "cluster_entry"

    id: str = Field(primary_key=True, max_length=40)
    chapter: str = Field(default="cluster", max_length=40)
    source: str = Field(default="", max_length=200)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EntryChange(SQLModel, table=True):
    """Who changed which entry when, with the content before and after."""

    __tablename__ = "entry_change"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=40, index=True)
    changed_by: int | None = Field(default=None, sa_type=BigInteger)
    changed_at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=16)  # create, update, delete, phrasing, hide, unhide, import
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class TaughtPhrasing(SQLModel, table=True):
    """A missed question a manager attached to an entry: it now leads to that entry."""

    __tablename__ = "taught_phrasing"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=40, index=True)
    language: str = Field(default="de", max_length=2)
    text: str = Field(max_length=300)
    added_by: int | None = Field(default=None, sa_type=BigInteger)
    added_at: datetime = Field(default_factory=utcnow)


class HiddenEntry(SQLModel, table=True):
    """A shipped entry this cluster does not want answered or shown."""

    __tablename__ = "hidden_entry"

    entry_id: str = Field(primary_key=True, max_length=40)
    hidden_by: int | None = Field(default=None, sa_type=BigInteger)
    hidden_at: datetime = Field(default_factory=utcnow)


class AnsweredQuestion(SQLModel, table=True):
    """A confident answer given, with the person's 👍/👎 (once per answer)."""

    __tablename__ = "answered_question"

    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime = Field(default_factory=utcnow, index=True)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    entry_id: str = Field(max_length=40, index=True)
    language: str = Field(default="de", max_length=2)
    text: str = Field(max_length=1000)
    vote: int | None = None  # 1 helpful, -1 not helpful
    voted_at: datetime | None = None


class ForwardedQuestion(SQLModel, table=True):
    """A question a member chose to pass to the cluster management, and its reply."""

    __tablename__ = "forwarded_question"

    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime = Field(default_factory=utcnow)
    telegram_id: int = Field(sa_type=BigInteger, index=True)
    language: str = Field(default="de", max_length=2)
    text: str = Field(max_length=1000)
    answered_by: int | None = Field(default=None, sa_type=BigInteger)
    answer: str | None = Field(default=None, max_length=2000)
    answered_at: datetime | None = None
    entry_id: str | None = Field(default=None, max_length=40)
    unanswered_id: int | None = Field(default=None, index=True)  # the missed question


class HandledMiss(SQLModel, table=True):
    """A missed question that left the review queue: answered, taught or dismissed.

    `batch` is the id of the group's first question, so a dismissal can be undone."""

    __tablename__ = "handled_miss"

    unanswered_id: int = Field(primary_key=True)
    batch: int = Field(index=True)
    outcome: str = Field(max_length=16)  # dismissed, taught, new_entry
    handled_by: int | None = Field(default=None, sa_type=BigInteger)
    handled_at: datetime = Field(default_factory=utcnow)


class KnowledgeVersion(SQLModel, table=True):
    """One row: bumped on every change of cluster knowledge, so every running instance
    notices it and rebuilds its matcher."""

    __tablename__ = "knowledge_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow)
