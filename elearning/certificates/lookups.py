"""The certificate and the course requirement a URL names, read through the tenant guard (another library's is
never found: 404). Who may open a certificate is decided by `elearning.certificate`: its holder and the
library's coordinators."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.elearning.certificates.models import Certificate, CourseRequirement
from bibnet.elearning.models import Course
from bibnet.extensions import db
from bibnet.loading import register_loader


def certificate_of_library(certificate_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(Certificate.id == certificate_id)
        .options(joinedload(Certificate.user), joinedload(Certificate.course).selectinload(Course.modules))
    )


def requirement_of_library(requirement_id: int) -> CourseRequirement | None:
    return db.session.scalar(sa.select(CourseRequirement).where(CourseRequirement.id == requirement_id))


register_loader("certificate_id", "certificate", certificate_of_library)
register_loader("requirement_id", "requirement", requirement_of_library)
