"""Training gates (`bibnet.gates`): a library requires a valid certificate of a course for a gateable action that
another feature declares (hosting sessions in the sensory room, approving room requests). E-learning knows the
actions only by their names in the core's registry and imports no feature.

The checker refuses a person without a valid certificate (completed, not expired, not revoked) of each required
course, naming the first course missing, and cautions when the certificate of a required course runs out within
WARN_DAYS. Two queries per check, whatever the number of requirements.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import gates
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate, CourseRequirement
from bibnet.elearning.languages import text
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.web.i18n import format_date

WARN_DAYS = services.EXPIRING_DAYS

ACTION_UNKNOWN = _l("Choose one of the actions that can require a course.")
COURSE_UNKNOWN = _l("Choose one of the library's published courses.")
ALREADY_REQUIRED = _l("This course is required for this action already.")


def _requirements(action: str) -> list[CourseRequirement]:
    """The library's requirements for `action`."""
    return list(db.session.scalars(
        sa.select(CourseRequirement).where(CourseRequirement.action == action).options(joinedload(CourseRequirement.course)).order_by(CourseRequirement.id)
    ))


def _best_certificates(user_id: int, course_ids: list[int], today) -> dict[int, Certificate]:
    """Per course, the person's valid certificate on `today` that lasts longest (None-valid_until, for good, first)."""
    best: dict[int, Certificate] = {}
    for certificate in db.session.scalars(
        sa.select(Certificate).where(Certificate.user_id == user_id, Certificate.course_id.in_(course_ids), Certificate.revoked_at.is_(None))
    ):
        if not services.is_valid(certificate, today):
            continue
        held = best.get(certificate.course_id)
        if held is None or (held.valid_until is not None and (certificate.valid_until is None or certificate.valid_until > held.valid_until)):
            best[certificate.course_id] = certificate
    return best


def check(user, tenant, action: str) -> gates.Refusal | gates.Caution | None:
    """Refused without a valid certificate of each course the action requires; cautioned when one of them runs
    out within WARN_DAYS."""
    required = _requirements(action)
    if not required:
        return None
    today = tenant.today()
    held = _best_certificates(user.id, [r.course_id for r in required], today)
    for requirement in required:
        if requirement.course_id not in held:
            return gates.Refusal(_l("%(name)s needs a valid certificate of the course “%(course)s” first.", name=user.name, course=text(requirement.course.title)))
    soon = today + timedelta(days=WARN_DAYS)
    for requirement in required:
        certificate = held[requirement.course_id]
        if certificate.valid_until is not None and certificate.valid_until <= soon:
            return gates.Caution(_l(
                "The certificate of %(name)s for “%(course)s” expires on %(date)s: enrol them in the course again in time.",
                name=user.name, course=text(requirement.course.title), date=format_date(certificate.valid_until, "long"),
            ))
    return None


def gate_labels() -> dict[str, object]:
    return {gate.action: gate.label for gate in gates.declared()}


def add_requirement(action: str, course_id: int | None, courses: dict) -> CourseRequirement:
    """Require `courses[course_id]` (the library's published courses by id) for `action`. The caller commits."""
    errors: dict[str, list] = {}
    if action not in gate_labels():
        errors["action"] = [ACTION_UNKNOWN]
    if course_id not in courses:
        errors["course"] = [COURSE_UNKNOWN]
    if not errors and db.session.scalar(
        sa.select(CourseRequirement.id).where(CourseRequirement.action == action, CourseRequirement.course_id == course_id)
    ) is not None:
        errors["course"] = [ALREADY_REQUIRED]
    if errors:
        raise Refused(errors)
    requirement = CourseRequirement(action=action, course_id=course_id)
    db.session.add(requirement)
    db.session.flush()
    return requirement


def remove_requirement(requirement: CourseRequirement) -> None:
    db.session.delete(requirement)
    db.session.flush()
