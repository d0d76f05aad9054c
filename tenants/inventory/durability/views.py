"""The pages of the funding link and durability: the item's funding section (on the item page), linking an item
to its invoice, the evidence pack, disposal requests and the lead's decision, and the durability register of a
project, for a partner (`durability`) and for the project's lead across partners (`durability_project`).
"""
from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.loading import register_loader
from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.inventory.durability import evidence, register, services
from bibnet.tenants.inventory.durability.dates import durability_of
from bibnet.tenants.inventory.durability.forms import DecisionForm, DisposalForm, LinkForm
from bibnet.tenants.inventory.durability.labels import DECISION_LABELS
from bibnet.tenants.inventory.durability.models import Decision, DisposalRequest
from bibnet.tenants.inventory.labels import STATUS_LABELS
from bibnet.tenants.inventory.models import Item
from bibnet.web import panels
from bibnet.web.downloads import file_chunks
from bibnet.web.forms import Outcome, saving
from bibnet.web.pagination import paginate

bp = Blueprint("durability", __name__, url_prefix="/t/<tenant_slug>/equipment/funding", template_folder="templates")
project_bp = Blueprint("durability_project", __name__, url_prefix="/projects/<int:project_id>/durability", template_folder="templates")

panels.register_project_link(_l("Durability register of the funded equipment"), "durability_project.index")


def disposal_request(disposal_id: int) -> DisposalRequest | None:
    return get_or_404(DisposalRequest, disposal_id, joinedload(DisposalRequest.item))


register_loader("disposal_id", "disposal", disposal_request)


def section_data(item: Item) -> dict:
    """The item page's funding section: its invoice, project, co-financing and durability, and disposal requests."""
    funding = services.funding_of(item)
    return {
        "item": item,
        "funding": funding,
        "pending": services.pending_request(item) if funding is not None else None,
        "may_manage": allowed("inventory.manage"),
        "needs_approval": funding is not None and funding.durability.running_on(services.today()),
        "status_label": STATUS_LABELS[item.status],
    }


# --- the funding link ------------------------------------------------------------------------------------------


def _link_page(item: Item, form: LinkForm, error: str | None = None, status: int = 200):
    search = request.args.get("q", "").strip()[:100]
    page = paginate(services.invoices(search))
    funding = services.funding_of(item)
    return render_template("durability/link.html", item=item, form=form, page=page, search=search, error=error, funding=funding), status


@bp.route("/items/<int:item_id>/invoice", methods=["GET", "POST"])
@require("inventory.manage")
def link(item):
    form = LinkForm()
    if request.method == "GET":
        return _link_page(item, form)
    outcome = Outcome()
    if form.validate_on_submit():
        chosen = form.expenditure.data
        with saving(form) as outcome:
            expenditure = get_or_404(Expenditure, chosen) if chosen else None
            services.link(item, expenditure)
        if outcome.saved:
            flash(_("%(tag)s is linked to its invoice.", tag=item.tag), "success")
            return redirect(url_for("durability.link", item_id=item.id))
    return _link_page(item, form, outcome.error, 422)


@bp.route("/items/<int:item_id>/invoice/unlink", methods=["POST"])
@require("inventory.manage")
def unlink(item):
    form = LinkForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving() as outcome:
            services.unlink(item)
        if outcome.saved:
            flash(_("%(tag)s is no longer linked to an invoice.", tag=item.tag), "success")
            return redirect(url_for("durability.link", item_id=item.id))
    return _link_page(item, form, outcome.error, 422)


# --- the evidence pack -----------------------------------------------------------------------------------------


@bp.route("/items/<int:item_id>/evidence.pdf")
@require("durability.view")
def evidence_pdf(item):
    headers = {"Content-Disposition": f'attachment; filename="{evidence.file_name(item, "pdf")}"'}
    return Response(file_chunks(evidence.pdf(item)), mimetype="application/pdf", headers=headers)


@bp.route("/items/<int:item_id>/evidence.zip")
@require("durability.view")
def evidence_zip(item):
    headers = {"Content-Disposition": f'attachment; filename="{evidence.file_name(item, "zip")}"'}
    return Response(file_chunks(evidence.zip_pack(item)), mimetype="application/zip", headers=headers)


# --- disposal before the durability ends ------------------------------------------------------------------------


@bp.route("/items/<int:item_id>/disposal", methods=["GET", "POST"])
@require("inventory.manage")
def request_disposal(item):
    form = DisposalForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.request_disposal(item, form.reason.data or "", current_user)
        if outcome.saved:
            flash(_("The request is sent to the project lead."), "success")
            return redirect(url_for("durability.link", item_id=item.id))
    status = 422 if form.errors or outcome.error else 200
    return render_template("durability/request.html", item=item, form=form, error=outcome.error, funding=services.funding_of(item)), status


@bp.route("/disposals/<int:disposal_id>", methods=["GET", "POST"])
@require("durability.decide")
def decide(disposal):
    form = DecisionForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.decide(disposal, Decision(form.decision.data) if form.decision.data in set(Decision) else None, form.comment.data or "", current_user)
        if outcome.saved:
            flash(_("The decision is saved."), "success")
            return redirect(url_for("durability.decide", disposal_id=disposal.id))
    status = 422 if form.errors or outcome.error else 200
    item = get_or_404(Item, disposal.item_id, joinedload(Item.category), joinedload(Item.location), joinedload(Item.photo))
    return render_template(
        "durability/decide.html", disposal=disposal, item=item, form=form, error=outcome.error, funding=services.funding_of(item),
        may_decide=services.may_decide(current_user, disposal), decision_labels=DECISION_LABELS,
    ), status


# --- the durability register -----------------------------------------------------------------------------------


def _register_page(project, endpoint: str, csv_url: str, across_partners: bool):
    page = paginate(register.statement(project), scalars=False)
    return render_template(
        "durability/register.html", project=project, page=page, durability=durability_of(project), endpoint=endpoint, csv_url=csv_url,
        across_partners=across_partners, status_labels=STATUS_LABELS,
    )


def _csv(project, scope) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="durability-{project.id}.csv"'}
    lines, close = register.csv_lines(project, scope)
    response = Response(lines, mimetype="text/csv", headers=headers)
    response.call_on_close(close)
    return response


@bp.route("/<int:project_id>/")
@require("durability.view")
def index(project):
    return _register_page(project, "durability.index", url_for("durability.register_csv", project_id=project.id), across_partners=False)


@bp.route("/<int:project_id>/register.csv")
@require("durability.view")
def register_csv(project):
    tenant = g.tenant
    return _csv(project, lambda: tenant_scope(tenant, reason="durability register CSV"))


@project_bp.route("/", endpoint="index")
@require("project.lead")
def project_index(project):
    with partners_of(project, reason="durability register of the project's funded equipment"):
        return _register_page(project, "durability_project.index", url_for("durability_project.register_csv", project_id=project.id), across_partners=True)


@project_bp.route("/register.csv", endpoint="register_csv")
@require("project.lead")
def project_register_csv(project):
    return _csv(project, lambda: partners_of(project, reason="durability register CSV of the project's funded equipment"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(project_bp)
