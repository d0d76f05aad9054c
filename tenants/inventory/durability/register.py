"""The durability register of a project: every item bought on one of the project's invoices, with what a
controller asks for (invoice, cost, location, status, last stock-take, photo, durability end). The lead reads
every partner's (the caller wraps the reads in `partners_of`), a coordinator their own tenant's.

A page is two statements (the count and the rows) whatever its size; the CSV reads the rows in batches from a
server-side cursor where the database has one (`yield_per`), and is streamed.
"""
from collections.abc import Callable, Iterator
import csv
import io

from flask_babel import gettext as _
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.inventory.durability.dates import durability_of
from bibnet.tenants.inventory.labels import STATUS_LABELS
from bibnet.tenants.inventory.models import Item, Location
from bibnet.web.downloads import neutralised

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


def csv_lines(project: Project, scope) -> tuple[Iterator[str], Callable[[], None]]:
    """The register as CSV lines, and the function that closes their database session once sent.

    As the funding reports' list of expenditure does, the rows come from a session of their own, queried
    inside `scope()` (the page's tenant scope) now and fetched in batches while the client reads: the
    generator needs no application or request context, and every text is translated before it starts.
    """
    durability = durability_of(project)
    # Dates as ISO, as in every column of the file: spreadsheets read them in any language.
    not_started = _("not started (earliest %(day)s)", day=durability.earliest_end.isoformat())
    end = durability.ends_on.isoformat() if durability.started else not_started
    header = [
        _("Tag"), _("Name"), _("Partner"), _("Invoice number"), _("Supplier"), _("Invoice date"), _("Cost in EUR"),
        _("Location"), _("Status"), _("Last stock-take"), _("Durability ends"),
    ]
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}
    session = db.session.session_factory()
    try:
        with scope():
            result = session.execute(statement(project), execution_options={"yield_per": BATCH})
    except BaseException:
        session.close()
        raise

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        yield "\ufeff" + buffer.getvalue()
        for batch in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            for item, tenant_name, _slug, location, number, supplier, invoice_date in batch:
                writer.writerow([
                    neutralised(cell) for cell in (
                        item.tag, item.name, tenant_name, number or "", supplier, invoice_date.isoformat(),
                        str(item.cost) if item.cost is not None else "", location or "", statuses[item.status],
                        item.last_stocktake_on.isoformat() if item.last_stocktake_on else "", end,
                    )
                ])
            yield buffer.getvalue()
            session.expunge_all()  # a long register must not pile up in the identity map

    return lines(), session.close
