"""Staff pages of the surveys: runs, the templates picked from the bank, the bank itself, a run with its public
link, QR code and paper form, and typing in paper or assisted responses one at a time. The menu's "Surveys"
entry opens the runs."""
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import require
from bibnet.elearning import catalogue
from bibnet.elearning.languages import text as in_language
from bibnet.extensions import db
from bibnet.tenants.programmes.models import Programme
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys import lookups, services  # lookups: the URL's template and run
from bibnet.tenants.surveys.bank import FORMS, LANGUAGES, bank_items, statement
from bibnet.tenants.surveys.forms import RunForm, entry_form, scale_value, template_form
from bibnet.tenants.surveys.labels import CHANNEL_LABELS, FORM_LABELS, OUTCOME_LABELS, PHASE_LABELS, SCALE_LABELS, TIMING_LABELS
from bibnet.tenants.surveys.models import Channel, Phase, SurveyRun, SurveyTemplate, Timing
from bibnet.web.downloads import file_chunks, pdf_maker
from bibnet.web.forms import saving
from bibnet.web.i18n import LANGUAGE_NAMES
from bibnet.web.pagination import paginate

bp = Blueprint("surveys", __name__, url_prefix="/t/<tenant_slug>/surveys", template_folder="templates")
assets = Blueprint("surveys_assets", __name__, static_folder="static", static_url_path="/survey-assets")
ENTRY_CHANNELS = {"paper": Channel.PAPER, "assisted": Channel.ASSISTED}


@bp.app_context_processor
def _labels():
    return {
        "survey_outcome_labels": OUTCOME_LABELS, "survey_form_labels": FORM_LABELS, "survey_timing_labels": TIMING_LABELS,
        "survey_phase_labels": PHASE_LABELS, "survey_channel_labels": CHANNEL_LABELS, "survey_scale_labels": SCALE_LABELS,
    }


def _form_page(page: str, form, **context):
    return render_template(page, form=form, **context), 422 if form.errors or context.get("error") else 200


def public_url(run: SurveyRun) -> str:
    return url_for("surveys_public.answer", code=run.code, _external=True)


def _chosen(value: str | None, allowed, default: str) -> str:
    return value if value in allowed else default


@bp.route("/")
@require("surveys.view")
def index():
    """The runs, the latest first."""
    page = paginate(sa.select(SurveyRun).order_by(SurveyRun.created_at.desc(), SurveyRun.id.desc()))
    return render_template("surveys/index.html", page=page)


@bp.route("/bank")
@require("surveys.view")
def bank():
    """The shared item bank, per outcome area, in the interface language, every form side by side."""
    language = _chosen(str(get_locale()), LANGUAGES, "en")
    items = bank_items()
    db.session.commit()  # the bank written on first use is kept
    return render_template("surveys/bank.html", items=items, language=language, statement=statement, forms=FORMS)


@bp.route("/templates/")
@require("surveys.view")
def templates():
    page = paginate(sa.select(SurveyTemplate).options(selectinload(SurveyTemplate.items)).order_by(SurveyTemplate.name, SurveyTemplate.id))
    return render_template("surveys/templates.html", page=page)


def _positions(form, items) -> list[int]:
    """The chosen items' ids in the order their positions say (ties: the bank's order)."""
    chosen = [(form[f"position_{item.id}"].data, index, item.id) for index, item in enumerate(items) if form[f"position_{item.id}"].data is not None]
    return [item_id for _position, _index, item_id in sorted(chosen)]


def _template_page(template: SurveyTemplate | None):
    items = bank_items()
    form = template_form(items)
    if request.method == "GET":
        if template is not None:
            form.name.data = template.name
            for position, entry in enumerate(template.items, start=1):
                form[f"position_{entry.item_id}"].data = position
        db.session.commit()  # the bank written on first use is kept
    error = None
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.save_template(template, form.name.data, _positions(form, items))
        if outcome.saved:
            flash(_("The survey is saved."), "success")
            return redirect(url_for("surveys.templates"))
        error = outcome.error
    language = _chosen(str(get_locale()), LANGUAGES, "en")
    return _form_page("surveys/template_form.html", form, template=template, items=items, language=language, statement=statement, error=error)


@bp.route("/templates/new", methods=["GET", "POST"])
@require("surveys.manage")
def new_template():
    return _template_page(None)


@bp.route("/templates/<int:survey_template_id>/edit", methods=["GET", "POST"])
@require("surveys.manage")
def edit_template(template):
    return _template_page(template)


def _run_form(run: SurveyRun | None) -> RunForm:
    templates = db.session.scalars(sa.select(SurveyTemplate).order_by(SurveyTemplate.name, SurveyTemplate.id)).all()
    programmes = [(programme.id, in_language(programme.title) or f"#{programme.id}") for programme in db.session.scalars(sa.select(Programme).where(Programme.cancelled_at.is_(None)).order_by(Programme.id.desc()).limit(200))]
    rooms = db.session.scalars(sa.select(Room).where(Room.active).order_by(Room.name)).all()
    courses = [(course.id, in_language(course.title) or f"#{course.id}") for course in db.session.scalars(catalogue.published_for_current_tenant().order_by(catalogue.Course.id).limit(200))]
    befores = db.session.scalars(sa.select(SurveyRun).where(SurveyRun.phase == Phase.BEFORE, SurveyRun.id != (run.id if run else -1)).order_by(SurveyRun.created_at.desc()).limit(200)).all()
    return RunForm(templates=templates, programmes=programmes, rooms=rooms, courses=courses, befores=befores)


def _run_input(form: RunForm) -> services.RunInput:
    subject = form.subject.data
    return services.RunInput(
        template_id=form.template_id.data, title=form.title.data or "",
        programme_id=form.programme_id.data if subject == "programme" else None,
        room_id=form.room_id.data if subject == "room" else None,
        course_id=form.course_id.data if subject == "course" else None,
        timing=Timing(form.timing.data) if form.timing.data in set(Timing) else Timing.IMMEDIATE,
        phase=Phase(form.phase.data) if form.phase.data in set(Phase) else Phase.SINGLE,
        before_run_id=form.before_run_id.data, matched=form.matched.data, opens_on=form.opens_on.data, closes_on=form.closes_on.data,
    )


def _run_page(run: SurveyRun | None):
    form = _run_form(run)
    if request.method == "GET" and run is not None:
        form.title.data, form.template_id.data = run.title, run.template_id
        form.subject.data = "programme" if run.programme_id else "room" if run.room_id else "course"
        form.programme_id.data, form.room_id.data, form.course_id.data = run.programme_id, run.room_id, run.course_id
        form.timing.data, form.phase.data, form.before_run_id.data = run.timing.value, run.phase.value, run.before_run_id
        form.matched.data, form.opens_on.data, form.closes_on.data = run.matched, run.opens_on, run.closes_on
    error = None
    if form.validate_on_submit():
        with saving(form) as outcome:
            saved = services.save_run(run, _run_input(form))
        if outcome.saved:
            flash(_("The run is saved."), "success")
            return redirect(url_for("surveys.show_run", survey_run_id=saved.id))
        error = outcome.error
        run = lookups.visible_run(run.id) if run is not None else None
    return _form_page("surveys/run_form.html", form, run=run, error=error)


@bp.route("/runs/new", methods=["GET", "POST"])
@require("surveys.manage")
def new_run():
    return _run_page(None)


@bp.route("/runs/<int:survey_run_id>/edit", methods=["GET", "POST"])
@require("surveys.manage")
def edit_run(run):
    return _run_page(run)


def _subject_name(run: SurveyRun) -> str:
    if run.programme_id:
        programme = db.session.get(Programme, run.programme_id)
        return in_language(programme.title) if programme else ""
    if run.room_id:
        room = db.session.get(Room, run.room_id)
        return room.name if room else ""
    course = db.session.get(catalogue.Course, run.course_id)
    return in_language(course.title) if course else ""


def _qr_code(url: str, scale: int, border: int) -> str:
    import segno  # on the first QR code, not at start (a worker that shows no run never needs it)

    return segno.make(url, error="m").svg_data_uri(scale=scale, border=border)


@bp.route("/runs/<int:survey_run_id>/")
@require("surveys.view")
def show_run(run):
    url = public_url(run)
    return render_template(
        "surveys/run.html", run=run, url=url, qr_code=_qr_code(url, scale=6, border=2),
        subject=_subject_name(run), counts=services.responses_per_channel(run), pairs=services.matched_pairs(run),
        is_open=services.is_open(run, g.tenant.today()), forms=FORMS, languages=LANGUAGES, language_names=LANGUAGE_NAMES,
    )


@bp.route("/runs/<int:survey_run_id>/paper.pdf")
@require("surveys.manage")
def paper_form(run):
    """The printable form in the chosen form and language, carrying the run's code and its QR code."""
    form = _chosen(request.args.get("form"), FORMS, "plain")
    language = _chosen(request.args.get("lang"), LANGUAGES, str(get_locale()) if str(get_locale()) in LANGUAGES else "en")
    url = public_url(run)
    with force_locale(language):
        html = render_template(
            "surveys/paper_pdf.html", run=run, form=form, language=language, statement=statement,
            qr_code=_qr_code(url, scale=4, border=1), url=url,
        )
    headers = {"Content-Disposition": f'attachment; filename="survey-{run.code}-{form}-{language}.pdf"'}
    return Response(file_chunks(pdf_maker().render(html)), mimetype="application/pdf", headers=headers)


@bp.route("/runs/<int:survey_run_id>/enter/<channel>", methods=["GET", "POST"])
@require("surveys.manage")
def enter(run, channel):
    """Typing in one paper form, or one assisted response, at a time; the page comes back empty for the next."""
    if channel not in ENTRY_CHANNELS:
        abort(404)
    items = [entry.item for entry in run.template.items]
    language = _chosen(str(get_locale()), LANGUAGES, "en")
    labels = {item.id: statement(item, "plain", language) for item in items}
    form = entry_form(items, labels)
    if request.method == "GET":
        form.received_on.data = g.tenant.today()
    error = None
    if form.validate_on_submit():
        answers = {item.id: scale_value(form[f"answers_{item.id}"].data) for item in items}
        with saving(form) as outcome:
            services.record_response(run, services.ResponseInput(answers=answers, channel=ENTRY_CHANNELS[channel], match_code=form.match_code.data or "", received_on=form.received_on.data))
        if outcome.saved:
            flash(_("The response is saved. Type in the next one."), "success")
            return redirect(url_for("surveys.enter", survey_run_id=run.id, channel=channel))
        error = outcome.error
        run = lookups.visible_run(run.id)
    return _form_page("surveys/enter.html", form, run=run, items=items, channel=channel, counts=services.responses_per_channel(run), error=error)
