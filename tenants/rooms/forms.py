"""Forms of the room pages: the room's settings, its week of opening hours, its photo, and closures.

Limits, the unique-name check and the week check come from `schemas.py`, shared with the API.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from bibnet.tenants.rooms.models import RoomFeature
from bibnet.tenants.rooms.schemas import (
    DESCRIPTION_LENGTH,
    INTERVALS_PER_DAY,
    LIBRARY_LENGTH,
    NAME_LENGTH,
    NAME_TAKEN,
    RANGES,
    REASON_LENGTH,
    name_taken,
    week_problems,
)
from bibnet.web.fields import ClockField, LocalDateField, SelectField, WholeNumberField

FEATURE_LABELS = {
    RoomFeature.BUBBLE_TUBE: _l("Bubble tube"),
    RoomFeature.FIBRE_OPTICS: _l("Fibre optic lights"),
    RoomFeature.PROJECTOR: _l("Projector"),
    RoomFeature.ADJUSTABLE_LIGHTING: _l("Adjustable lighting"),
    RoomFeature.SOUND_SYSTEM: _l("Sound system"),
    RoomFeature.TACTILE_PANELS: _l("Tactile panels"),
    RoomFeature.WEIGHTED_BLANKETS: _l("Weighted blankets"),
    RoomFeature.SOFT_FURNISHINGS: _l("Soft furnishings"),
    RoomFeature.QUIET_ZONE: _l("Quiet zone"),
    RoomFeature.STEP_FREE_ACCESS: _l("Step-free access"),
    RoomFeature.WHEELCHAIR_SPACE: _l("Space for a wheelchair"),
    RoomFeature.HEARING_LOOP: _l("Hearing loop"),
    RoomFeature.ACCESSIBLE_TOILET: _l("Accessible toilet nearby"),
    RoomFeature.HOIST: _l("Hoist"),
}
PHOTO_MAX_MB = 5
ROOM_FIELDS = (
    "library", "name", "capacity", "description", "features",
    "buffer_minutes", "min_notice_hours", "max_advance_days", "max_duration_minutes", "needs_approval", "active",
)  # fmt: skip


def feature_labels(features) -> list[str]:
    """The translated names of a room's features, in the order of the form."""
    chosen = {RoomFeature(value) for value in features or () if value in RoomFeature._value2member_map_}
    return [str(label) for feature, label in FEATURE_LABELS.items() if feature in chosen]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _setting(name: str, label, description, default):
    low, high = RANGES[name]
    return WholeNumberField(
        label,
        validators=[InputRequired(message=_l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high))],
        minimum=low,
        maximum=high,
        description=description,
        default=default,
    )


class CheckboxGroupField(SelectMultipleField):
    """Several choices as checkboxes; templates put them in a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoomForm(FlaskForm):
    library = StringField(
        _l("Library"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the library the room is in.")), Length(max=LIBRARY_LENGTH, message=_l("Use at most %(max)d characters.", max=LIBRARY_LENGTH))],
        description=_l("The library or branch where the room is, for example “Central library, 2nd floor”."),
    )
    name = StringField(
        _l("Name of the room"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the room's name.")), Length(max=NAME_LENGTH, message=_l("Use at most %(max)d characters.", max=NAME_LENGTH))],
    )
    capacity = _setting("capacity", _l("Capacity"), _l("How many people the room holds, carers included."), None)
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Length(max=DESCRIPTION_LENGTH, message=_l("Use at most %(max)d characters.", max=DESCRIPTION_LENGTH))],
        description=_l("What visitors can expect: the room, where the key is, what to bring."),
        render_kw={"rows": 5},
    )
    features = CheckboxGroupField(_l("Sensory and accessibility features"), choices=[SelectChoice(feature.value, label) for feature, label in FEATURE_LABELS.items()])
    buffer_minutes = _setting("buffer_minutes", _l("Cleaning time after each session (minutes)"), _l("The room stays free this long after every session, to wipe and reset it."), 15)
    min_notice_hours = _setting("min_notice_hours", _l("Minimum notice (hours)"), _l("How long before the start a booking must be made. 0 allows bookings at short notice."), 0)
    max_advance_days = _setting("max_advance_days", _l("Booking window (days ahead)"), _l("How far ahead bookings may be made, at most 366 days."), 90)
    max_duration_minutes = _setting("max_duration_minutes", _l("Longest session (minutes)"), None, 180)
    needs_approval = BooleanField(_l("Bookings need a coordinator's approval"), description=_l("Staff bookings stay requests until a coordinator approves them."))
    active = BooleanField(_l("The room can be booked"), default=True, description=_l("Turn this off while the room is out of use for a long time."))

    def __init__(self, *args, room_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.room_id = room_id

    def validate_name(self, field):
        if field.data and name_taken(field.data, self.room_id):
            raise ValidationError(NAME_TAKEN)

    def apply_to(self, room) -> None:
        for name in ROOM_FIELDS:
            setattr(room, name, getattr(self, name).data)
        room.description = room.description or ""


class HoursForm(FlaskForm):
    """Up to two opening intervals for each weekday; a weekday left empty is closed.

    The fields are named day<weekday>_opens<n> and day<weekday>_closes<n>, weekday 0 = Monday.
    """

    def interval_fields(self, weekday: int) -> list[tuple]:
        return [(self[f"day{weekday}_opens{n}"], self[f"day{weekday}_closes{n}"]) for n in range(INTERVALS_PER_DAY)]

    def fill(self, opening_hours) -> None:
        by_day: dict[int, list] = {}
        for interval in opening_hours:
            by_day.setdefault(interval.weekday, []).append(interval)
        for weekday, intervals in by_day.items():
            for (opens, closes), interval in zip(self.interval_fields(weekday), intervals, strict=False):
                opens.data, closes.data = interval.opens, interval.closes

    def week(self) -> list[tuple]:
        """The intervals typed in, as (weekday, opens, closes)."""
        return [
            (weekday, opens.data, closes.data)
            for weekday in range(7)
            for opens, closes in self.interval_fields(weekday)
            if opens.data is not None and closes.data is not None
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        complete = []
        for weekday in range(7):
            for opens, closes in self.interval_fields(weekday):
                if opens.errors or closes.errors:
                    continue
                if (opens.data is None) != (closes.data is None):
                    empty = opens if opens.data is None else closes
                    empty.errors.append(_l("Enter both the opening and the closing time, or leave both empty."))
                    valid = False
                elif opens.data is not None:
                    complete.append((weekday, opens.data, closes.data, closes))
        for index, message in week_problems([interval[:3] for interval in complete]).items():
            complete[index][3].errors.append(message)
            valid = False
        return valid


def _add_interval_fields(form_class) -> None:
    """Seven weekdays of two intervals; the weekday's name is the legend of its fieldset, so labels stay short."""
    labels = [(_l("Opens"), _l("Closes")), (_l("Opens again"), _l("Closes again"))]
    for weekday in range(7):
        for n, (opens_label, closes_label) in enumerate(labels):
            setattr(form_class, f"day{weekday}_opens{n}", ClockField(opens_label))
            setattr(form_class, f"day{weekday}_closes{n}", ClockField(closes_label))


_add_interval_fields(HoursForm)


class PhotoForm(FlaskForm):
    photo = FileField(
        _l("Photo of the room"),
        validators=[FileRequired(message=_l("Choose a photo to upload."))],
        description=_l("A JPEG, PNG or WebP image of at most %(size)d MB.", size=PHOTO_MAX_MB),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


class ClosureForm(FlaskForm):
    room = SelectField(_l("Room"), choices=[], validate_choice=True)
    starts_on = LocalDateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day of the closure."))])
    ends_on = LocalDateField(_l("Last day"), validators=[InputRequired(message=_l("Enter the last day of the closure."))])
    reason = StringField(
        _l("Reason"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the reason, for example “Public holiday”.")), Length(max=REASON_LENGTH, message=_l("Use at most %(max)d characters.", max=REASON_LENGTH))],
        description=_l("Shown to everyone who books, for example “Public holiday” or “Maintenance”."),
    )

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room.choices = [SelectChoice("", _l("Every room of the library"))] + [SelectChoice(str(room.id), room.name) for room in rooms]

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must be on or after the first day."))

    @property
    def room_id(self) -> int | None:
        return int(self.room.data) if self.room.data else None
