"""Serving stored files, only to users who may see the tenant they belong to, and, for the areas a feature
guards (an invoice, an import file), only to those the feature lets see the file."""
from collections.abc import Callable

from flask import Blueprint, abort, redirect, send_file

from bibnet.access import require
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.tenancy.queries import get_or_404

bp = Blueprint("storage", __name__, url_prefix="/t/<tenant_slug>/files")

_area_guards: dict[str, Callable[[StoredFile], bool]] = {}


def guard_area(area: str, may_see: Callable[[StoredFile], bool]) -> None:
    """Features register who may download the files of their areas; files of other areas need only `tenant.view`."""
    _area_guards[area] = may_see


@bp.route("/<int:file_id>")
@require("tenant.view")
def download(file_id):
    stored = get_or_404(StoredFile, file_id)
    may_see = _area_guards.get(stored.area)
    if may_see is not None and not may_see(stored):
        abort(404)
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
