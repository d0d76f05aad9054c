"""A booking (one session or a recurring series) and its occurrences, one row per session.

Visitors are counts per target group, never a person: no field records anyone's health or disability.
"""
from datetime import date, datetime, time
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.bookings.recurrence import Frequency, Rule
from bibnet.tenants.rooms.models import Room


class Activity(enum.StrEnum):
    SENSORY_SESSION = "sensory_session"
    CLUB = "club"
    TRAINING = "training"
    CONSULTATION = "consultation"
    EVENT = "event"
    OTHER = "other"


class TargetGroup(enum.StrEnum):
    """The programme's target groups. A visitor is counted in one group; carers are counted apart."""

    SENIORS = "seniors"  # 50 years and older
    PHYSICAL = "physical"
    PSYCHOSOCIAL = "psychosocial"
    INTELLECTUAL = "intellectual"
    VISUAL = "visual"
    HEARING = "hearing"
    OTHER = "other"


# The count columns, in display order: one per target group, then the accompanying carers.
VISITOR_KINDS = (*tuple(group.value for group in TargetGroup), "carers")


class Status(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


# Occurrences in these states hold the room; the database refuses two of them overlapping (see the migration).
OCCUPYING = (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)
# States that may still change; the others are final (attendance may be corrected on completed and no-show).
OPEN = (Status.REQUESTED, Status.CONFIRMED)


def _non_negative(prefix: str):
    return [sa.CheckConstraint(f"{prefix}{kind} >= 0", name=f"{prefix}{kind}_not_negative") for kind in VISITOR_KINDS]


class Booking(TenantScopedMixin, Audited, TimestampMixin, Model):
    """What was booked and for whom, and the rule its occurrences were expanded from."""

    __tablename__ = "booking"
    __table_args__ = (
        sa.CheckConstraint("start_time < end_time", name="times_in_order"),
        sa.CheckConstraint("interval >= 1", name="interval_positive"),
        *_non_negative("expected_"),
    )
    __audit_redacted__ = frozenset({"organiser_name", "organiser_contact"})

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"), index=True)
    activity: Mapped[Activity] = mapped_column(str_enum(Activity, 20))
    # What the calendar shows, e.g. "Tuesday club"; not a person's name.
    title: Mapped[str] = mapped_column(sa.String(120))
    responsible_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    # The group, organisation or carer who asked; erased some days after the last session (see privacy.py).
    organiser_name: Mapped[str | None] = mapped_column(sa.String(120))
    organiser_contact: Mapped[str | None] = mapped_column(sa.String(200))
    contact_erased_at: Mapped[datetime | None]
    expected_seniors: Mapped[int] = mapped_column(default=0)
    expected_physical: Mapped[int] = mapped_column(default=0)
    expected_psychosocial: Mapped[int] = mapped_column(default=0)
    expected_intellectual: Mapped[int] = mapped_column(default=0)
    expected_visual: Mapped[int] = mapped_column(default=0)
    expected_hearing: Mapped[int] = mapped_column(default=0)
    expected_other: Mapped[int] = mapped_column(default=0)
    expected_carers: Mapped[int] = mapped_column(default=0)
    internal_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The rule, in the tenant's local time: a 10:00 club stays at 10:00 across daylight saving changes.
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, 10))
    interval: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[str] = mapped_column(sa.String(20), default="")  # "0,2" = Monday and Wednesday
    first_date: Mapped[date]
    last_date: Mapped[date]
    until: Mapped[date | None]
    count: Mapped[int | None]
    start_time: Mapped[time]
    end_time: Mapped[time]

    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    room: Mapped[Room] = relationship(lazy="select")
    responsible: Mapped[User] = relationship(foreign_keys=[responsible_id])
    occurrences: Mapped[list["Occurrence"]] = relationship(
        lazy="select",
        back_populates="booking", order_by="Occurrence.original_starts_at", cascade="all, delete-orphan"
    )

    @property
    def rule(self) -> Rule:
        return Rule(
            frequency=self.frequency,
            first_date=self.first_date,
            interval=self.interval,
            weekdays=frozenset(int(day) for day in self.weekdays.split(",") if day),
            until=self.until,
            count=self.count,
        )

    @property
    def expected(self) -> dict[str, int]:
        return {kind: getattr(self, f"expected_{kind}") for kind in VISITOR_KINDS}

    @property
    def expected_total(self) -> int:
        return sum(self.expected.values())


class Occurrence(TenantScopedMixin, Audited, Model):
    """One session of a booking, in UTC. `blocked_until` adds the room's cleaning buffer to the end."""

    __tablename__ = "occurrence"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="times_in_order"),
        sa.CheckConstraint("ends_at <= blocked_until", name="buffer_after_end"),
        sa.Index("ix_occurrence_room_starts_at", "room_id", "starts_at"),
        sa.Index("ix_occurrence_tenant_starts_at", "tenant_id", "starts_at"),
        *_non_negative("attended_"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    # Copied from the booking so that the database can refuse overlaps per room on its own.
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    blocked_until: Mapped[datetime]
    # Where the rule put this session; differs from starts_at once the session is moved (iCal RECURRENCE-ID).
    original_starts_at: Mapped[datetime]
    status: Mapped[Status] = mapped_column(str_enum(Status, 12))
    status_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    attended_seniors: Mapped[int | None]
    attended_physical: Mapped[int | None]
    attended_psychosocial: Mapped[int | None]
    attended_intellectual: Mapped[int | None]
    attended_visual: Mapped[int | None]
    attended_hearing: Mapped[int | None]
    attended_other: Mapped[int | None]
    attended_carers: Mapped[int | None]
    attendance_recorded_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]

    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    booking: Mapped[Booking] = relationship(lazy="select", back_populates="occurrences")
    room: Mapped[Room] = relationship(lazy="select")

    @property
    def attended(self) -> dict[str, int] | None:
        if self.attendance_recorded_at is None:
            return None
        return {kind: getattr(self, f"attended_{kind}") or 0 for kind in VISITOR_KINDS}

    @property
    def moved(self) -> bool:
        return self.starts_at != self.original_starts_at

    @property
    def occupies_room(self) -> bool:
        return self.status in OCCUPYING
