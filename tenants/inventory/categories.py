"""The project-wide equipment categories every partner has (under the same key, so figures add up across
partners), next to each tenant's own categories."""
from datetime import date
from decimal import Decimal
import re

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
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


NAME_LENGTH = 120
ATTRIBUTE_KINDS = {
    "text": _l("Text"),
    "number": _l("Number"),
    "date": _l("Date"),
    "yesno": _l("Yes or no"),
}
ATTRIBUTE_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_ATTRIBUTES = 20


def clean_attribute_fields(fields: list[dict]) -> list[dict]:
    """The attribute fields of a category as stored: [{"key", "label", "kind"}], each key once; rows with
    neither key nor label are dropped (the empty rows of the editor)."""
    cleaned, errors, keys = [], {}, set()
    rows = [row for row in fields if (row.get("key") or "").strip() or (row.get("label") or "").strip()]
    if len(rows) > MAX_ATTRIBUTES:
        raise Refused({"attribute_fields": [_l("A category has at most %(max)d attributes.", max=MAX_ATTRIBUTES)]})
    for index, row in enumerate(rows):
        key, label, kind = (row.get("key") or "").strip().lower(), (row.get("label") or "").strip(), row.get("kind") or "text"
        if not ATTRIBUTE_KEY.fullmatch(key):
            errors[f"attribute_fields.{index}.key"] = [_l("Use small Latin letters, digits and _, starting with a letter.")]
        elif key in keys:
            errors[f"attribute_fields.{index}.key"] = [_l("Each attribute needs its own key.")]
        if not label or len(label) > NAME_LENGTH:
            errors[f"attribute_fields.{index}.label"] = [_l("Enter a label of at most %(max)d characters.", max=NAME_LENGTH)]
        if kind not in ATTRIBUTE_KINDS:
            errors[f"attribute_fields.{index}.kind"] = [_l("Choose a kind from the list.")]
        keys.add(key)
        cleaned.append({"key": key, "label": label, "kind": kind})
    if errors:
        raise Refused(errors)
    return cleaned


def save_category(category: Category, *, name: str, attribute_fields: list[dict], active: bool = True) -> Category:
    """Create or change a tenant's own category. A shared category keeps its name (it is shown translated), but
    its attributes and whether it is offered can change."""
    fields = clean_attribute_fields(attribute_fields)
    if category.shared_key is None:
        name = (name or "").strip()
        if not name or len(name) > NAME_LENGTH:
            raise Refused({"name": [_l("Enter a name of at most %(max)d characters.", max=NAME_LENGTH)]})
        taken = db.session.scalar(sa.select(Category.id).where(sa.func.lower(Category.name) == name.lower(), Category.id != (category.id or 0)))
        if taken is not None:
            raise Refused({"name": [_l("Another category has this name.")]})
        category.name = name
    category.attribute_fields = fields
    category.active = active
    db.session.add(category)
    db.session.flush()
    return category


def attribute_value(field: dict, value):
    """A custom attribute's value as stored: text as typed, a number as a decimal string, a date in ISO, a
    yes-no as true/false; None for empty. Refuses what does not fit the kind (ValueError)."""
    if value is None or value == "":
        return None
    kind = field.get("kind")
    if kind == "yesno":
        if isinstance(value, bool):
            return value
        raise ValueError(value)
    if kind == "number":
        number = Decimal(str(value).replace(",", ".").strip())
        if not number.is_finite():
            raise ValueError(value)
        return f"{number.normalize():f}"
    if kind == "date":
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    text = str(value).strip()
    if len(text) > 500:
        raise ValueError(value)
    return text or None
