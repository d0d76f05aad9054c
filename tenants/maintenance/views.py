"""Pages of the maintenance: the due list (overdue first), a schedule for an item or its category, recording
what was done, and sending an item to maintenance and back. No menu entry: the tenant home's panel and the
item page's section link here."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.extensions import db
from bibnet.tenants.inventory.categories import label_of
from bibnet.tenants.inventory.lookups import visible_item
from bibnet.tenants.inventory.models import Category
from bibnet.tenants.maintenance import services
from bibnet.tenants.maintenance.forms import RecordForm, ScheduleForm
from bibnet.tenants.maintenance.models import MaintenanceTask
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("maintenance", __name__, url_prefix="/t/<tenant_slug>/maintenance", template_folder="templates")
ITEM = "/items/<int:item_id>"


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


def item_url(item_id: int) -> str:
    """The item's page, where maintenance has its section."""
    return url_for("inventory.show", item_id=item_id)


@bp.route("/")
@require("inventory.view")
def index():
    """Open tasks, the earliest due first: overdue ones lead the list."""
    page = paginate(
        sa.select(MaintenanceTask)
        .options(joinedload(MaintenanceTask.item), joinedload(MaintenanceTask.schedule))
        .where(MaintenanceTask.done_on.is_(None))
        .order_by(MaintenanceTask.due_on, MaintenanceTask.id)
    )
    return render_template("maintenance/index.html", page=page, today=g.tenant.today(), item_url=item_url)


@bp.route(ITEM + "/schedules/new", methods=["GET", "POST"])
@require("maintenance.manage")
def new_schedule(item):
    categories = [(item.category_id, label_of(db.session.get(Category, item.category_id)))]
    form = ScheduleForm(categories=categories)
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.create_schedule(services.ScheduleInput(
                title=form.title.data or "", item_id=None if form.category_id.data else item.id, category_id=form.category_id.data,
                interval_months=form.interval_months.data, first_due_on=form.first_due_on.data,
            ))
        if outcome.saved:
            flash(_("The maintenance schedule is saved."), "success")
            return redirect(item_url(item.id))
        return _form_page("maintenance/schedule.html", form, item=visible_item(item.id), error=outcome.error)
    return _form_page("maintenance/schedule.html", form, item=item, error=None)


@bp.route(ITEM + "/records/new", methods=["GET", "POST"])
@require("maintenance.manage")
def new_record(item):
    task_id = parse_whole_number(request.values.get("task"))
    task = db.session.get(MaintenanceTask, task_id) if task_id is not None else None
    if task is not None and task.item_id != item.id:
        task = None
    form = RecordForm()
    if request.method == "GET":
        form.done_on.data = g.tenant.today()
        if task is not None:
            form.work.data = db.session.get(services.MaintenanceSchedule, task.schedule_id).title
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.record(item, services.RecordInput(
                done_on=form.done_on.data, work=form.work.data or "", cost=form.cost.data, supplier=form.supplier.data or "", task_id=task.id if task else None,
            ))
        if outcome.saved:
            flash(_("The maintenance is recorded."), "success")
            return redirect(item_url(item.id))
        return _form_page("maintenance/record.html", form, item=visible_item(item.id), task_id=task_id, error=outcome.error)
    return _form_page("maintenance/record.html", form, item=item, task_id=task.id if task else None, error=None)


@bp.route(ITEM + "/send", methods=["POST"])
@require("maintenance.manage")
def send(item):
    with saving() as outcome:
        services.send_to_maintenance(item)
    flash(_("%(tag)s is in maintenance.", tag=item.tag) if outcome.saved else outcome.error, "success" if outcome.saved else "danger")
    return redirect(item_url(item.id))


@bp.route(ITEM + "/back", methods=["POST"])
@require("maintenance.manage")
def back(item):
    with saving() as outcome:
        services.back_from_maintenance(item)
    flash(_("%(tag)s is back from maintenance and available.", tag=item.tag) if outcome.saved else outcome.error, "success" if outcome.saved else "danger")
    return redirect(item_url(item.id))
