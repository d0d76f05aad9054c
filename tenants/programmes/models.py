"""Programmes: a club, a class series, a workshop or an event, its sessions, who registered and who came.

A programme belongs to the library that organises it; other partner libraries may take part in it
(`ProgrammePartner`), and it is cross-border when the libraries involved are in two countries. Its sessions
are held in a sensory room (then through a booking of the bookings feature, so the room's no-overlap rule
holds: `occurrence_id`) or elsewhere: an address, a care home, online.

Participants register once for the whole series, without an account. A registration is a person (a name and
a phone or an e-mail) or a group counted only (a care home bringing eight residents). Registrations take
places up to the programme's capacity; the rest wait in the order they came (`registrations` has the rules).
Access needs are counted per programme for the logistics (`ProgrammeNeed`), never stored on a registration:
they would be a person's health data. Attendance is marked per registration on each session's roster, and
counted per target group on the session (how many, never who).
"""
from datetime import datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.organisations.models import Organisation

# Locale → text; a language without text is left out (as the e-learning courses keep theirs).
Texts = dict[str, str]

NAME_LENGTH, PHONE_LENGTH, EMAIL_LENGTH, ADDRESS_LENGTH, URL_LENGTH = 200, 40, 254, 300, 500


class ProgrammeKind(enum.StrEnum):
    CLUB = "club"  # meets regularly, open-ended
    CLASS_SERIES = "class_series"  # a course of classes with a first and a last
    WORKSHOP = "workshop"
    EVENT = "event"  # a one-off: a reading, a conference


class Place(enum.StrEnum):
    ROOM = "room"  # a sensory room, booked through the bookings feature
    ADDRESS = "address"
    CARE_HOME = "care_home"  # at an organisation's premises
    ONLINE = "online"


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"  # holds its places
    WAITLISTED = "waitlisted"  # waits, in the order registrations came, for places to free
    CANCELLED = "cancelled"


class AccessNeed(enum.StrEnum):
    WHEELCHAIR = "wheelchair"  # a wheelchair place
    HEARING_LOOP = "hearing_loop"
    LARGE_PRINT = "large_print"
    COMPANION = "companion"  # comes with a companion who helps


class Mark(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


def attended_column(group: TargetGroup) -> str:
    return f"attended_{group.value}"


class Programme(TenantScopedMixin, Audited, TimestampMixin, Model):
    __tablename__ = "programme"
    __table_args__ = (sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProgrammeKind] = mapped_column(str_enum(ProgrammeKind, 14))
    title: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    description: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    # TargetGroup values the programme is meant for.
    target_groups: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # Places for participants and their companions; None: no limit.
    capacity: Mapped[int | None]
    # Shown on the library's public listing (with its registration form while `registration_open`).
    public: Mapped[bool] = mapped_column(default=False)
    registration_open: Mapped[bool] = mapped_column(default=True)
    # Organised by libraries of two countries (the organiser and its partners): kept in step by the services.
    cross_border: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None]

    organiser: Mapped[User | None] = relationship()
    partners: Mapped[list["ProgrammePartner"]] = relationship(back_populates="programme", cascade="all, delete-orphan")
    co_organisers: Mapped[list["ProgrammeOrganisation"]] = relationship(back_populates="programme", cascade="all, delete-orphan")
    sessions: Mapped[list["ProgrammeSession"]] = relationship(back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeSession.starts_at")


class ProgrammePartner(TenantScopedMixin, Model):
    """Another partner library taking part in a programme (a row of the organiser's)."""

    __tablename__ = "programme_partner"
    __table_args__ = (sa.UniqueConstraint("programme_id", "partner_tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    partner_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))

    programme: Mapped[Programme] = relationship(back_populates="partners")


class ProgrammeOrganisation(TenantScopedMixin, Model):
    """An organisation that co-organises a programme (a disability society running a club with the library)."""

    __tablename__ = "programme_organisation"
    __table_args__ = (sa.UniqueConstraint("programme_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)

    programme: Mapped[Programme] = relationship(back_populates="co_organisers")
    organisation: Mapped[Organisation] = relationship()


class ProgrammeSession(TenantScopedMixin, Audited, TimestampMixin, Model):
    """One meeting of a programme, at UTC `starts_at`..`ends_at`. In a sensory room it is the booking's
    occurrence (`occurrence_id`): the booking holds the room, and moving or cancelling goes through bookings."""

    __tablename__ = "programme_session"
    __table_args__ = (
        sa.Index("ix_programme_session_tenant_starts_at", "tenant_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("place <> 'room' OR occurrence_id IS NOT NULL", name="room_is_booked"),
        *(sa.CheckConstraint(f"{attended_column(group)} IS NULL OR {attended_column(group)} >= 0", name=f"{attended_column(group)}_not_negative") for group in TargetGroup),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    place: Mapped[Place] = mapped_column(str_enum(Place, 10))
    occurrence_id: Mapped[int | None] = mapped_column(sa.ForeignKey("occurrence.id", ondelete="SET NULL"), unique=True)
    address: Mapped[str] = mapped_column(sa.String(ADDRESS_LENGTH), default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    online_url: Mapped[str] = mapped_column(sa.String(URL_LENGTH), default="")
    cancelled_at: Mapped[datetime | None]
    # The day before, the participants were reminded of this session.
    reminded_at: Mapped[datetime | None]
    # Who came, per target group (None: not counted yet). Counts only: nobody's group is recorded.
    attended_seniors: Mapped[int | None]
    attended_physical: Mapped[int | None]
    attended_psychosocial: Mapped[int | None]
    attended_intellectual: Mapped[int | None]
    attended_visual: Mapped[int | None]
    attended_hearing: Mapped[int | None]
    attended_other: Mapped[int | None]

    programme: Mapped[Programme] = relationship(back_populates="sessions")
    organisation: Mapped[Organisation | None] = relationship()


class Registration(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A person or a counted group registered for a whole programme. `places` = the people and their
    companions; REGISTERED registrations hold them, WAITLISTED ones wait in `id` order."""

    __tablename__ = "programme_registration"
    __table_args__ = (
        sa.Index("ix_programme_registration_programme_status", "programme_id", "status"),
        sa.CheckConstraint("group_size >= 1", name="group_size_positive"),
        sa.CheckConstraint("companions >= 0", name="companions_not_negative"),
        sa.CheckConstraint("places = group_size + companions", name="places_add_up"),
        sa.CheckConstraint("erased_at IS NOT NULL OR is_group OR (name <> '' AND (phone <> '' OR email <> ''))", name="person_reachable"),
    )

    # Personal data: the audit log records that it changed, never the values (which erasure must not leave behind).
    __audit_redacted__ = frozenset({"name", "phone", "email"})

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus, 12))
    # A group counted only (a care home's residents): `name` may name the group, contact details are optional.
    is_group: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(sa.String(NAME_LENGTH), default="")
    phone: Mapped[str] = mapped_column(sa.String(PHONE_LENGTH), default="")
    email: Mapped[str] = mapped_column(sa.String(EMAIL_LENGTH), default="")
    group_size: Mapped[int] = mapped_column(default=1)
    companions: Mapped[int] = mapped_column(default=0)
    places: Mapped[int] = mapped_column(default=1)
    # The language reminders are written in.
    locale: Mapped[str] = mapped_column(sa.String(5), default="lv")
    referred_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    # Random: the participant's own link to cancel (in their confirmation), never an id to guess.
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Set when retention erased name and contact; the row stays so that places and attendance keep counting.
    erased_at: Mapped[datetime | None]

    programme: Mapped[Programme] = relationship()
    referred_by: Mapped[Organisation | None] = relationship()


class Attendance(TenantScopedMixin, Model):
    """A registration's mark on one session's roster; `present` counts the people of a group who came."""

    __tablename__ = "programme_attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "registration_id"),
        sa.CheckConstraint("present >= 0", name="present_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_session.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_registration.id", ondelete="CASCADE"), index=True)
    mark: Mapped[Mark] = mapped_column(str_enum(Mark, 8))
    present: Mapped[int] = mapped_column(default=0)

    registration: Mapped[Registration] = relationship()


class ProgrammeNeed(TenantScopedMixin, Model):
    """How many registrations asked for an access need: counted for the logistics, linked to nobody."""

    __tablename__ = "programme_need"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "need"),
        sa.CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    need: Mapped[AccessNeed] = mapped_column(str_enum(AccessNeed, 14))
    count: Mapped[int] = mapped_column(default=0)
