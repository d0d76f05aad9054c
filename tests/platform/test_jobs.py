"""`bibnet jobs run`: runs every registered job that is due, once, however often it is started and from
however many places; `--dry-run` only says what is due."""
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bibnet import jobs, mail
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.jobs import JobRun
from bibnet.mail import QueuedMail


@pytest.fixture
def counting_job(app):
    """An hourly job of this test only, which counts its runs."""
    runs = []

    def count(now):
        runs.append(now)
        return f"run {len(runs)}"

    jobs.register(app, "test.count", timedelta(hours=1), count)
    yield runs
    del app.extensions["bibnet.jobs"]["test.count"]


@pytest.fixture
def failing_job(app):
    def fail(now):
        raise RuntimeError("the job broke")

    jobs.register(app, "test.fail", timedelta(days=1), fail)
    yield
    del app.extensions["bibnet.jobs"]["test.fail"]


@pytest.fixture
def morning_job(app):
    """A daily job of this test only, at 07:00 in JOBS_TIMEZONE (Riga), which counts its runs."""
    runs = []
    jobs.register(app, "test.morning", timedelta(days=1), lambda now: runs.append(now) or "ran", at=time(7))
    yield runs
    del app.extensions["bibnet.jobs"]["test.morning"]


def riga(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Riga")).astimezone(UTC)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["jobs", "run", *args])


def queue_one_mail(make_user):
    user = make_user(email="anna@example.lv", name="Anna")
    mail.send(user.email, "Hello", "mail/password_reset.txt", locale="en", user=user, link="http://localhost/reset")
    db.session.commit()


def delivered(app) -> int:
    folder = Path(app.config["MAIL_OUTBOX"])
    return len(list(folder.glob("*.eml"))) if folder.exists() else 0


def test_the_core_and_the_features_register_their_jobs(app_context):
    assert {"mail.deliver", "retention.erase", "bookings.reminders"} <= {job.name for job in jobs.registered_jobs()}


def test_a_job_runs_when_due_and_not_again_before_its_period_has_passed(app_context, counting_job):
    now = utcnow()
    jobs.run_due(now, only="test.count")
    jobs.run_due(now + timedelta(minutes=5), only="test.count")
    assert len(counting_job) == 1
    jobs.run_due(now + timedelta(hours=1), only="test.count")
    assert len(counting_job) == 2
    run_row = db.session.get(JobRun, "test.count")
    assert run_row.last_outcome == "run 2" and run_row.last_finished_at is not None


def test_a_daily_job_runs_once_a_morning_at_its_local_hour_whenever_it_first_ran(app_context, morning_job):
    jobs.run_due(riga(10, 15), only="test.morning")  # first run ever: due at once
    for moment in (riga(10, 23), riga(11, 6, 59)):
        jobs.run_due(moment, only="test.morning")
    assert len(morning_job) == 1, "not again before the next 07:00"
    for moment in (riga(11, 7), riga(11, 7, 5), riga(11, 18)):
        jobs.run_due(moment, only="test.morning")
    assert morning_job[1:] == [riga(11, 7)]
    jobs.run_due(riga(13, 9), only="test.morning")  # the runner was down on the 12th: one run, not two
    jobs.run_due(riga(13, 9, 5), only="test.morning")
    assert morning_job[2:] == [riga(13, 9)]


def test_a_daily_job_keeps_its_local_hour_across_the_change_to_summer_time(app_context, morning_job):
    jobs.run_due(riga(27, 7, 1), only="test.morning")  # winter time: 05:01 UTC
    jobs.run_due(riga(28, 6, 59), only="test.morning")  # summer time from 28 March 2027 03:00
    jobs.run_due(riga(28, 7, 0), only="test.morning")  # 04:00 UTC
    assert morning_job == [riga(27, 7, 1), riga(28, 7, 0)]


def test_running_twice_sends_the_mail_once(app, make_user):
    queue_one_mail(make_user)
    first, second = run(app), run(app)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "mail.deliver: delivered 1 mail(s)" in first.output
    assert delivered(app) == 1


def test_dry_run_lists_what_is_due_and_changes_nothing(app, make_user):
    queue_one_mail(make_user)
    result = run(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "due: mail.deliver" in result.output and "due: bookings.reminders" in result.output
    assert delivered(app) == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0
    assert db.session.scalar(sa.select(QueuedMail.sent_at)) is None


def test_only_runs_the_named_job(app, make_user):
    queue_one_mail(make_user)
    result = run(app, "--only", "bookings.reminders")
    assert result.exit_code == 0, result.output
    assert "bookings.reminders" in result.output and "mail.deliver" not in result.output
    assert delivered(app) == 0


def test_an_unknown_job_is_refused_with_the_list_of_jobs(app):
    result = run(app, "--only", "no.such.job")
    assert result.exit_code != 0
    assert "no job 'no.such.job'" in result.output and "mail.deliver" in result.output


def test_a_failing_job_is_reported_the_others_still_run_and_it_is_due_again_at_the_next_pass(app, make_user, failing_job, caplog):
    queue_one_mail(make_user)
    result = run(app)
    assert result.exit_code == 1
    assert "test.fail: FAILED" in result.output and "the job broke" in caplog.text
    assert delivered(app) == 1
    db.session.expire_all()
    assert "test.fail" in {job.name for job in jobs.due_jobs(utcnow())}


def test_a_job_that_another_runner_has_just_started_is_not_run_again(app_context, counting_job):
    now = utcnow()
    db.session.add(JobRun(name="test.count", last_started_at=now - timedelta(seconds=1)))
    db.session.commit()
    assert jobs.run_due(now, only="test.count") == []
    assert counting_job == []


def test_a_job_whose_advisory_lock_another_runner_holds_is_skipped(app, app_context, counting_job):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite has a single writer")
    with jobs._exclusive(jobs.Job("test.count", timedelta(hours=1), lambda now: "")) as mine:
        assert mine
        assert jobs.run_due(only="test.count") == []
    assert counting_job == []
    assert [job.name for job, _ in jobs.run_due(only="test.count")] == ["test.count"]
