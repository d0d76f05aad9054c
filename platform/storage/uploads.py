"""Accepting an uploaded file: size limit, type checked by content (magic bytes), a key that carries the tenant."""
import secrets

import filetype
from flask_babel import lazy_gettext as _l

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import current_tenant_id

IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
DOCUMENTS = frozenset({"application/pdf"}) | IMAGES
OFFICE_DOCUMENTS = frozenset({
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
})
TYPE_NAMES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/pdf": "PDF",
    "application/msword": "Word (.doc)",
    "application/vnd.ms-excel": "Excel (.xls)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument (.ods)",
}


class UploadRefused(Refused):
    """The file itself is refused (empty, too large, of a type not accepted); pages put it on their file field."""

    def __init__(self, message):
        super().__init__({"file": [message]})
        self.message = message


def detect_type(data: bytes) -> str | None:
    kind = filetype.guess(data)
    return kind.mime if kind else None


def store_upload(
    data: bytes, filename: str, area: str, allowed_types: frozenset[str], max_bytes: int, uploaded_by=None
) -> StoredFile:
    """Check and store one file for the current tenant; the caller commits."""
    if not data:
        raise UploadRefused(_l("The file is empty."))
    if len(data) > max_bytes:
        raise UploadRefused(_l("The file is too large: at most %(size)d MB.", size=max(1, max_bytes // (1024 * 1024))))
    content_type = detect_type(data)
    if content_type not in allowed_types:
        names = ", ".join(sorted(TYPE_NAMES[accepted] for accepted in allowed_types))
        raise UploadRefused(_l("This type of file is not accepted. Upload one of these: %(types)s.", types=names))
    return store_bytes(data, filename, area, content_type, uploaded_by)


def store_bytes(data: bytes, filename: str, area: str, content_type: str, uploaded_by=None) -> StoredFile:
    """Store a file whose type the caller vouches for (checked by `store_upload`, or read by the caller, like a
    CSV, which has no magic bytes to recognise it by), for the current tenant; the caller commits."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("uploads need a tenant")
    key = f"tenants/{tenant_id}/{area}/{secrets.token_hex(16)}"
    get_storage().put(key, data, content_type)
    stored = StoredFile(
        key=key,
        area=area,
        filename=(filename or "file").replace("/", "_").replace("\\", "_")[-255:],
        content_type=content_type,
        size=len(data),
        uploaded_by_id=getattr(uploaded_by, "id", None),
    )
    db.session.add(stored)
    db.session.flush()
    return stored
