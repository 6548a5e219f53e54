"""`cluster-advisor demo`: a populated cluster for newcomers, from the talk's examples."""

from __future__ import annotations

from core import action_plan, members
from core.services import Services


def fill(services: Services) -> list[str]:
    """Run every feature's demo seeder (members first: plan items name them)."""
    lines: list[str] = []
    for seed in (members.seed_demo, action_plan.seed_demo):
        lines.extend(seed(services))
    return lines
