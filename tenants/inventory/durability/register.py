"""The durability register of a project: every item bought on one of the project's invoices, with what a
controller asks for (invoice, cost, location, status, last stock-take, photo, durability end). The lead reads
every partner's (the caller wraps the reads in `partners_of`), a coordinator their own tenant's.

A page is two statements (the count and the rows) whatever its size; the CSV reads the rows in batches by
keyset, a bounded statement per batch, and is streamed.
"""
from collections.abc import Iterator
import csv
import io

from flask_babel import gettext as _
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.inventory.durability.dates import durability_of
from bibnet.tenants.inventory.durability.labels import STATUS_LABELS
from bibnet.tenants.inventory.models import Item, Location
from bibnet.web.downloads import neutralised
from bibnet.web.i18n import format_date

BATCH = 500


def statement(project: Project) -> sa.Select:
    """Rows of (item, tenant name, tenant slug, location name, invoice number, supplier, invoice date)."""
    return (
        sa.select(Item, Tenant.name, Tenant.slug, Location.name, Expenditure.invoice_number, Expenditure.supplier, Expenditure.invoice_date)
        .join(Expenditure, Expenditure.id == Item.expenditure_id)
        .join(Tenant, Tenant.id == Item.tenant_id)
        .outerjoin(Location, Location.id == Item.location_id)
        .where(Expenditure.project_id == project.id, Expenditure.deleted_at.is_(None))
        .order_by(Tenant.name, Item.tag_number, Item.id)
    )


def csv_lines(project: Project, scope) -> Iterator[str]:
    """The register as CSV lines, read in batches inside `scope()` (the tenant scope of the page)."""
    durability = durability_of(project)
    end = format_date(durability.ends_on, "short") if durability.started else _("not started (earliest %(day)s)", day=format_date(durability.earliest_end, "short"))
    header = [
        _("Tag"), _("Name"), _("Partner"), _("Invoice number"), _("Supplier"), _("Invoice date"), _("Cost in EUR"),
        _("Location"), _("Status"), _("Last stock-take"), _("Durability ends"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        writer.writerow(["" if cell is None else neutralised(cell) if isinstance(cell, str) else cell for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(header)
    after = (None, None, None)
    while True:
        with scope():
            query = statement(project)
            if after[0] is not None:
                name, tag_number, item_id = after
                query = query.where(sa.tuple_(Tenant.name, Item.tag_number, Item.id) > sa.tuple_(sa.literal(name), sa.literal(tag_number), sa.literal(item_id)))
            rows = db.session.execute(query.limit(BATCH)).all()
            if not rows:
                return
            for item, tenant_name, _slug, location, number, supplier, invoice_date in rows:
                yield line([
                    item.tag, item.name, tenant_name, number or "", supplier, invoice_date.isoformat(), str(item.cost) if item.cost is not None else "",
                    location or "", str(STATUS_LABELS[item.status]), item.last_stocktake_on.isoformat() if item.last_stocktake_on else "", end,
                ])
            last = rows[-1]
            after = (last[1], last[0].tag_number, last[0].id)
            db.session.expunge_all()  # a long register must not pile up in the identity map
