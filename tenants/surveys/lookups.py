"""The survey template and run a page or API call names, loaded by the core through the tenant guard: another
tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload, selectinload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.surveys.models import SurveyRun, SurveyTemplate, TemplateItem


def visible_template(template_id: int) -> SurveyTemplate:
    return get_or_404(SurveyTemplate, template_id, selectinload(SurveyTemplate.items).joinedload(TemplateItem.item))


def visible_run(run_id: int) -> SurveyRun:
    return get_or_404(SurveyRun, run_id, joinedload(SurveyRun.template).selectinload(SurveyTemplate.items).joinedload(TemplateItem.item), joinedload(SurveyRun.before_run))


register_loader("survey_template_id", "template", visible_template)
register_loader("survey_run_id", "run", visible_run)
