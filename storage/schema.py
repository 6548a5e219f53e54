"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic and
for tests that compare models with migrations)."""

from storage import community, models, pitfall_data, plan

__all__ = ["community", "models", "pitfall_data", "plan"]
