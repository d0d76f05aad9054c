"""Stock-take pages: the list (start one for a location), the scan page (a form to type a tag, which the
camera script fills from a QR code), and the printable result with the misplaced items to move here."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from bibnet.access import allowed, require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.uploads import IMAGES, store_upload
from bibnet.tenants.inventory.models import Location
from bibnet.tenants.inventory.stocktakes import lookups, services  # noqa: F401  (lookups: the URL's stock-take)
from bibnet.tenants.inventory.stocktakes.forms import PHOTO_MAX_MB, ScanForm, StartForm
from bibnet.tenants.inventory.stocktakes.models import StockTake, StockTakeEntry
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("stocktakes", __name__, url_prefix="/t/<tenant_slug>/equipment/stocktakes", template_folder="templates")
assets = Blueprint("stocktakes_assets", __name__, static_folder="static", static_url_path="/stocktake-assets")
# The scan page may use the camera of the page's own origin; every other page keeps the core's camera=().
SCAN_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=()"

RECENT_SCANS_SHOWN = 10
MESSAGES = {
    services.ScanOutcome.FOUND: "success",
    services.ScanOutcome.MISPLACED: "warning",
    services.ScanOutcome.AGAIN: "info",
}


def _location_choices():
    return [SelectChoice(location.id, location.name) for location in db.session.scalars(sa.select(Location).where(Location.active.is_(True)).order_by(Location.name, Location.id))]


@bp.route("/")
@require("inventory.view")
def index():
    page = paginate(sa.select(StockTake).options(joinedload(StockTake.location)).order_by(StockTake.started_at.desc(), StockTake.id.desc()))
    form = StartForm()
    form.location_id.choices = _location_choices()
    return render_template("inventory/stocktakes/index.html", page=page, form=form, can_start=allowed("inventory.stocktake"))


@bp.route("/", methods=["POST"])
@require("inventory.stocktake")
def start():
    form = StartForm()
    form.location_id.choices = _location_choices()
    if form.validate_on_submit():
        location = db.session.get(Location, form.location_id.data)
        stocktake = services.start(location, current_user)
        db.session.commit()
        return redirect(url_for("stocktakes.show", stocktake_id=stocktake.id))
    page = paginate(sa.select(StockTake).options(joinedload(StockTake.location)).order_by(StockTake.started_at.desc(), StockTake.id.desc()))
    return render_template("inventory/stocktakes/index.html", page=page, form=form, can_start=True), 422


def _scan_page(stocktake, form, status=200):
    recent = db.session.scalars(
        sa.select(StockTakeEntry).where(StockTakeEntry.stocktake_id == stocktake.id, StockTakeEntry.found_at.is_not(None))
        .options(joinedload(StockTakeEntry.item)).order_by(StockTakeEntry.found_at.desc(), StockTakeEntry.id.desc()).limit(RECENT_SCANS_SHOWN)
    ).all()
    found = db.session.scalar(sa.select(sa.func.count()).where(StockTakeEntry.stocktake_id == stocktake.id, StockTakeEntry.found_at.is_not(None)))
    html = render_template(
        "inventory/stocktakes/scan.html", stocktake=stocktake, form=form, recent=recent, found=found, can_scan=allowed("inventory.stocktake"),
    )
    return html, status, {"Permissions-Policy": SCAN_PERMISSIONS_POLICY}


@bp.route("/<int:stocktake_id>/")
@require("inventory.view")
def show(stocktake):
    if stocktake.finished:
        return redirect(url_for("stocktakes.result", stocktake_id=stocktake.id))
    return _scan_page(stocktake, ScanForm(formdata=None))


@bp.route("/<int:stocktake_id>/scan", methods=["POST"])
@require("inventory.stocktake")
def scan(stocktake):
    form = ScanForm()
    if not form.validate_on_submit():
        return _scan_page(stocktake, form, 422)
    with saving(form, rename={"file": "photo"}) as outcome:
        photo = None
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            photo = store_upload(upload.read(), upload.filename, "stocktakes", IMAGES, PHOTO_MAX_MB * 1024 * 1024, uploaded_by=current_user)
        scanned = services.scan(stocktake, form.code.data, current_user, photo)
    if not outcome.saved:
        return _scan_page(stocktake, form, 422)
    item = scanned.item
    text = {
        services.ScanOutcome.FOUND: _("Found: %(tag)s %(name)s.", tag=item.tag, name=item.name),
        services.ScanOutcome.MISPLACED: _("%(tag)s %(name)s is registered at another location: it is listed as misplaced, and you can move it here when you finish.", tag=item.tag, name=item.name),
        services.ScanOutcome.AGAIN: _("%(tag)s %(name)s was already found in this stock-take: nothing changed.", tag=item.tag, name=item.name),
    }[scanned.outcome]
    flash(text, MESSAGES[scanned.outcome])
    return redirect(url_for("stocktakes.show", stocktake_id=stocktake.id))


@bp.route("/<int:stocktake_id>/finish", methods=["POST"])
@require("inventory.stocktake")
def finish(stocktake):
    try:
        services.finish(stocktake, g.tenant.today())
    except Refused as refused:
        db.session.rollback()
        flash(refused.summary() or _("This stock-take is finished already."), "danger")
    else:
        db.session.commit()
        flash(_("The stock-take is finished: each found item's last stock-take is today."), "success")
    return redirect(url_for("stocktakes.result", stocktake_id=stocktake.id))


@bp.route("/<int:stocktake_id>/result")
@require("inventory.view")
def result(stocktake):
    return render_template(
        "inventory/stocktakes/result.html", stocktake=stocktake, result=services.result(stocktake), can_move=allowed("inventory.manage"),
    )


@bp.route("/<int:stocktake_id>/move", methods=["POST"])
@require("inventory.manage")
def move(stocktake):
    item_ids = [number for value in request.form.getlist("item_id") if (number := parse_whole_number(value)) is not None]
    moved = services.move_here(stocktake, item_ids)
    db.session.commit()
    if moved:
        flash(_("Items moved to %(location)s: %(count)d.", location=stocktake.location.name, count=moved), "success")
    else:
        flash(_("Choose the misplaced items to move here."), "warning")
    return redirect(url_for("stocktakes.result", stocktake_id=stocktake.id))
