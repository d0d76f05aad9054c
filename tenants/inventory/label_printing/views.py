"""Label pages: choose items (one, a filter, or all) and a sheet, download the PDF; set the library's contact
shown on the public item page."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
import sqlalchemy as sa
from wtforms.fields.choices import SelectChoice

from bibnet.access import allowed, require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory.categories import label_of
from bibnet.tenants.inventory.label_printing import sheets
from bibnet.tenants.inventory.label_printing.forms import ContactForm, LabelsForm
from bibnet.tenants.inventory.label_printing.models import PublicContact
from bibnet.tenants.inventory.labels import STATUS_LABELS
from bibnet.tenants.inventory.models import Category, Item, ItemStatus, Location
from bibnet.tenants.inventory.stocktakes.services import locations_under
from bibnet.web.downloads import file_chunks
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import saving, show_refusal
from bibnet.web.urls import LARGEST_ID

bp = Blueprint("labels", __name__, url_prefix="/t/<tenant_slug>/equipment/labels", template_folder="templates")



def _labels_form(formdata) -> LabelsForm:
    form = LabelsForm(formdata)
    form.location_id.choices = [SelectChoice(0, _("All locations")), *(SelectChoice(location.id, location.name) for location in db.session.scalars(sa.select(Location).order_by(Location.name, Location.id)))]
    form.category_id.choices = [SelectChoice(0, _("All categories")), *sorted((SelectChoice(category.id, label_of(category)) for category in db.session.scalars(sa.select(Category))), key=lambda choice: choice.label)]
    form.status.choices = [SelectChoice("", _("Any status")), *(SelectChoice(status.value, label) for status, label in STATUS_LABELS.items())]
    return form


def chosen_item_ids() -> list[int]:
    """The ids in `?item=…` (several allowed); what cannot be an id names nothing."""
    ids = []
    for value in request.args.getlist("item")[: sheets.MAX_LABELS + 1]:
        if (number := parse_whole_number(value, LARGEST_ID)):
            ids.append(number)
    return ids


def selection(form: LabelsForm, item_ids: list[int]) -> sa.Select:
    """The items to label: the chosen ids, else those the filter matches (all, with no filter), in tag order."""
    statement = sa.select(Item)
    if item_ids:
        return statement.where(Item.id.in_(item_ids))
    if form.location_id.data:
        location = db.session.get(Location, form.location_id.data)
        statement = statement.where(Item.location_id.in_(locations_under(location)))
    if form.category_id.data:
        statement = statement.where(Item.category_id == form.category_id.data)
    if form.status.data:
        statement = statement.where(Item.status == ItemStatus(form.status.data))
    return statement


def labelled_items(statement: sa.Select) -> list[Item]:
    """The items of `statement`, counted before they are loaded so that an absurd run is refused cheaply."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).limit(sheets.MAX_LABELS + 1).subquery()))
    if count > sheets.MAX_LABELS:
        sheets.check_request(count, 1, sheets.GEOMETRIES["L7163"])
    return db.session.scalars(statement.order_by(Item.tag_number)).all()


def pdf_response(items: list[Item], geometry, start: int) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="labels.pdf"'}
    return Response(file_chunks(sheets.render(items, geometry, start)), mimetype="application/pdf", headers=headers)


@bp.route("/")
@require("inventory.view")
def index():
    form = _labels_form(None)
    items = db.session.scalars(sa.select(Item).where(Item.id.in_(chosen_item_ids())).order_by(Item.tag_number)).all()
    return render_template("inventory/labels/index.html", form=form, items=items, can_manage=allowed("inventory.manage"))


@bp.route("/sheet.pdf")
@require("inventory.view")
def sheet():
    form = _labels_form(request.args)
    item_ids = chosen_item_ids()
    items = db.session.scalars(sa.select(Item).where(Item.id.in_(item_ids)).order_by(Item.tag_number)).all()
    if form.validate():
        try:
            return pdf_response(labelled_items(selection(form, item_ids)), sheets.GEOMETRIES[form.geometry.data], form.start.data)
        except Refused as refused:
            error = show_refusal(form, refused)
            return render_template("inventory/labels/index.html", form=form, items=items, error=error, can_manage=allowed("inventory.manage")), 422
    return render_template("inventory/labels/index.html", form=form, items=items, can_manage=allowed("inventory.manage")), 422


@bp.route("/contact", methods=["GET", "POST"])
@require("inventory.manage")
def contact():
    stored = db.session.scalar(sa.select(PublicContact))
    form = ContactForm(obj=stored)
    if form.validate_on_submit():
        with saving(form) as outcome:
            if stored is None:
                stored = PublicContact()
                db.session.add(stored)
            form.populate_obj(stored)
        if outcome.saved:
            flash(_("The contact on the items' public pages is saved."), "success")
            return redirect(url_for("labels.index"))
    return render_template("inventory/labels/contact.html", form=form), 422 if form.errors else 200


def item_section(item: Item) -> dict:
    """The item page's part about labels and stock-takes (`page_sections("inventory.item", item)`)."""
    return {"item": item, "public_url": sheets.public_url(item)}


def home_panel() -> dict:
    return {}


def register_sections() -> None:
    from bibnet.web import panels

    panels.register_page_section("inventory.item", "inventory/labels/_item_section.html", item_section, "inventory.view", order=80)
    panels.register_home_panel("inventory/labels/_home_panel.html", home_panel, "inventory.view")

