"""The features' repeating jobs (the reminder pass) on PTB's job queue.

The job queue is only a cache of the database: APScheduler keeps jobs in memory and may
skip a late run; the next run catches up from the database. Job names are the features'
own (`reminders:pass`), so a job can be found and replaced; one run of a job at a time in
this process. Several instances on one database each run their jobs: a job's own claims
(storage.leases) make sure each message is sent by exactly one of them.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application

from core.feature import Job
from core.registry import Registry
from handlers.context import AdvisorContext, BotData
from handlers.render import TelegramSender

logger = logging.getLogger(__name__)


def _runner(job: Job):  # type: ignore[no-untyped-def]
    lock = asyncio.Lock()

    async def run(context: AdvisorContext) -> None:
        if lock.locked():  # the previous run is still busy: this one is not needed
            return
        async with lock:
            await job.run(context.services, TelegramSender(context.bot))

    run.__doc__ = f"Job {job.name}: one run, never two at once in this process."
    return run


def arm_jobs(application: Application, registry: Registry) -> None:
    """At start-up: each job's recovery step, then its repeating runs."""
    bot_data: BotData = application.bot_data
    if bot_data.services is None:
        raise RuntimeError("services must be started before the jobs are armed")
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot[job-queue] is needed for reminders")
    for job in registry.jobs:
        if job.on_start is not None:
            job.on_start(bot_data.services)
        for old in queue.get_jobs_by_name(job.name):
            old.schedule_removal()
        queue.run_repeating(_runner(job), interval=job.interval_seconds,
                            first=job.first_after_seconds, name=job.name,
                            job_kwargs={"misfire_grace_time": None, "coalesce": True,
                                        "max_instances": 1})


def disarm_jobs(application: Application, registry: Registry) -> None:
    """At shutdown: drop the jobs (a run in flight finishes or is redone at start)."""
    queue = application.job_queue
    if queue is not None:
        for job in registry.jobs:
            for old in queue.get_jobs_by_name(job.name):
                old.schedule_removal()
