"""An item's evidence pack for a controller, in one click: a tagged PDF (the item, its invoice and co-financing,
where it is, its status history from the audit log, its photo), or a ZIP of that PDF with the invoice's
attachments and the item's documents from the core storage.

Everything is read and rendered before the first byte is sent, so a failure gets its error page; the files go
out of a temporary file in chunks.
"""
import base64
from datetime import UTC, datetime
import re
import tempfile
from typing import IO
import zipfile

from flask import render_template
from flask_babel import get_locale
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.accounts.models import User
from bibnet.audit.log import changes_of
from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenants.expenditure.models import ExpenditureAttachment
from bibnet.tenants.inventory.durability import services
from bibnet.tenants.inventory.labels import STATUS_LABELS
from bibnet.tenants.inventory.models import Item, ItemDocument
from bibnet.web.downloads import pdf_maker

PICTURE_TYPES = ("image/jpeg", "image/png")
HISTORY_LIMIT = 500  # an item changes a few times a year; a runaway history must not make a thousand-page PDF


def history(item: Item) -> list[tuple[AuditEntry, str, list]]:
    """The item's audit entries in this tenant, oldest first, each with who made it and what changed."""
    rows = db.session.execute(
        sa.select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == "Item", AuditEntry.object_id == item.id, AuditEntry.tenant_id == current_tenant_id())
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(HISTORY_LIMIT)
    ).all()
    return [(entry, actor or "", changes_of(entry)) for entry, actor in rows]


def _picture(stored: StoredFile | None) -> str | None:
    """The photo as a `data:` URI (a PDF loads nothing from outside), if it is a JPEG or PNG."""
    if stored is None or stored.content_type not in PICTURE_TYPES:
        return None
    with get_storage().open(stored.key) as file:
        return f"data:{stored.content_type};base64,{base64.b64encode(file.read()).decode('ascii')}"


def pdf(item: Item) -> IO[bytes]:
    funding = services.funding_of(item)
    html = render_template(
        "durability/evidence_pdf.html", item=item, funding=funding, history=history(item), picture=_picture(item.photo), status_label=STATUS_LABELS[item.status],
        made_at=datetime.now(UTC), language=str(get_locale()),
    )
    return pdf_maker().render(html)


def file_name(item: Item, suffix: str) -> str:
    return f"evidence-{re.sub(r'[^A-Za-z0-9-]', '', item.tag)}.{suffix}"


def _files(item: Item) -> list[tuple[str, StoredFile]]:
    """The invoice's attachments and the item's documents, each under the folder it goes to in the ZIP."""
    found: list[tuple[str, StoredFile]] = []
    if item.expenditure_id is not None and services.expenditure_of(item) is not None:
        attachments = db.session.scalars(
            sa.select(ExpenditureAttachment).where(ExpenditureAttachment.expenditure_id == item.expenditure_id).options(joinedload(ExpenditureAttachment.file))
        )
        found += [("invoice", attachment.file) for attachment in attachments]
    documents = db.session.scalars(sa.select(ItemDocument).where(ItemDocument.item_id == item.id).options(joinedload(ItemDocument.file)))
    found += [("documents", document.file) for document in documents]
    return found


def _safe_name(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(". ") or "file"


def zip_pack(item: Item) -> IO[bytes]:
    """The PDF and the stored files in a ZIP, in a temporary file at its start; the caller closes it."""
    archive_file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the caller once sent, or below on a failure)
    try:
        with pdf(item) as document, zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(file_name(item, "pdf"), document.read())
            storage = get_storage()
            used: set[str] = set()
            for folder, stored in _files(item):
                name = f"{folder}/{_safe_name(stored.filename)}"
                if name in used:
                    name = f"{folder}/{stored.id}-{_safe_name(stored.filename)}"
                used.add(name)
                with storage.open(stored.key) as source, archive.open(name, "w") as target:
                    while chunk := source.read(64 * 1024):
                        target.write(chunk)
    except BaseException:
        archive_file.close()
        raise
    archive_file.seek(0)
    return archive_file
