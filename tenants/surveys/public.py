"""The public answer page, `/s/<code>`, for anyone without logging in: choose the form (plain, easy to read,
large print) and the language, then answer on the five-point scale, with faces if wished. The page knows the
run by its code only; it shows the library's name and the survey's statements, nothing else.

What is kept of an answer is what `services.record_response` keeps: the answers, the channel, the day, and for
matched runs the keyed hash of the participant's own code. The request's address is used by the rate limiter
alone (in its own store, never next to the answers); no account, cookie value or time of day is written.
"""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import public
from bibnet.extensions import db, limiter
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.bank import FORMS, LANGUAGES, statement
from bibnet.tenants.surveys.forms import DONT_KNOW_VALUE, answer_form, scale_value
from bibnet.tenants.surveys.models import CODE_LENGTH, Channel, SurveyRun, SurveyTemplate, TemplateItem
from bibnet.web.forms import saving

bp = Blueprint("surveys_public", __name__, url_prefix="/s", template_folder="templates")

# Enough for a room full of people scanning the same QR code behind one address (each opens the page twice and
# sends it once; what they send is also counted against PUBLIC_FORM_RATE_LIMIT), too few to guess codes.
PUBLIC_SURVEY_RATE_LIMIT = "120 per minute"


def _run_of(code: str) -> tuple[int, int] | None:
    """(run id, tenant id) of the run with this public code (typed from paper: any case), or None."""
    code = (code or "").strip().upper()
    if len(code) != CODE_LENGTH:
        return None
    with all_tenants("the public answer page of a survey, opened by its code"):
        found = db.session.execute(sa.select(SurveyRun.id, SurveyRun.tenant_id).where(SurveyRun.code == code)).first()
    return tuple(found) if found else None


def _load(run_id: int) -> SurveyRun:
    return db.session.scalar(
        sa.select(SurveyRun).where(SurveyRun.id == run_id)
        .options(joinedload(SurveyRun.template).selectinload(SurveyTemplate.items).joinedload(TemplateItem.item))
    )


def _choice(name: str, allowed, default: str | None) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else default


def _page(template: str, status: int = 200, headers: dict | None = None, **context):
    return render_template(template, **context), status, headers or {}


@bp.route("/<code>", methods=["GET", "POST"])
@public
@limiter.limit(PUBLIC_SURVEY_RATE_LIMIT)
def answer(code):
    found = _run_of(code)
    if found is None:
        abort(404)
    run_id, tenant_id = found
    form_kind = _choice("form", FORMS, None)
    interface = str(get_locale())
    language = _choice("lang", LANGUAGES, interface if interface in LANGUAGES else "en")
    faces = request.args.get("faces") == "1"
    with tenant_scope(tenant_id, reason="the public answer page of a survey"), force_locale(language):
        run = _load(run_id)
        library = db.session.get(Tenant, tenant_id).name
        context = {"run": run, "library": library, "language": language, "form_kind": form_kind, "faces": faces, "forms": FORMS, "languages": LANGUAGES}
        if not services.is_open(run, services.today()):
            return _page("surveys/public/closed.html", **context)
        if form_kind is None:
            return _page("surveys/public/choose.html", **context)
        items = [entry.item for entry in run.template.items]
        labels = {item.id: statement(item, form_kind, language) for item in items}
        form = answer_form(items, labels)
        error = None
        if form.validate_on_submit():
            answers = {item.id: scale_value(form[f"answers_{item.id}"].data) for item in items}
            with saving(form) as outcome:
                services.record_response(run, services.ResponseInput(answers=answers, channel=Channel.ONLINE, match_code=form.match_code.data or "" if run.matched else ""))
            if outcome.saved:
                return redirect(url_for("surveys_public.thanks", code=run.code, lang=language))
            error = outcome.error
            run = _load(run_id)
        refused = bool(form.errors or form.form_errors or error)
        return _page("surveys/public/answer.html", form.refusal_status if refused else 200, form.refusal_headers if refused else None,
                     form=form, items=items, error=error, dont_know=DONT_KNOW_VALUE, **context)


@bp.route("/<code>/thanks")
@public
@limiter.limit(PUBLIC_SURVEY_RATE_LIMIT)
def thanks(code):
    found = _run_of(code)
    if found is None:
        abort(404)
    interface = str(get_locale())
    language = _choice("lang", LANGUAGES, interface if interface in LANGUAGES else "en")
    with tenant_scope(found[1], reason="the thank-you page of a survey"), force_locale(language):
        return render_template("surveys/public/thanks.html", library=db.session.get(Tenant, found[1]).name, language=language)
