"""Pages of the asset register: the item list with its filters, an item's page (parts, documents, photo,
history), the item form, the status change, and the categories and locations the items are sorted by."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, StringField

from bibnet.access import allowed, require
from bibnet.audit.log import AuditFilters, AuditScope, entries_page
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.storage.uploads import DOCUMENTS, IMAGES, store_upload
from bibnet.tenants.inventory import (
    lookups,  # noqa: F401  (the URL's item, location, category or document)
    services,
)
from bibnet.tenants.inventory.categories import ATTRIBUTE_KINDS, ensure_shared_categories, label_of, save_category
from bibnet.tenants.inventory.forms import (
    ATTRIBUTE_KIND_CHOICES,
    FILE_MAX_MB,
    CategoryForm,
    DocumentForm,
    ItemForm,
    LocationForm,
    PartForm,
    PhotoForm,
    StatusForm,
)
from bibnet.tenants.inventory.labels import CONDITION_LABELS, KIND_LABELS, STATUS_LABELS
from bibnet.tenants.inventory.locations import KIND_LABELS as LOCATION_KIND_LABELS
from bibnet.tenants.inventory.locations import Tree, save_location
from bibnet.tenants.inventory.models import Category, Item, ItemDocument, ItemKind, ItemStatus, Location, LocationKind
from bibnet.web import menu
from bibnet.web.fields import LocalDateField, parse_whole_number
from bibnet.web.forms import Outcome, saving
from bibnet.web.pagination import paginate

bp = Blueprint("inventory", __name__, url_prefix="/t/<tenant_slug>/equipment", template_folder="templates")
menu.register(_l("Equipment"), "inventory.index", "inventory.view")

AREA = "inventory"
HISTORY_PER_PAGE = 10
FILTERS = ("q", "category", "status", "location", "kind")


@bp.app_template_global()
def inventory_labels() -> dict:
    return {"status": STATUS_LABELS, "kind": KIND_LABELS, "condition": CONDITION_LABELS, "location_kind": LOCATION_KIND_LABELS, "attribute_kind": ATTRIBUTE_KINDS}


@bp.app_template_global()
def category_label(category) -> str:
    return label_of(category)


def _form_page(template: str, form, **context):
    """The page with its form; 422 when the form has errors, so that the refusal is visible to machines too."""
    failed = bool(form.errors) or bool(context.get("error"))
    return render_template(template, form=form, **context), 422 if failed else 200


def _categories(include_id: int | None = None) -> list[Category]:
    ensure_shared_categories()
    categories = db.session.scalars(sa.select(Category).where(sa.or_(Category.active, Category.id == (include_id or 0)))).all()
    return sorted(categories, key=lambda category: (category.shared_key is None, label_of(category).casefold()))


def _choice(text: str | None, allowed_values) -> str | None:
    return text if text in allowed_values else None


def items_query(args, tree: Tree) -> sa.Select:
    """The filtered list: text in the tag, name or serial; a category; a status; a location with its
    sub-locations; a kind. Parts of kits are listed too (they are items of their own)."""
    statement = sa.select(Item).options(joinedload(Item.category), joinedload(Item.location)).order_by(Item.tag_number)
    if text := (args.get("q") or "").strip()[:100]:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(*(sa.func.lower(column).like(pattern, escape="\\") for column in (Item.tag, Item.name, Item.serial))))
    if (category := parse_whole_number(args.get("category"))) is not None:
        statement = statement.where(Item.category_id == category)
    if status := _choice(args.get("status"), {status.value for status in ItemStatus}):
        statement = statement.where(Item.status == ItemStatus(status))
    if (location := parse_whole_number(args.get("location"))) is not None:
        statement = statement.where(Item.location_id.in_(sorted(tree.with_descendants([location]) & set(tree.by_id)) or [-1]))
    if kind := _choice(args.get("kind"), {kind.value for kind in ItemKind}):
        statement = statement.where(Item.kind == ItemKind(kind))
    return statement


@bp.route("/")
@require("inventory.view")
def index():
    tree = Tree.load()
    page = paginate(items_query(request.args, tree))
    filters = {name: request.args.get(name, "") for name in FILTERS if request.args.get(name)}
    return render_template(
        "inventory/index.html", page=page, tree=tree, filters=filters, categories=_categories(), can_manage=allowed("inventory.manage"),
    )


@bp.route("/<int:item_id>/")
@require("inventory.view")
def show(item):
    return _item_page(item)


def _item_page(item: Item, status: int = 200, **forms):
    parts = db.session.scalars(sa.select(Item).where(Item.kit_id == item.id).order_by(Item.tag_number)).all() if item.kind is ItemKind.KIT else []
    documents = db.session.scalars(sa.select(ItemDocument).options(joinedload(ItemDocument.file)).where(ItemDocument.item_id == item.id).order_by(ItemDocument.id)).all()
    history = entries_page(AuditScope.of_tenant(g.tenant), AuditFilters(object_type="Item", object_id=item.id))
    tree = Tree.load() if item.location_id else None
    forms.setdefault("status_form", StatusForm(formdata=None, status=ItemStatus.AVAILABLE.value))
    forms.setdefault("part_form", PartForm(formdata=None))
    forms.setdefault("document_form", DocumentForm(formdata=None))
    forms.setdefault("photo_form", PhotoForm(formdata=None))
    return render_template(
        "inventory/show.html", item=item, parts=parts, documents=documents, history=history,
        location_path=tree.path(item.location_id) if tree else "", attribute_fields=item.category.attribute_fields or [],
        can_manage=allowed("inventory.manage"), **forms,
    ), status


def _attribute_fields(category: Category | None) -> list[dict]:
    return list(category.attribute_fields or []) if category is not None else []


def _item_form(item: Item | None, category: Category | None, categories, tree):
    """The item form with a field for each custom attribute of `category` (named attributes_<key>)."""
    fields = _attribute_fields(category)

    class ItemFormWithAttributes(ItemForm):
        pass

    for attribute in fields:
        field_class = {"date": LocalDateField, "yesno": BooleanField}.get(attribute["kind"], StringField)
        setattr(ItemFormWithAttributes, f"attributes_{attribute['key']}", field_class(attribute["label"]))
    form = ItemFormWithAttributes(categories=categories, tree=tree)
    if request.method == "GET":
        if item is not None:
            form.fill(item)
        elif category is not None:
            form.category_id.data = str(category.id)
        for attribute in fields:
            stored = (item.attributes or {}).get(attribute["key"]) if item is not None else None
            if stored is not None and attribute["kind"] == "date":
                stored = date.fromisoformat(stored)
            form[f"attributes_{attribute['key']}"].data = stored
    return form, fields


def _typed_attributes(form, fields) -> dict:
    return {attribute["key"]: form[f"attributes_{attribute['key']}"].data for attribute in fields}


def _category_of_form(default: Category | None) -> Category | None:
    if (chosen := parse_whole_number(request.values.get("category_id"))) is not None:
        return db.session.scalar(sa.select(Category).where(Category.id == chosen)) or default
    return default


@bp.route("/new", methods=["GET", "POST"])
@require("inventory.manage")
def new():
    categories, tree = _categories(), Tree.load()
    form, fields = _item_form(None, _category_of_form(None), categories, tree)
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            item = services.save_item(Item(), form.to_input(_typed_attributes(form, fields)))
        if outcome.saved:
            flash(_("%(tag)s is added to the register.", tag=item.tag), "success")
            return redirect(url_for("inventory.show", item_id=item.id))
    return _form_page("inventory/form.html", form, item=None, attribute_names=[f"attributes_{a['key']}" for a in fields], error=outcome.error)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@require("inventory.manage")
def edit(item):
    categories, tree = _categories(item.category_id), Tree.load()
    form, fields = _item_form(item, item.category if request.method == "GET" else _category_of_form(item.category), categories, tree)
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.save_item(item, form.to_input(_typed_attributes(form, fields)))
        if outcome.saved:
            flash(_("The changes to %(tag)s are saved.", tag=item.tag), "success")
            return redirect(url_for("inventory.show", item_id=item.id))
    return _form_page("inventory/form.html", form, item=item, attribute_names=[f"attributes_{a['key']}" for a in fields], error=outcome.error)


def _after(item: Item, outcome: Outcome, message: str, failed_status: int = 422, **forms):
    if outcome.saved:
        flash(message, "success")
        return redirect(url_for("inventory.show", item_id=item.id))
    return _item_page(item, failed_status, page_error=outcome.error, **forms)


@bp.route("/<int:item_id>/status", methods=["POST"])
@require("inventory.manage")
def change_status(item):
    form = StatusForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.change_status_by_hand(item, ItemStatus(form.status.data))
    return _after(item, outcome, _("%(tag)s is now: %(status)s.", tag=item.tag, status=STATUS_LABELS[item.status]), status_form=form)


def _part_by_form(form: PartForm) -> Item:
    part = services.by_tag(form.part.data or "")
    if part is None:
        raise Refused({"part": [_l("No item of this library has the tag %(tag)s.", tag=form.part.data)]})
    return part


@bp.route("/<int:item_id>/parts", methods=["POST"])
@require("inventory.manage")
def add_part(item):
    form = PartForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            part = _part_by_form(form)
            services.add_part(item, part)
    return _after(item, outcome, _("The part is added to the kit."), part_form=form)


@bp.route("/<int:item_id>/parts/remove", methods=["POST"])
@require("inventory.manage")
def remove_part(item):
    form = PartForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.remove_part(item, _part_by_form(form))
    return _after(item, outcome, _("The part is taken out of the kit."), part_form=PartForm(formdata=None))


@bp.route("/<int:item_id>/documents", methods=["POST"])
@require("inventory.manage")
def add_document(item):
    form = DocumentForm()
    outcome = Outcome()
    if form.validate_on_submit():
        upload = form.file.data
        with saving(form) as outcome:
            stored = store_upload(upload.read(), upload.filename, AREA, DOCUMENTS, FILE_MAX_MB * 1024 * 1024, uploaded_by=current_user)
            db.session.add(ItemDocument(item_id=item.id, file=stored, title=(form.title.data or stored.filename)[:200]))
    return _after(item, outcome, _("The document is kept with %(tag)s.", tag=item.tag), document_form=form)


@bp.route("/<int:item_id>/documents/<int:item_document_id>/delete", methods=["POST"])
@require("inventory.manage")
def delete_document(item, document):
    if document.item_id != item.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    key = document.file.key
    db.session.delete(document)
    db.session.delete(document.file)
    db.session.commit()
    _delete_file_quietly(key)
    flash(_("The document is removed."), "success")
    return redirect(url_for("inventory.show", item_id=item.id))


@bp.route("/<int:item_id>/photo", methods=["POST"])
@require("inventory.manage")
def add_photo(item):
    form = PhotoForm()
    outcome = Outcome()
    old = item.photo
    if form.validate_on_submit():
        upload = form.photo.data
        with saving(form, rename={"file": "photo"}) as outcome:
            item.photo = store_upload(upload.read(), upload.filename, AREA, IMAGES, FILE_MAX_MB * 1024 * 1024, uploaded_by=current_user)
            if old is not None:
                db.session.delete(old)
        if outcome.saved and old is not None:
            _delete_file_quietly(old.key)
    return _after(item, outcome, _("The photo of %(tag)s is saved.", tag=item.tag), photo_form=form)


@bp.route("/<int:item_id>/photo/remove", methods=["POST"])
@require("inventory.manage")
def remove_photo(item):
    form = FlaskForm()
    if form.validate_on_submit() and item.photo is not None:
        old = item.photo
        item.photo = None
        db.session.delete(old)
        db.session.commit()
        _delete_file_quietly(old.key)
        flash(_("The photo is removed."), "success")
    return redirect(url_for("inventory.show", item_id=item.id))


def _delete_file_quietly(key: str) -> None:
    """The record is gone already; a file left behind in the storage is harmless, so a failure is only logged."""
    try:
        get_storage().delete(key)
    except Exception:  # any backend error
        current_app.logger.exception("could not delete the removed inventory file %s", key)


# Categories


@bp.route("/categories/")
@require("inventory.view")
def categories():
    return render_template("inventory/categories.html", categories=_categories_all(), can_manage=allowed("inventory.manage"))


def _categories_all() -> list[Category]:
    ensure_shared_categories()
    db.session.commit()  # the shared categories exist from the first visit on
    return sorted(db.session.scalars(sa.select(Category)).all(), key=lambda category: (category.shared_key is None, not category.active, label_of(category).casefold()))


def _category_page(category: Category | None):
    form = CategoryForm(obj=category) if request.method == "GET" and category is not None else CategoryForm()
    rows = form.attribute_rows(request.form if request.method == "POST" else None, category.attribute_fields if category else ())
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            saved = save_category(category or Category(), name=form.name.data or "", attribute_fields=rows, active=form.active.data)
        if outcome.saved:
            flash(_("The category %(name)s is saved.", name=label_of(saved)), "success")
            return redirect(url_for("inventory.categories"))
        if outcome.refusal is not None:
            attribute_errors = {path: messages for path, messages in outcome.refusal.errors.items() if path.startswith("attribute_fields")}
            outcome.error = " ".join(str(message) for messages in attribute_errors.values() for message in messages) or outcome.error
    return _form_page("inventory/category_form.html", form, category=category, rows=rows, kind_choices=ATTRIBUTE_KIND_CHOICES, error=outcome.error)


@bp.route("/categories/new", methods=["GET", "POST"])
@require("inventory.manage")
def new_category():
    return _category_page(None)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@require("inventory.manage")
def edit_category(category):
    return _category_page(category)


# Locations


@bp.route("/locations/")
@require("inventory.view")
def locations():
    from bibnet.tenants.rooms.models import Room

    rooms = dict(db.session.execute(sa.select(Room.id, Room.name)).all())
    return render_template("inventory/locations.html", placed=Tree.load().placed(), rooms=rooms, can_manage=allowed("inventory.manage"))


def _location_page(location: Location | None):
    from bibnet.tenants.rooms.models import Room

    tree = Tree.load()
    rooms = db.session.scalars(sa.select(Room).order_by(Room.name)).all()
    if request.method == "GET" and location is not None:
        form = LocationForm(obj=location, tree=tree, rooms=rooms)
        form.parent_id.data = str(location.parent_id or "")
        form.room_id.data = str(location.room_id or "")
        form.kind.data = location.kind.value
    else:
        form = LocationForm(tree=tree, rooms=rooms)
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            saved = save_location(
                location or Location(), name=form.name.data, kind=LocationKind(form.kind.data), parent_id=_number(form.parent_id.data),
                room_id=_number(form.room_id.data), active=form.active.data,
            )
        if outcome.saved:
            flash(_("The location %(name)s is saved.", name=saved.name), "success")
            return redirect(url_for("inventory.locations"))
    return _form_page("inventory/location_form.html", form, location=location, error=outcome.error)


def _number(text) -> int | None:
    return parse_whole_number(str(text)) if text else None


@bp.route("/locations/new", methods=["GET", "POST"])
@require("inventory.manage")
def new_location():
    return _location_page(None)


@bp.route("/locations/<int:location_id>/edit", methods=["GET", "POST"])
@require("inventory.manage")
def edit_location(location):
    return _location_page(location)
