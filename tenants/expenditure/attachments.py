"""Files of expenditure: an item's attachments (invoices, proofs of payment), and the area where an import
file waits between the steps of an import (kept by `bibnet.imports.files`). Both live in the core storage
under the tenant's keys."""

from flask import current_app
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.access import allowed
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.models import StoredFile
from bibnet.storage.uploads import DOCUMENTS, OFFICE_DOCUMENTS, detect_type, store_upload
from bibnet.tenancy.queries import projects_of_current_tenant
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureAttachment

ACCEPTED = DOCUMENTS | OFFICE_DOCUMENTS
AREA = "expenditure"
IMPORT_AREA = "expenditure-import"


def max_bytes() -> int:
    """The core's limit of a request body: one file may use all of it."""
    return current_app.config["MAX_CONTENT_LENGTH"]


def _refuse(message) -> None:
    raise Refused({"files": [message]})


def attach(expenditure: Expenditure, uploads: list[tuple[bytes, str]], by=None) -> list[ExpenditureAttachment]:
    """Attach files (data, filename) to an editable item; all of them or, when one is refused, none.

    Every file is checked before the first is stored, so that a refusal leaves nothing in the storage.
    """
    if not expenditure.editable:
        _refuse(_l("Files can be attached only while the item is a draft or rejected."))
    if not uploads:
        _refuse(_l("Choose at least one file to attach."))
    limit = max_bytes()
    for data, filename in uploads:
        if not data:
            _refuse(_l("“%(file)s” is empty.", file=filename))
        if len(data) > limit:
            _refuse(_l("“%(file)s” is too large: at most %(size)d MB.", file=filename, size=max(1, limit // (1024 * 1024))))
        if detect_type(data) not in ACCEPTED:
            _refuse(_l("“%(file)s” is not a PDF, an image or an office document.", file=filename))
    attached = []
    for data, filename in uploads:
        stored = store_upload(data, filename, AREA, ACCEPTED, limit, uploaded_by=by)
        attachment = ExpenditureAttachment(expenditure=expenditure, file=stored)
        db.session.add(attachment)
        attached.append(attachment)
    db.session.flush()
    return attached


def remove(attachment: ExpenditureAttachment) -> str:
    """Remove an attachment of an editable item; returns the storage key, to delete once committed."""
    if not attachment.expenditure.editable:
        _refuse(_l("Files can be removed only while the item is a draft or rejected."))
    key = attachment.file.key
    db.session.delete(attachment)
    db.session.delete(attachment.file)
    db.session.flush()
    return key


def may_see_attachment(stored: StoredFile) -> bool:
    """An item's file: for those who may see expenditure, in a project they reach (a visiting lead: one they lead)."""
    if not allowed("expenditure.view"):
        return False
    project_id = db.session.scalar(
        sa.select(Expenditure.project_id).join(ExpenditureAttachment).where(ExpenditureAttachment.file_id == stored.id)
    )
    return project_id is not None and project_id in {project.id for project in projects_of_current_tenant()}


def may_see_import_file(stored: StoredFile) -> bool:
    """A waiting import file: only for those who may import (the coordinator, an admin)."""
    return allowed("expenditure.submit")
