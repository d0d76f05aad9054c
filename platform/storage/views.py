"""Serving stored files, only to users who may see the tenant they belong to, and, for the areas a feature
guards (an invoice, an import file), only to those the feature lets see the file."""
from collections.abc import Callable

from flask import Blueprint, redirect, send_file

from bibnet.access import require
from bibnet.loading import register_loader
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.tenancy.queries import get_or_404

bp = Blueprint("storage", __name__, url_prefix="/t/<tenant_slug>/files")

_area_guards: dict[str, Callable[[StoredFile], bool]] = {}


def guard_area(area: str, may_see: Callable[[StoredFile], bool]) -> None:
    """Features register who may download the files of their areas; files of other areas need only `tenant.view`."""
    _area_guards[area] = may_see


def visible_file(file_id: int) -> StoredFile | None:
    """The file, if its area's guard lets the user see it (e.g. staff who may not draft expenditure do not
    see its invoices): else None, a 404, so that files cannot be probed."""
    stored = get_or_404(StoredFile, file_id)
    may_see = _area_guards.get(stored.area)
    return stored if may_see is None or may_see(stored) else None


register_loader("file_id", "stored", visible_file)


@bp.route("/<int:file_id>")
@require("tenant.view")
def download(stored):
    storage = get_storage()
    url = storage.download_url(stored.key, stored.filename, stored.content_type)
    if url is not None:
        return redirect(url)  # S3: a presigned URL that lives a minute
    response = send_file(
        storage.open(stored.key),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.filename,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
