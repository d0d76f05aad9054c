"""The uploaded file of an import, kept in the core storage (under the tenant's keys, in the feature's area)
between the steps: mapping, preview, confirmation. Deleted when the rows are saved or the file is refused."""
from flask import abort

from bibnet.extensions import db
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.storage.uploads import store_bytes
from bibnet.tenancy.queries import get_or_404
from bibnet.web.fields import parse_whole_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def keep_import_file(data: bytes, filename: str, area: str, by=None) -> StoredFile:
    """Keep an uploaded import file in `area` (which the feature guards with `bibnet.storage.views.guard_area`).

    Not checked by `store_upload`: a CSV has no magic bytes to recognise it by; `tables.read_table` is what
    decides whether the file can be read.
    """
    content_type = XLSX if filename.lower().endswith(".xlsx") else "text/csv"
    return store_bytes(data, filename or "import.csv", area, content_type, uploaded_by=by)


def parse_file_id(text) -> int | None:
    return parse_whole_number(str(text or ""))


def import_file_or_404(file_id: int | None, area: str) -> tuple[StoredFile, bytes]:
    """The current tenant's waiting import file in `area`, and its bytes."""
    stored = get_or_404(StoredFile, file_id or 0)
    if stored.area != area:
        abort(404)  # another feature's file, or an attachment: no import file here
    stream = get_storage().open(stored.key)
    try:
        return stored, stream.read()
    finally:
        stream.close()


def discard_import_file(stored: StoredFile) -> str:
    """Delete the record; the caller commits, then deletes the returned key with
    `bibnet.storage.backends.delete_stored_quietly`."""
    key = stored.key
    db.session.delete(stored)
    return key
