"""Serving stored files, only to users who may see the tenant they belong to."""
from flask import Blueprint, redirect, send_file

from bibnet.access import require
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.tenancy.queries import get_or_404

bp = Blueprint("storage", __name__, url_prefix="/t/<tenant_slug>/files")


@bp.route("/<int:file_id>")
@require("tenant.view")
def download(file_id):
    stored = get_or_404(StoredFile, file_id)
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
