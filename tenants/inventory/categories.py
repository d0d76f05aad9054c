"""The project-wide equipment categories every partner has (under the same key, so figures add up across
partners), next to each tenant's own categories."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.inventory.models import Category

# The cost lines the project's application names for equipment, in the order lists show them.
SHARED = {
    "sensory_equipment": _l("Sensory-room equipment"),
    "furniture": _l("Furniture"),
    "games": _l("Games and toys"),
    "literature": _l("Specialised literature"),
    "computers": _l("Computers and assistive technology"),
    "reading_aids": _l("Reading aids (talking-book players, magnifiers)"),
}


def label_of(category: Category) -> str:
    """A shared category's name in the reader's language; a tenant's own category's name as typed."""
    return str(SHARED[category.shared_key]) if category.shared_key in SHARED else category.name


def ensure_shared_categories() -> None:
    """Create, in the current tenant, the shared categories it does not have yet (named in English; shown translated)."""
    present = set(db.session.scalars(sa.select(Category.shared_key).where(Category.shared_key.is_not(None))))
    for key, label in SHARED.items():
        if key not in present:
            db.session.add(Category(shared_key=key, name=str(label)))
    db.session.flush()
