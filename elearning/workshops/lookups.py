"""The workshop a URL names, read through the tenant guard: another library's workshop is not found (404)."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.elearning.workshops.models import Workshop
from bibnet.extensions import db
from bibnet.loading import register_loader


def visible_workshop(workshop_id: int) -> Workshop | None:
    return db.session.scalar(
        sa.select(Workshop).where(Workshop.id == workshop_id).options(joinedload(Workshop.course), joinedload(Workshop.module), joinedload(Workshop.recorded_by))
    )


register_loader("workshop_id", "workshop", visible_workshop)
