"""Timestamps are stored in UTC and read back aware, on SQLite (which keeps no zone) as on PostgreSQL."""
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.extensions import db


def test_a_moment_written_in_any_zone_is_read_back_aware_and_equal(world):
    riga_evening = datetime(2027, 3, 1, 21, 30, tzinfo=timezone(timedelta(hours=2)))
    world.staff.created_at = riga_evening
    db.session.commit()
    db.session.expire_all()
    read = db.session.scalar(sa.select(User.created_at).where(User.id == world.staff.id))
    assert read.tzinfo is not None and read == riga_evening and read.astimezone(UTC).hour == 19


def test_a_naive_moment_is_refused(world):
    world.staff.created_at = datetime(2027, 3, 1, 21, 30)
    with pytest.raises(sa.exc.StatementError, match="naive datetimes are refused"):
        db.session.commit()
    db.session.rollback()
