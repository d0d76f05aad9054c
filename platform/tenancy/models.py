"""Tenants (partner municipalities), projects, their partners and reporting periods, and project leads."""
from datetime import date, datetime
import enum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, relationship, str_enum, utcnow
from bibnet.tenancy import validation


class Country(enum.StrEnum):
    LT = "LT"
    LV = "LV"


class Tenant(GlobalModel, Audited, TimestampMixin, Model):
    """A partner municipality. Its slug is the `/t/<slug>/` URL prefix of all its pages."""

    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[Country] = mapped_column(str_enum(Country, 2))
    default_locale: Mapped[str] = mapped_column(sa.String(5))
    stored_timezone: Mapped[str] = mapped_column("timezone", sa.String(64))
    active: Mapped[bool] = mapped_column(default=True)

    partnerships: Mapped[list["Partner"]] = relationship(back_populates="tenant")

    @property
    def timezone(self) -> str:
        """The tenant's time zone, always one the zone database knows: a zone stored before names were checked
        that it does not know gives way to the country's (`validation.usable_zone`), not to a server error."""
        return validation.usable_zone(self.stored_timezone, self.country.value if self.country else "")

    @timezone.setter
    def timezone(self, zone: str) -> None:
        self.stored_timezone = zone

    def today(self, now: datetime | None = None) -> date:
        """The library's date at `now` (default: now), in its time zone: what "today" means for its people."""
        return (now or utcnow()).astimezone(ZoneInfo(self.timezone)).date()

    @validates("slug", "stored_timezone", "default_locale")
    def _refuse_what_cannot_work(self, name: str, value: str) -> str:
        """The last line of defence: callers check with `validation.tenant_problems` to show the messages."""
        check = {"slug": validation.slug_problems, "stored_timezone": validation.zone_problems, "default_locale": validation.locale_problems}[name]
        problems = check(value)
        if problems:
            raise ValueError(str(problems[0]))
        return value


class Project(GlobalModel, Audited, TimestampMixin, Model):
    """A co-financed project (e.g. an Interreg VI-A Latvia–Lithuania project) joining several tenants."""

    __tablename__ = "project"
    __table_args__ = (
        sa.CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
        sa.CheckConstraint("durability_years BETWEEN 1 AND 10", name="durability_years_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Equipment bought with the project's money must stay owned and in use for `durability_years` after the
    # programme's final payment to the lead partner (None: not paid yet), see `bibnet.tenants.inventory.durability.dates`.
    final_payment_on: Mapped[date | None]
    durability_years: Mapped[int] = mapped_column(default=5, server_default="5")

    # Read for the one project of a page or report; lists of projects load them with options.
    partners: Mapped[list["Partner"]] = relationship(lazy="select", back_populates="project", order_by="Partner.number")
    reporting_periods: Mapped[list["ReportingPeriod"]] = relationship(
        lazy="select",
        back_populates="project", order_by="ReportingPeriod.number"
    )


class ReportingPeriod(GlobalModel, Audited, Model):
    __tablename__ = "reporting_period"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "number"),
        sa.CheckConstraint("starts_on <= ends_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    number: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    project: Mapped[Project] = relationship(back_populates="reporting_periods")


class PartnerRole(enum.StrEnum):
    LEAD = "lead"
    PARTNER = "partner"


class Partner(GlobalModel, Audited, Model):
    """A tenant's part in a project: the lead partner (LP1) or a project partner (PP2, PP3...)."""

    __tablename__ = "partner"
    __table_args__ = (sa.UniqueConstraint("project_id", "tenant_id"), sa.UniqueConstraint("project_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    role: Mapped[PartnerRole] = mapped_column(str_enum(PartnerRole, 10))
    number: Mapped[int]

    project: Mapped[Project] = relationship(back_populates="partners")
    # A project's partners are read for the one project of a page; pages load their tenants with options.
    tenant: Mapped[Tenant] = relationship(lazy="select", back_populates="partnerships")

    @property
    def code(self) -> str:
        return f"{'LP' if self.role is PartnerRole.LEAD else 'PP'}{self.number}"


class ProjectLead(GlobalModel, Audited, Model):
    """A user who leads a project: reads every partner of it and exports the consolidated reports."""

    __tablename__ = "project_lead"
    __table_args__ = (sa.UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project] = relationship()
