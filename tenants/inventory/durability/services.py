"""The funding link of an item (its invoice, and so its cost category, project and co-financing), its
durability, and the project lead's approval of disposing of it early.

**Which status changes need the lead's approval.** Retiring a funded item before its durability ends is a
decision to dispose of it, which the programme allows only with the lead partner's consent: it is refused
unless the lead approved a disposal request for the item. Recording an item as lost is not refused: a loss is a
fact, not a choice, and refusing to record it would leave the register saying that a missing item is there,
which is worse evidence than a recorded loss. The loss is in the item's history and on the durability register
for the lead to see and report.

Check first, write after: a refusal raises `Refused` before anything changes. Callers commit.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenancy.projects import leads
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.cofinancing import CoFinancingError, Split, split
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.inventory.durability.dates import Durability, durability_of
from bibnet.tenants.inventory.durability.models import Decision, DisposalRequest
from bibnet.tenants.inventory.models import Item, ItemKind, ItemStatus

REASON_LENGTH = 2000
NEEDS_APPROVAL = (ItemStatus.RETIRED,)  # see the module's docstring: a loss is recorded, never refused


@dataclass(frozen=True)
class Funding:
    """What an item's invoice says about its funding. `split` is the item's cost split as the partner's budget
    splits its reported amounts (None when the item has no cost yet, or the partner's sources cannot split it)."""

    expenditure: Expenditure
    project: Project
    durability: Durability
    split: Split | None
    fund_name: str
    source_names: tuple[str, ...]


def today() -> date:
    tenant = db.session.get(Tenant, current_tenant_id())
    return tenant.today()


def expenditure_of(item: Item) -> Expenditure | None:
    """The item's invoice, if it still counts: a deleted expenditure item funds nothing."""
    if item.expenditure_id is None:
        return None
    return db.session.scalar(sa.select(Expenditure).where(Expenditure.id == item.expenditure_id, Expenditure.deleted_at.is_(None)))


def cost_split(project: Project, amount: Decimal | None) -> tuple[Split | None, str, tuple[str, ...]]:
    """`amount` split by the fund rate and the current partner's contribution sources, with the budgets' own rule."""
    setup = budgets.setup_of(project)
    plan = budgets.partner_plan(project)
    if amount is None:
        return None, setup.fund_name, plan.source_names
    try:
        shares = budgets.source_shares(budgets.sources_of(project), setup.fund_rate, plan.split.contribution)
        return split(amount, setup.fund_rate, shares), setup.fund_name, plan.source_names
    except CoFinancingError:
        return None, setup.fund_name, plan.source_names


def funding_of(item: Item) -> Funding | None:
    expenditure = expenditure_of(item)
    if expenditure is None:
        return None
    project = db.session.get(Project, expenditure.project_id)
    item_split, fund_name, source_names = cost_split(project, item.cost)
    return Funding(expenditure, project, durability_of(project), item_split, fund_name, source_names)


def durability_of_item(item: Item) -> Durability | None:
    """The durability binding `item` (a kit: its own; its parts are checked with it), None when it is not funded."""
    row = db.session.execute(
        sa.select(Project)
        .join(Expenditure, Expenditure.project_id == Project.id)
        .where(Expenditure.id == item.expenditure_id, Expenditure.deleted_at.is_(None))
    ).scalar_one_or_none() if item.expenditure_id is not None else None
    return durability_of(row) if row is not None else None


# --- the funding link ----------------------------------------------------------------------------------------


def _bound_to_its_project(item: Item) -> Expenditure | None:
    """The invoice that binds `item` to keep it for its project while the durability runs (no approved disposal)."""
    if not needs_approval(item, today()) or approved(item):
        return None
    return db.session.get(Expenditure, item.expenditure_id)


def link(item: Item, expenditure: Expenditure | None) -> None:
    """Link `item` to an invoice. While a funded item's durability runs it may move only to another invoice of the
    same project (a correction): taking it out of the project would dispose of it without the lead's approval."""
    if expenditure is None or expenditure.deleted_at is not None:
        raise Refused({"expenditure": [_l("Choose an invoice from the list.")]})
    bound = _bound_to_its_project(item)
    if bound is not None and expenditure.project_id != bound.project_id:
        raise Refused({"expenditure": [_l("While its durability period runs, the item can only be linked to another invoice of the same project.")]})
    item.expenditure_id = expenditure.id
    db.session.flush()


def unlink(item: Item) -> None:
    if pending_request(item) is not None:
        raise Refused(detail=_l("A disposal request for this item waits for the project lead: decide it before unlinking the invoice."))
    if _bound_to_its_project(item) is not None:
        raise Refused(detail=_l("The item was bought with project money and its durability period has not ended: it stays linked to its invoice unless the project lead approves disposing of it."))
    item.expenditure_id = None
    db.session.flush()


def invoices(search: str = "") -> sa.Select:
    """The current tenant's expenditure items an item can be linked to, equipment first, searchable by supplier
    or invoice number."""
    statement = sa.select(Expenditure).where(Expenditure.deleted_at.is_(None))
    words = search.strip()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(Expenditure.supplier.ilike(pattern, escape="\\"), Expenditure.invoice_number.ilike(pattern, escape="\\")))
    equipment_first = sa.case((Expenditure.category == "equipment", 0), else_=1)
    return statement.order_by(equipment_first, Expenditure.invoice_date.desc(), Expenditure.id.desc())


# --- disposal before the durability ends -----------------------------------------------------------------------


def pending_request(item: Item) -> DisposalRequest | None:
    return db.session.scalar(sa.select(DisposalRequest).where(DisposalRequest.item_id == item.id, DisposalRequest.decision.is_(None)))


def approved(item: Item) -> bool:
    statement = sa.select(DisposalRequest.id).where(DisposalRequest.item_id == item.id, DisposalRequest.decision == Decision.APPROVED)
    return db.session.scalar(statement.limit(1)) is not None


def needs_approval(item: Item, on: date) -> bool:
    """Whether disposing of `item` on `on` needs the lead's approval: it is funded and its durability runs."""
    durability = durability_of_item(item)
    return durability is not None and durability.running_on(on)


def refuse_early_disposal(item: Item, new: ItemStatus) -> None:
    """The status check (`inventory.services.check_status_change`): retiring a funded item, or a kit holding a
    funded part, before its durability ends needs an approved disposal request for that item."""
    if new not in NEEDS_APPROVAL:
        return
    on = today()
    bound = [item, *(item.parts if item.kind is ItemKind.KIT else ())]
    for each in bound:
        if needs_approval(each, on) and not approved(each):
            raise Refused(
                {"status": [_l("%(tag)s was bought with project money and its durability period has not ended: the project lead must approve disposing of it first.", tag=each.tag)]}
            )


def request_disposal(item: Item, reason: str, user) -> DisposalRequest:
    reason = reason.strip()
    if not reason:
        raise Refused({"reason": [_l("Say why the item should be disposed of.")]})
    if len(reason) > REASON_LENGTH:
        raise Refused({"reason": [_l("A reason can have at most %(max)d characters.", max=REASON_LENGTH)]})
    if item.status is ItemStatus.RETIRED:
        raise Refused(detail=_l("The item is retired already."))
    if not needs_approval(item, today()):
        raise Refused(detail=_l("This item needs no approval to be retired: it is not funded, or its durability period has ended."))
    if pending_request(item) is not None:
        raise Refused(detail=_l("A disposal request for this item waits for the project lead already."))
    request = DisposalRequest(item_id=item.id, reason=reason, requested_by_id=user.id)
    db.session.add(request)
    db.session.flush()
    return request


def project_of_request(request: DisposalRequest) -> Project | None:
    return db.session.scalar(
        sa.select(Project).join(Expenditure, Expenditure.project_id == Project.id).join(Item, Item.expenditure_id == Expenditure.id).where(Item.id == request.item_id)
    )


def may_decide(user, request: DisposalRequest) -> bool:
    """The lead of the item's project decides (an admin may stand in)."""
    project = project_of_request(request)
    return project is not None and (user.is_admin or leads(user, project))


def decide(request: DisposalRequest, decision: Decision | None, comment: str, user) -> None:
    if not request.pending:
        raise Refused(detail=_l("This request is decided already."))
    if not may_decide(user, request):
        raise Refused(detail=_l("Only the lead of the item's project can decide this request."))
    if decision is None:
        raise Refused({"decision": [_l("Choose approve or reject.")]})
    comment = comment.strip()
    if decision is Decision.REJECTED and not comment:
        raise Refused({"comment": [_l("Say why the request is rejected.")]})
    if len(comment) > REASON_LENGTH:
        raise Refused({"comment": [_l("A comment can have at most %(max)d characters.", max=REASON_LENGTH)]})
    request.decision, request.comment = decision, comment
    request.decided_by_id, request.decided_at = user.id, utcnow()
    db.session.flush()
