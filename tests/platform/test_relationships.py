"""Relationships never load lazily by surprise.

`bibnet.db.relationship` raises when code reaches a relationship that was not loaded, so a page that would run a
query per row fails in the tests instead of slowing down with the data. A relationship that may load on first use
says so with `lazy="select"`, and is listed here: these are read on one object at a time by their services.
"""
from bibnet.extensions import db

LAZY_ON_PURPOSE = {
    "Booking.occurrences",
    "Booking.room",
    "Occurrence.booking",
    "Membership.user",
    "Expenditure.attachments",
    "Occurrence.room",
    "Room.opening_hours",
    "BudgetVersion.lines",
    "BudgetLine.periods",
    "Project.partners",
    "Project.reporting_periods",
    "Partner.tenant",
    "Item.parts",  # a kit's parts, moved with it by `inventory.services.change_status`
}


def test_no_relationship_loads_lazily_unless_it_says_so(app):
    lazy = {
        f"{mapper.class_.__name__}.{relationship.key}"
        for mapper in db.Model.registry.mappers
        for relationship in mapper.relationships
        if relationship.lazy in ("select", True)
    }
    assert lazy == LAZY_ON_PURPOSE
