"""Issuing, reading, revoking and renewing certificates: the only code that writes them.

A certificate is issued once, when an enrolment completes (`learning.on_completion`), in the completion's
transaction. Its code is ten characters of an alphabet without the look-alikes 0/O, 1/I/L, drawn with `secrets`
and shown as two groups of five (`7KQ4M-XW9RT`); people type it in any case, with or without the dash or spaces.
"""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
import enum
import re
import secrets

from babel.numbers import format_decimal
from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from bibnet.db import utcnow
from bibnet.elearning import learning
from bibnet.elearning.certificates.models import CODE_LENGTH, REASON_LENGTH, Certificate
from bibnet.elearning.models import Course, Enrolment
from bibnet.extensions import db
from bibnet.refusals import refuse_if_any
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Partner, Project, Tenant
from bibnet.web.i18n import formatting_locale

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: a code read aloud or from paper is typed right
GROUP = 5
EXPIRING_DAYS = 30  # a certificate this close to its end is marked, reminded of and warned about
_TYPED_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")

REASON_NEEDED = _l("Say why the certificate is revoked.")
REASON_TOO_LONG = _l("Keep the reason to %(max)d characters.", max=REASON_LENGTH)
ALREADY_REVOKED = _l("This certificate is revoked already.")


class Validity(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """The code as printed and shown: two groups of five."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


def normalised(typed: str | None) -> str | None:
    """The stored form of a code as someone typed it (any case, dash, spaces), or None when it cannot be one."""
    code = _TYPED_SEPARATORS.sub("", (typed or "").strip()).upper()
    return code if len(code) == CODE_LENGTH and all(char in ALPHABET for char in code) else None


def valid_until(course: Course, issued_on: date) -> date | None:
    """The last day a certificate issued on `issued_on` is valid: the course's months later, less a day."""
    if course.validity_months is None:
        return None
    return issued_on + relativedelta(months=course.validity_months) - relativedelta(days=1)


def validity(certificate: Certificate, today: date) -> Validity:
    if certificate.revoked_at is not None:
        return Validity.REVOKED
    if certificate.valid_until is not None and certificate.valid_until < today:
        return Validity.EXPIRED
    return Validity.VALID


def is_valid(certificate: Certificate, today: date) -> bool:
    return validity(certificate, today) is Validity.VALID


def study_minutes(course: Course) -> int:
    """The estimated time of the course's required lessons (its modules and lessons are loaded)."""
    return sum(lesson.estimated_minutes for lesson in learning.lessons_in_order(course) if lesson.required)


def issue(enrolment: Enrolment, course: Course) -> Certificate:
    """The certificate of a completed enrolment, issued once (a second call returns the first). The caller commits."""
    existing = db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id))
    if existing is not None:
        return existing
    issued_at = enrolment.completed_at or utcnow()
    certificate = Certificate(
        user_id=enrolment.user_id, course_id=course.id, enrolment_id=enrolment.id, issued_at=issued_at,
        minutes=study_minutes(course), valid_until=valid_until(course, issued_at.date()),
    )
    for _attempt in range(5):  # 31**10 codes: a clash is all but impossible, and then a new draw settles it
        certificate.code = new_code()
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
                db.session.flush()
        except IntegrityError:
            continue
        return certificate
    raise RuntimeError("no free certificate code after five draws")


def revoke(certificate: Certificate, reason: str, by) -> None:
    """Revoke with a reason (the audit log records who, when and why). The caller commits."""
    reason = (reason or "").strip()
    errors: dict[str, list] = {}
    if certificate.revoked_at is not None:
        errors.setdefault("reason", []).append(ALREADY_REVOKED)
    elif not reason:
        errors.setdefault("reason", []).append(REASON_NEEDED)
    elif len(reason) > REASON_LENGTH:
        errors.setdefault("reason", []).append(REASON_TOO_LONG)
    refuse_if_any(errors)
    certificate.revoked_at, certificate.revoked_by_id, certificate.revocation_reason = utcnow(), by.id, reason
    db.session.flush()


def enrol_again(certificate: Certificate, by, due_on: date | None = None) -> int:
    """A refresher: a new enrolment in the course; the old enrolment and its certificate stay. The caller commits."""
    course = db.session.get(Course, certificate.course_id)
    return learning.enrol(course, [certificate.user_id], due_on, by)


def by_enrolment(enrolment_ids) -> dict[int, Certificate]:
    """The certificates of these enrolments (of the current library), in one query."""
    ids = list(set(enrolment_ids))
    if not ids:
        return {}
    return {c.enrolment_id: c for c in db.session.scalars(sa.select(Certificate).where(Certificate.enrolment_id.in_(ids)))}


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show of a certificate, and nothing else."""

    initials: str
    course_title: dict
    issued_on: date
    library: str
    project: str | None
    status: Validity
    valid_until: date | None
    revoked_on: date | None


def initials(name: str) -> str:
    """"Jānis Bērziņš" → "J. B.": enough to match a certificate to the person who shows it, no more."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha()) or "–"


def verify(typed: str | None, today: date) -> Verification | None:
    """The certificate a typed code names, in whichever library issued it, or None. A code that cannot be one is
    looked up all the same, so an unknown code and a malformed one take the same time."""
    code = normalised(typed) or "-" * CODE_LENGTH
    with all_tenants("public verification of a certificate by its code"):
        certificate = db.session.scalar(
            sa.select(Certificate).where(Certificate.code == code)
            .options(joinedload(Certificate.user), joinedload(Certificate.course).joinedload(Course.project))
        )
        if certificate is None:
            return None
        library = db.session.get(Tenant, certificate.tenant_id)
        project = certificate.course.project or db.session.scalar(
            sa.select(Project).join(Partner, Partner.project_id == Project.id).where(Partner.tenant_id == library.id).order_by(Project.id).limit(1)
        )
    return Verification(
        initials=initials(certificate.user.name), course_title=certificate.course.title, issued_on=certificate.issued_at.date(),
        library=library.name, project=project.title if project else None, status=validity(certificate, today),
        valid_until=certificate.valid_until, revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
    )


def study_hours(minutes: int) -> Decimal:
    """Study time in hours with one decimal (minutes / 60, rounded half up)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hours(minutes: int) -> str:
    """Study time in hours, in the reader's number format, as printed on the certificate."""
    return format_decimal(study_hours(minutes), "0.0", locale=formatting_locale())
