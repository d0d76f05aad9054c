"""Periodic jobs: features register them from their `init_app`; `bibnet jobs run` runs every job that is due.

Run `bibnet jobs run` every few minutes (cron or the compose `jobs` service). A job is due when its last run
started at least `every` ago, or, for a daily job registered with `at=time(7)`, when it has not started since
the last 07:00 in `JOBS_TIMEZONE` (people expect a daily mail in their morning, not at the hour of the first
run); `job_run` remembers the last start per job. Claiming a run is one conditional UPDATE, so
of two runners started together only one runs a job (SQLite serialises writers; on PostgreSQL the row lock
does), and on PostgreSQL an advisory lock also keeps a job that outlives its period from running twice.
A job that fails is logged and is due again at the next pass; the other jobs still run.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
import logging
import zlib
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import GlobalModel, Model, utcnow
from bibnet.extensions import db

log = logging.getLogger("bibnet.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], str]  # does the work at `now`, commits it, and says in a line what it did
    at: time | None = None  # a daily job's local hour in JOBS_TIMEZONE; `every` is then a day

    def due_if_started_by(self, now: datetime) -> datetime:
        """The job is due at `now` when its last run started at or before this instant."""
        if self.at is None:
            return now - self.every
        zone = ZoneInfo(current_app.config["JOBS_TIMEZONE"])
        local = now.astimezone(zone)
        latest = datetime.combine(local.date(), self.at, zone)
        if latest > local:
            latest = datetime.combine(local.date() - timedelta(days=1), self.at, zone)
        return latest - timedelta(microseconds=1)  # a run that started at that hour itself is today's


class JobRun(GlobalModel, Model):
    """The last run of each job: when it started (which decides when it is due), ended, and what it said."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_outcome: Mapped[str | None] = mapped_column(sa.String(500))


def register(app, name: str, every: timedelta, run: Callable[[datetime], str], *, at: time | None = None) -> None:
    """Declare a periodic job of `app` (from a feature's `init_app`): every `every`, or daily `at` a local hour."""
    registered = app.extensions.setdefault("bibnet.jobs", {})
    if name in registered:
        raise ValueError(f"a job named {name!r} is registered already")
    registered[name] = Job(name, timedelta(days=1) if at is not None else every, run, at)


def registered_jobs() -> list[Job]:
    return sorted(current_app.extensions.get("bibnet.jobs", {}).values(), key=lambda job: job.name)


def due_jobs(now: datetime, only: str | None = None) -> list[Job]:
    started = dict(db.session.execute(sa.select(JobRun.name, JobRun.last_started_at)).all())
    return [
        job for job in registered_jobs()
        if (only is None or job.name == only) and (started.get(job.name) is None or started[job.name] <= job.due_if_started_by(now))
    ]


def run_due(now: datetime | None = None, only: str | None = None) -> list[tuple[Job, str | None]]:
    """Run every due job (or only `only`); returns each job run with its outcome, None for one that failed."""
    now = now or utcnow()
    ran = []
    for job in due_jobs(now, only):
        with _exclusive(job) as mine:
            if mine and _claim(job, now):
                ran.append((job, _run(job, now)))
    return ran


def _run(job: Job, now: datetime) -> str | None:
    try:
        outcome = job.run(now)
    except Exception:
        db.session.rollback()
        log.exception("job %s failed", job.name)
        # Due again at the next pass: a failed daily job must not wait a day.
        db.session.execute(sa.update(JobRun).where(JobRun.name == job.name).values(last_started_at=None, last_outcome="failed"))
        db.session.commit()
        return None
    db.session.execute(sa.update(JobRun).where(JobRun.name == job.name).values(last_finished_at=utcnow(), last_outcome=outcome[:500]))
    db.session.commit()
    return outcome


def _claim(job: Job, now: datetime) -> bool:
    """Mark the job as started at `now` if it is still due; False when another runner got there first."""
    try:
        with db.session.begin_nested():
            db.session.add(JobRun(name=job.name))
    except IntegrityError:
        pass  # a row from an earlier run, or from a runner that started at the same moment
    claimed = db.session.execute(
        sa.update(JobRun)
        .where(JobRun.name == job.name, sa.or_(JobRun.last_started_at.is_(None), JobRun.last_started_at <= job.due_if_started_by(now)))
        .values(last_started_at=now)
    )
    db.session.commit()
    return claimed.rowcount == 1


@contextmanager
def _exclusive(job: Job) -> Iterator[bool]:
    """On PostgreSQL, a session advisory lock named after the job, held on a connection of its own for the run:
    yields False if another runner holds it. SQLite has a single writer and needs none."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = zlib.crc32(f"bibnet.jobs.{job.name}".encode())
    with db.engine.connect() as connection:
        locked = connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        connection.commit()
        try:
            yield bool(locked)
        finally:
            if locked:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()


jobs_cli = AppGroup("jobs", help="Periodic jobs: reminders, mail delivery, erasing personal data on time.")


@jobs_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only list the jobs that are due; run and change nothing.")
@click.option("--only", "only", metavar="NAME", help="Run only this job (if it is due).")
def run_command(dry_run: bool, only: str | None) -> None:
    """Run every job that is due. Safe to run every few minutes, and from two places at once."""
    names = [job.name for job in registered_jobs()]
    if only is not None and only not in names:
        raise click.BadParameter(f"no job {only!r}; the jobs are: {', '.join(names)}", param_hint="--only")
    now = utcnow()
    if dry_run:
        due = due_jobs(now, only)
        db.session.rollback()
        click.echo("\n".join(f"due: {job.name}" for job in due) or "No job is due.")
        return
    ran = run_due(now, only)
    for job, outcome in ran:
        click.echo(f"{job.name}: {outcome if outcome is not None else 'FAILED (see the log)'}")
    if not ran:
        click.echo("No job was due.")
    if any(outcome is None for _, outcome in ran):
        raise SystemExit(1)


def init_app(app) -> None:
    from bibnet import mail

    register(app, "mail.deliver", timedelta(0), lambda now: f"delivered {mail.deliver_queued(now)} mail(s)")
    app.cli.add_command(jobs_cli)
