"""Label sheets: items' labels laid out on common adhesive-label sheets, as a tagged PDF (the core's `bibnet.pdf`).

Each label carries a QR code of the item's public page (`/i/<public_token>`, at least 20 mm wide so that a phone
reads it from arm's length), the tag in large print, the item's name and, on items bought with project money,
"Co-funded by the European Union". A sheet can start at any position, so that a partly used sheet is used up.
"""
from collections.abc import Sequence
from dataclasses import dataclass
import math
from typing import IO

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from bibnet.refusals import Refused
from bibnet.tenants.inventory.models import Item
from bibnet.web.downloads import pdf_maker

# Far more than any library prints at once, and little enough that one request stays under a minute.
MAX_LABELS = 5000
QR_MM = 24


@dataclass(frozen=True)
class Geometry:
    """An A4 label sheet: label size, grid and the page margins to the first label, in millimetres."""

    key: str
    label: object  # a lazy string
    columns: int
    rows: int
    width: float
    height: float
    top: float
    left: float
    column_pitch: float
    row_pitch: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def position(self, index: int) -> tuple[int, float, float]:
        """The sheet (0-based) and the label's top-left corner (mm) of the label at `index` on the run."""
        sheet, place = divmod(index, self.per_sheet)
        row, column = divmod(place, self.columns)
        return sheet, self.left + column * self.column_pitch, self.top + row * self.row_pitch


GEOMETRIES = {
    geometry.key: geometry
    for geometry in (
        Geometry("L7163", _l("Avery L7163: 14 labels a sheet, 99.1 × 38.1 mm"), 2, 7, 99.1, 38.1, 15.15, 4.65, 101.6, 38.1),
        Geometry("L7160", _l("Avery L7160: 21 labels a sheet, 63.5 × 38.1 mm"), 3, 7, 63.5, 38.1, 15.15, 7.25, 66.0, 38.1),
    )
}


def public_url(item: Item) -> str:
    return url_for("items_public.show", public_token=item.public_token, _external=True)


def qr_code_uri(item: Item) -> str:
    import segno  # on the first label sheet, not at start

    return segno.make(public_url(item), error="m").png_data_uri(scale=1, border=0)  # one pixel a module, drawn unsmoothed (image-rendering: pixelated): 500 in a few seconds


def check_request(count: int, start: int, geometry: Geometry) -> None:
    """Refuse a run nobody means to print (nothing, or more than `MAX_LABELS`) and a start beyond the sheet."""
    if count == 0:
        raise Refused({"items": [_l("No item matches: choose at least one item to print a label for.")]})
    if count > MAX_LABELS:
        raise Refused({"items": [_l("%(count)d labels are too many for one PDF: print at most %(max)d at a time, for example one location or category after another.", count=count, max=MAX_LABELS)]})
    if not 1 <= start <= geometry.per_sheet:
        raise Refused({"start": [_l("The first label's position is a number from 1 to %(last)d.", last=geometry.per_sheet)]})


def render(items: Sequence[Item], geometry: Geometry, start: int = 1) -> IO[bytes]:
    """The PDF of `items`' labels, the first at position `start` (1 = top left) of the first sheet; the caller closes it."""
    check_request(len(items), start, geometry)
    pdf = pdf_maker()
    labels = []
    for index, item in enumerate(items, start=start - 1):
        sheet, left, top = geometry.position(index)
        labels.append({"item": item, "sheet": sheet, "left": left, "top": top, "qr_code": qr_code_uri(item)})
    sheets = [[label for label in labels if label["sheet"] == number] for number in range(math.ceil((len(items) + start - 1) / geometry.per_sheet))]
    html = render_template("inventory/labels/sheet_pdf.html", sheets=sheets, geometry=geometry, qr_mm=QR_MM)
    return pdf.render(html)
