"""The steps of an import page, the same for every feature: upload, mapping, check (preview), confirmation.

A feature's views call these and draw its own pages with the macros of `imports/_macros.html`; what differs
(the fields, the check of a row, the save) stays in the feature.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _

from bibnet.extensions import db
from bibnet.imports import files
from bibnet.imports.rows import Preview
from bibnet.imports.tables import ENCODINGS, ImportRefused, chosen_encoding, encoding_of, read_rows, read_table, sample_values
from bibnet.refusals import Refused
from bibnet.storage.backends import delete_stored_quietly
from bibnet.storage.models import StoredFile

PROBLEMS_SHOWN = 1000  # a file with thousands of bad rows is corrected from the first ones


def accept_upload(form, area: str, by=None) -> StoredFile | None:
    """Step 1: the uploaded file, kept in `area` when it is a table (committed); None when the form or the file
    is refused (its reason is on `form.file.errors`)."""
    if not form.validate_on_submit():
        return None
    upload = form.file.data
    data = upload.read()
    try:
        read_table(data, upload.filename or "")
    except ImportRefused as refused:
        form.file.errors.append(str(refused.message))
        return None
    stored = files.keep_import_file(data, upload.filename or "import.csv", area, by=by)
    db.session.commit()
    return stored


def discard(stored: StoredFile, refused: ImportRefused) -> str:
    """Delete a waiting file the machinery cannot read; the message for the upload page."""
    key = files.discard_import_file(stored)
    db.session.commit()
    delete_stored_quietly(key)
    return _("%(problem)s Nothing was saved.", problem=refused.message)


def mapping_header(stored: StoredFile, data: bytes, chosen) -> tuple[list[str], str | None, str | None]:
    """Step 2: the header in the chosen encoding, the encoding kept and an error; a choice that does not
    read the file falls back to the detected encoding with that error. Raises ImportRefused when no
    encoding reads it."""
    chosen = chosen_encoding(chosen)
    try:
        header, _rows = read_table(data, stored.filename, chosen)
        return header, chosen, None
    except ImportRefused as refused:
        if chosen is None:
            raise
        error = str(refused.message)
    header, _rows = read_table(data, stored.filename)
    return header, None, error


def mapping_context(stored: StoredFile, data: bytes, form, header: list[str]) -> dict:
    """What helps to fill the mapping form: each column's first values and the file's encoding (which the
    partner may change)."""
    _header, rows = read_table(data, stored.filename, form.chosen_encoding())
    return {
        "stored": stored,
        "form": form,
        "header": header,
        "samples": sample_values(header, rows),
        "encoding": encoding_of(data, form.chosen_encoding()),
        "encodings": ENCODINGS,
    }


@dataclass
class Checked:
    """The outcome of step 3: the preview, or why the file or the mapping is refused (one of them is set)."""

    stored: StoredFile
    data: bytes
    form: object = None
    header: list | None = None
    result: Preview | None = None
    file_refused: str | None = None  # the message for the upload page; the file is deleted
    mapping_error: object = None  # the mapping page is shown again (also when the form has errors)


def check_upload(stored: StoredFile, data: bytes, form_factory: Callable[[list[str]], object], check: Callable[[list, list, object], Preview]) -> Checked:
    """Step 3 (and 4 again before saving): the file's rows checked with the posted mapping; nothing written.

    `form_factory(header)` builds the posted mapping form, `check(header, rows, form)` gives the preview and
    may raise Refused for a mapping problem or ImportRefused for a file that cannot be imported.
    """
    try:
        header, rows = read_rows(data, stored.filename, chosen_encoding(request.form.get("encoding")))
    except ImportRefused as refused:
        return Checked(stored, data, file_refused=discard(stored, refused))
    form = form_factory(header)
    if not form.validate_on_submit():
        return Checked(stored, data, form, header, mapping_error=True)
    try:
        result = check(header, rows, form)
    except ImportRefused as refused:
        return Checked(stored, data, form, header, file_refused=discard(stored, refused))
    except Refused as refusal:
        return Checked(stored, data, form, header, mapping_error=refusal)
    return Checked(stored, data, form, header, result=result)


def finish(stored: StoredFile) -> None:
    """After the rows are saved (the caller's transaction): delete the waiting file and commit."""
    key = files.discard_import_file(stored)
    db.session.commit()
    delete_stored_quietly(key)
