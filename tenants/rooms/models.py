"""A tenant's sensory rooms, the hours they open and the days they are closed."""
from datetime import date, time
import enum
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin


class RoomFeature(enum.StrEnum):
    """What a room offers: the sensory equipment visitors choose it for, and its accessibility."""

    BUBBLE_TUBE = "bubble_tube"
    FIBRE_OPTICS = "fibre_optics"
    PROJECTOR = "projector"
    ADJUSTABLE_LIGHTING = "adjustable_lighting"
    SOUND_SYSTEM = "sound_system"
    TACTILE_PANELS = "tactile_panels"
    WEIGHTED_BLANKETS = "weighted_blankets"
    SOFT_FURNISHINGS = "soft_furnishings"
    QUIET_ZONE = "quiet_zone"
    STEP_FREE_ACCESS = "step_free_access"
    WHEELCHAIR_SPACE = "wheelchair_space"
    HEARING_LOOP = "hearing_loop"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HOIST = "hoist"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Room(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A bookable sensory room in one of the tenant's libraries, with the rules its bookings follow."""

    __tablename__ = "room"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "name"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("buffer_minutes BETWEEN 0 AND 240", name="buffer_range"),
        sa.CheckConstraint("min_notice_hours BETWEEN 0 AND 720", name="notice_range"),
        sa.CheckConstraint("max_advance_days BETWEEN 1 AND 366", name="advance_range"),
        sa.CheckConstraint("max_duration_minutes BETWEEN 15 AND 720", name="duration_range"),
    )
    __audit_redacted__ = frozenset({"calendar_token"})

    id: Mapped[int] = mapped_column(primary_key=True)
    library: Mapped[str] = mapped_column(sa.String(200))
    name: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    features: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    # Minutes kept free after every session to wipe and reset the room; part of every booking's blocked time.
    buffer_minutes: Mapped[int] = mapped_column(default=15)
    min_notice_hours: Mapped[int] = mapped_column(default=0)
    max_advance_days: Mapped[int] = mapped_column(default=90)
    max_duration_minutes: Mapped[int] = mapped_column(default=180)
    needs_approval: Mapped[bool] = mapped_column(default=False)
    # The secret part of the room's iCal feed URL; regenerating it cuts off every old subscriber.
    calendar_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_calendar_token)
    active: Mapped[bool] = mapped_column(default=True)

    photo: Mapped[StoredFile | None] = relationship()
    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    opening_hours: Mapped[list["OpeningHours"]] = relationship(
        lazy="select",
        back_populates="room", cascade="all, delete-orphan", order_by="(OpeningHours.weekday, OpeningHours.opens)"
    )

    @property
    def feature_set(self) -> set[RoomFeature]:
        return {RoomFeature(value) for value in self.features or () if value in RoomFeature._value2member_map_}


class OpeningHours(TenantScopedMixin, Model):
    """One opening interval on a weekday (0 = Monday), in the tenant's local time. A day may have several."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]

    room: Mapped[Room] = relationship(back_populates="opening_hours")


class Closure(TenantScopedMixin, Audited, Model):
    """Days a room (or, with no room, every room of the tenant) cannot be booked: holidays, maintenance."""

    __tablename__ = "closure"
    __table_args__ = (sa.CheckConstraint("starts_on <= ends_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(200))

    room: Mapped[Room | None] = relationship()

    def covers(self, day: date, room_id: int) -> bool:
        return (self.room_id is None or self.room_id == room_id) and self.starts_on <= day <= self.ends_on
