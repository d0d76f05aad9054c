"""Pages of the rooms: list, the room's page, and the coordinator's room settings, hours and closures."""
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.storage.uploads import IMAGES, UploadRefused, store_upload
from bibnet.tenants.rooms import lookups  # noqa: F401  (the URL's room or closure)
from bibnet.tenants.rooms.changes import MESSAGE_LENGTH, ScheduleChange, SessionsAffected, affected_sessions, clear_the_way
from bibnet.tenants.rooms.forms import PHOTO_MAX_MB, ClosureForm, HoursForm, PhotoForm, RoomForm, feature_labels
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room, new_calendar_token
from bibnet.tenants.rooms.schemas import DEFAULT_WEEK, NAME_TAKEN, calendar_url
from bibnet.web import menu
from bibnet.web.forms import show_refusal
from bibnet.web.pagination import paginate

bp = Blueprint("rooms", __name__, url_prefix="/t/<tenant_slug>/rooms", template_folder="templates")
menu.register(_l("Rooms"), "rooms.index", "tenant.view")

UPCOMING_CLOSURES_SHOWN = 10


def _today():
    return datetime.now(ZoneInfo(g.tenant.timezone)).date()


def _weekday_names() -> dict[int, str]:
    """0 = Monday … 6 = Sunday, in the user's language."""
    return dict(get_day_names("wide", locale=get_locale()))


def _form_page(template: str, form, **context):
    """The page with its form; 422 when the form has errors, so that the refusal is visible to machines too."""
    return render_template(template, form=form, **context), 422 if form.errors else 200


def _room_choices():
    return db.session.scalars(sa.select(Room).order_by(Room.name)).all()


@bp.app_template_global()
def room_features(room) -> list[str]:
    return feature_labels(room.features)


@bp.route("/")
@require("tenant.view")
def index():
    page = paginate(sa.select(Room).order_by(Room.library, Room.name, Room.id))
    return render_template("rooms/index.html", page=page, can_manage=allowed("rooms.manage"))


@bp.route("/<int:room_id>/")
@require("tenant.view")
def show(room):
    closures = db.session.scalars(
        sa.select(Closure)
        .where(sa.or_(Closure.room_id.is_(None), Closure.room_id == room.id), Closure.ends_on >= _today())
        .order_by(Closure.starts_on, Closure.id)
        .limit(UPCOMING_CLOSURES_SHOWN)
    ).all()
    hours: dict[int, list[OpeningHours]] = {weekday: [] for weekday in range(7)}
    for interval in room.opening_hours:
        hours[interval.weekday].append(interval)
    return render_template(
        "rooms/show.html",
        room=room,
        closures=closures,
        hours=hours,
        weekday_names=_weekday_names(),
        calendar_url=calendar_url(room),
        can_manage=allowed("rooms.manage"),
    )


def _save_room(form: RoomForm, room: Room, template: str, message: str):
    form.apply_to(room)
    try:
        db.session.commit()
    except IntegrityError:  # another coordinator took the name between the check and the commit
        show_refusal(form, Refused({"name": [NAME_TAKEN]}))
        return _form_page(template, form, room=room if room.id else None)
    flash(message, "success")
    return redirect(url_for("rooms.show", room_id=room.id))


@bp.route("/new", methods=["GET", "POST"])
@require("rooms.manage")
def new():
    form = RoomForm()
    if form.validate_on_submit():
        room = Room(opening_hours=[OpeningHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in DEFAULT_WEEK])
        db.session.add(room)
        return _save_room(form, room, "rooms/form.html", _("The room is added. It opens Monday to Friday, 09:00–17:00, until you change its hours."))
    return _form_page("rooms/form.html", form, room=None)


@bp.route("/<int:room_id>/edit", methods=["GET", "POST"])
@require("rooms.manage")
def edit(room):
    form = RoomForm(obj=room, room_id=room.id) if request.method == "GET" else RoomForm(room_id=room.id)
    if form.validate_on_submit():
        return _save_room(form, room, "rooms/form.html", _("The changes to the room are saved."))
    return _form_page("rooms/form.html", form, room=room)


@bp.route("/<int:room_id>/hours", methods=["GET", "POST"])
@require("rooms.manage")
def hours(room):
    form = HoursForm()
    if request.method == "GET":
        form.fill(room.opening_hours)
    elif form.validate_on_submit():
        week = form.week()
        cleared = _clear_the_way(ScheduleChange(room.id, week=tuple(week)), url_for("rooms.show", room_id=room.id))
        if not isinstance(cleared, list):
            return cleared
        room.opening_hours = [OpeningHours(weekday=day, opens=opens, closes=closes) for day, opens, closes in week]
        db.session.commit()
        flash(_saved_message(_("The opening hours of %(room)s are saved.", room=room.name), cleared), "success")
        return redirect(url_for("rooms.show", room_id=room.id))
    return _form_page("rooms/hours.html", form, room=room, weekday_names=_weekday_names())


# Fields of the confirmation step, next to the change's own fields which it sends again unchanged.
CONFIRMATION_FIELDS = ("csrf_token", "cancel_affected_sessions", "cancellation_message", "seen_sessions")


def _clear_the_way(change: ScheduleChange, back: str):
    """Before a closure or new hours is saved: the sessions it would close, on a confirmation step.

    Returns the sessions cancelled (the caller then saves the change and commits both together), or the
    confirmation page: the first time, when the coordinator did not confirm, or when something is missing.
    """
    confirmed = request.form.get("cancel_affected_sessions") == "yes"
    seen = [int(part) for part in request.form.get("seen_sessions", "").split(",") if part.isdigit()]
    message = request.form.get("cancellation_message", "")
    try:
        return clear_the_way(change, cancel=confirmed, message=message, seen=seen, by=current_user)
    except SessionsAffected as affected:
        sessions, errors = affected.sessions, {}
    except Refused as refused:  # confirmed, but without a message to the organisers
        sessions, errors = affected_sessions(change), refused.errors
    db.session.rollback()  # release the rooms' locks while the coordinator decides
    repeated = [(name, value) for name, values in request.form.lists() if name not in CONFIRMATION_FIELDS for value in values]
    status = 422 if errors else 409
    return render_template(
        "rooms/affected.html", sessions=sessions, repeated=repeated, message=message, errors=errors,
        message_length=MESSAGE_LENGTH, back=back, newly_booked=confirmed and not errors,
    ), status


def _saved_message(saved: str, cancelled: list) -> str:
    if not cancelled:
        return saved
    told = ngettext(
        "%(num)d session was cancelled and its organiser was told.",
        "%(num)d sessions were cancelled and their organisers were told.",
        len(cancelled),
    )
    return f"{saved} {told}"


@bp.route("/<int:room_id>/photo", methods=["GET", "POST"])
@require("rooms.manage")
def photo(room):
    form = PhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        data = upload.read()
        try:
            stored = store_upload(data, upload.filename, "rooms", IMAGES, PHOTO_MAX_MB * 1024 * 1024, uploaded_by=current_user)
        except UploadRefused as refused:
            show_refusal(form, refused, rename={"file": "photo"})
        else:
            old = room.photo
            room.photo = stored
            if old is not None:
                db.session.delete(old)
            db.session.commit()
            if old is not None:
                _delete_file_quietly(old.key)
            flash(_("The photo of %(room)s is saved.", room=room.name), "success")
            return redirect(url_for("rooms.show", room_id=room.id))
    return _form_page("rooms/photo.html", form, room=room)


def _delete_file_quietly(key: str) -> None:
    """The record is gone already; a file left behind in the storage is harmless, so a failure is only logged."""
    try:
        get_storage().delete(key)
    except Exception:  # any backend error
        current_app.logger.exception("could not delete the replaced room photo %s", key)


@bp.route("/<int:room_id>/calendar-link", methods=["POST"])
@require("rooms.manage")
def regenerate_calendar_link(room):
    room.calendar_token = new_calendar_token()
    db.session.commit()
    flash(_("The calendar link of %(room)s is new. The old link no longer works; subscribers need the new one.", room=room.name), "success")
    return redirect(url_for("rooms.show", room_id=room.id) + "#calendar")


def _closures_page(form: ClosureForm | None, status: int = 200):
    past = request.args.get("show") == "past"
    today = _today()
    query = sa.select(Closure).options(joinedload(Closure.room))
    if past:
        query = query.where(Closure.ends_on < today).order_by(Closure.starts_on.desc(), Closure.id.desc())
    else:
        query = query.where(Closure.ends_on >= today).order_by(Closure.starts_on, Closure.id)
    page = paginate(query)
    return render_template("rooms/closures.html", page=page, form=form, past=past), status


@bp.route("/closures/", methods=["GET"])
@require("tenant.view")
def closures():
    return _closures_page(ClosureForm(rooms=_room_choices()) if allowed("rooms.manage") else None)


@bp.route("/closures/", methods=["POST"])
@require("rooms.manage")
def add_closure():
    form = ClosureForm(rooms=_room_choices())
    if not form.validate_on_submit():
        return _closures_page(form, 422)
    change = ScheduleChange(form.room_id, closed_from=form.starts_on.data, closed_until=form.ends_on.data)
    cleared = _clear_the_way(change, url_for("rooms.closures"))
    if not isinstance(cleared, list):
        return cleared
    db.session.add(Closure(room_id=form.room_id, starts_on=form.starts_on.data, ends_on=form.ends_on.data, reason=form.reason.data))
    db.session.commit()
    flash(_saved_message(_("The closure is added. Nobody can book on these days."), cleared), "success")
    return redirect(url_for("rooms.closures"))


@bp.route("/closures/<int:closure_id>/delete", methods=["POST"])
@require("rooms.manage")
def delete_closure(closure):
    db.session.delete(closure)
    db.session.commit()
    flash(_("The closure is deleted. The days can be booked again."), "success")
    return redirect(url_for("rooms.closures"))
