"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic and
for tests that compare models with migrations). A new feature's tables get one line here."""

from storage.accounts import tables as accounts_tables
from storage.action_plan import tables as action_plan_tables
from storage.dialogs import tables as dialogs_tables
from storage.events import tables as events_tables
from storage.members import tables as members_tables
from storage.pitfalls import tables as pitfalls_tables
from storage.questions import tables as questions_tables
from storage.workshop import tables as workshop_tables

__all__ = ["accounts_tables", "action_plan_tables", "dialogs_tables", "events_tables",
           "members_tables", "pitfalls_tables", "questions_tables", "workshop_tables"]
