"""The item and attachment a page or API call names (`expenditure_id`, `attachment_id` in the URL), loaded by
the core before the view runs (`bibnet.loading`): an item of another tenant, a deleted one, one of another
project than the URL's, or (in the API, whose URLs name no project) of a project a visiting lead does not
lead is a 404, whatever the request body holds.
"""
from sqlalchemy.orm import joinedload, selectinload

from bibnet.loading import addressed, register_loader
from bibnet.tenancy.projects import current_project
from bibnet.tenancy.queries import get_or_404, projects_of_current_tenant
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureAttachment


def visible_item(expenditure_id: int) -> Expenditure | None:
    item = get_or_404(Expenditure, expenditure_id, selectinload(Expenditure.attachments).joinedload(ExpenditureAttachment.file))
    if item.deleted_at is not None:
        return None
    project = current_project()
    if project is not None:
        return item if item.project_id == project.id else None
    return item if item.project_id in {each.id for each in projects_of_current_tenant()} else None


def attachment_of_item(attachment_id: int) -> ExpenditureAttachment | None:
    attachment = get_or_404(ExpenditureAttachment, attachment_id, joinedload(ExpenditureAttachment.file))
    return attachment if attachment.expenditure_id == addressed("item").id else None


register_loader("expenditure_id", "item", visible_item)
register_loader("attachment_id", "attachment", attachment_of_item)
