"""Forms of the programmes' staff pages. They check what a field can know alone; the rules (staff of the
library, partner libraries of its projects, the room's bookings, places and the waitlist) are the services'
and `registrations`', for pages and API alike."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.programmes.labels import KIND_LABELS, LANGUAGE_LABELS, LANGUAGES, MARK_LABELS, NEED_LABELS, PLACE_LABELS
from bibnet.tenants.programmes.models import AccessNeed, Place, ProgrammeKind
from bibnet.tenants.programmes.registrations import MAX_COMPANIONS, MAX_GROUP_SIZE, RegistrationRequest
from bibnet.tenants.programmes.services import MAX_CAPACITY, MAX_COUNT, MAX_WEEKS, ProgrammeInput, SessionInput
from bibnet.web.fields import ClockField, LocalDateField, SelectField, WholeNumberField, parse_whole_number


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _id_or_none(value):
    return value if isinstance(value, int) else parse_whole_number(value)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass  # unknown choices are refused by the services, with their own message


class ProgrammeForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()], default=ProgrammeKind.CLUB.value)
    target_groups = MultiCheckboxField(_l("Target groups"), choices=[SelectChoice(group.value, VISITOR_LABELS[group.value]) for group in TargetGroup])
    organiser_id = SelectField(_l("Organiser"), coerce=_id_or_none, validate_choice=False, description=_l("The staff member who runs the programme."))
    capacity = WholeNumberField(_l("Places"), minimum=1, maximum=MAX_CAPACITY, description=_l("Participants and their companions together. Leave it empty for no limit."))
    public = BooleanField(_l("Show on the library's public programme listing"))
    registration_open = BooleanField(_l("Registration is open"), default=True)
    partner_tenant_ids = MultiCheckboxField(_l("Partner libraries involved"), coerce=int, description=_l("Libraries of your projects that organise it with you. Libraries of two countries make it cross-border."))
    organisation_ids = MultiCheckboxField(_l("Co-organising organisations"), coerce=int)

    def __init__(self, *args, staff=(), partners=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser_id.choices = [SelectChoice("", _l("No organiser named"))] + [SelectChoice(user.id, user.name) for user in staff]
        self.partner_tenant_ids.choices = [SelectChoice(tenant.id, tenant.name) for tenant in partners]
        self.organisation_ids.choices = [SelectChoice(organisation.id, organisation.name) for organisation in organisations]

    def text_fields(self, what: str):
        return [self[f"{what}_{language}"] for language in LANGUAGES]

    def fill_from(self, programme) -> None:
        for language in LANGUAGES:
            self[f"title_{language}"].data = programme.title.get(language, "")
            self[f"description_{language}"].data = programme.description.get(language, "")
        self.kind.data = programme.kind.value
        self.target_groups.data = list(programme.target_groups)
        self.organiser_id.data = programme.organiser_id
        self.capacity.data = programme.capacity
        self.public.data, self.registration_open.data = programme.public, programme.registration_open
        self.partner_tenant_ids.data = [partner.partner_tenant_id for partner in programme.partners]
        self.organisation_ids.data = [row.organisation_id for row in programme.co_organisers]

    def programme_input(self) -> ProgrammeInput:
        return ProgrammeInput(
            kind=ProgrammeKind(self.kind.data) if self.kind.data in {kind.value for kind in ProgrammeKind} else ProgrammeKind.CLUB,
            title={language: self[f"title_{language}"].data or "" for language in LANGUAGES},
            description={language: self[f"description_{language}"].data or "" for language in LANGUAGES},
            target_groups=list(self.target_groups.data or []),
            organiser_id=self.organiser_id.data,
            capacity=self.capacity.data,
            public=bool(self.public.data),
            registration_open=bool(self.registration_open.data),
            partner_tenant_ids=list(self.partner_tenant_ids.data or []),
            organisation_ids=list(self.organisation_ids.data or []),
        )


for _language in LANGUAGES:
    setattr(ProgrammeForm, f"title_{_language}", StringField(_l("Title in %(language)s", language=LANGUAGE_LABELS[_language]), filters=[_strip]))
    setattr(ProgrammeForm, f"description_{_language}", TextAreaField(_l("Description in %(language)s", language=LANGUAGE_LABELS[_language]), filters=[_strip], render_kw={"rows": 3}))
del _language


class SessionForm(FlaskForm):
    place = RadioField(_l("Where"), choices=[SelectChoice(place.value, label) for place, label in PLACE_LABELS.items()], default=Place.ROOM.value, validators=[InputRequired(message=_l("Choose where the session takes place."))])
    first_date = LocalDateField(_l("Date of the (first) session"), required_message=_l("Enter the date of the session."))
    start_time = ClockField(_l("Starts at"), required_message=_l("Enter when the session starts."))
    end_time = ClockField(_l("Ends at"), required_message=_l("Enter when the session ends."))
    weeks = WholeNumberField(_l("Number of weekly sessions"), minimum=1, maximum=MAX_WEEKS, default=1, description=_l("1 for a single session; more for a series on the same weekday each week."))
    room_id = SelectField(_l("Room"), coerce=_id_or_none, validate_choice=False, description=_l("Booked through the room's calendar: its opening hours and other bookings apply."))
    address = StringField(_l("Address"), filters=[_strip])
    organisation_id = SelectField(_l("Care home or organisation"), coerce=_id_or_none, validate_choice=False)
    online_url = StringField(_l("Link to the online meeting"), filters=[_strip])

    def __init__(self, *args, rooms=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room_id.choices = [SelectChoice("", _l("Choose a room"))] + [SelectChoice(room.id, f"{room.name} ({room.library})") for room in rooms]
        self.organisation_id.choices = [SelectChoice("", _l("Choose an organisation"))] + [SelectChoice(organisation.id, organisation.name) for organisation in organisations]

    def session_input(self) -> SessionInput:
        return SessionInput(
            place=Place(self.place.data), first_date=self.first_date.data, start_time=self.start_time.data, end_time=self.end_time.data,
            weeks=self.weeks.data or 1, room_id=self.room_id.data, address=self.address.data or "", organisation_id=self.organisation_id.data,
            online_url=self.online_url.data or "",
        )


class RegistrationForm(FlaskForm):
    is_group = RadioField(_l("Who registers"), choices=[SelectChoice("person", _l("A person")), SelectChoice("group", _l("A group, counted"))], default="person")
    name = StringField(_l("Name"), filters=[_strip], description=_l("A person's name, or the group's (for example the care home)."))
    phone = StringField(_l("Phone"), filters=[_strip], render_kw={"autocomplete": "off", "inputmode": "tel"})
    email = StringField(_l("E-mail"), filters=[_strip], render_kw={"autocomplete": "off", "inputmode": "email"})
    group_size = WholeNumberField(_l("People in the group"), minimum=1, maximum=MAX_GROUP_SIZE, default=1, description=_l("1 for a person."))
    companions = WholeNumberField(_l("Companions"), minimum=0, maximum=MAX_COMPANIONS, default=0, description=_l("Companions or assistants who come along; each takes a place."))
    needs = MultiCheckboxField(_l("Access needs"), choices=[SelectChoice(need.value, label) for need, label in NEED_LABELS.items()], description=_l("Counted for the programme's logistics only; never stored with the registration."))
    locale = SelectField(_l("Language of reminders"), choices=[SelectChoice(language, label) for language, label in LANGUAGE_LABELS.items()])
    referred_by_id = SelectField(_l("Referred by"), coerce=_id_or_none, validate_choice=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.referred_by_id.choices = [SelectChoice("", _l("Nobody"))] + [SelectChoice(organisation.id, organisation.name) for organisation in organisations]

    def registration_request(self) -> RegistrationRequest:
        return RegistrationRequest(
            name=self.name.data or "", phone=self.phone.data or "", email=self.email.data or "", is_group=self.is_group.data == "group",
            group_size=self.group_size.data or 1, companions=self.companions.data or 0,
            needs=frozenset(AccessNeed(need) for need in self.needs.data or [] if need in {n.value for n in AccessNeed}),
            locale=self.locale.data if self.locale.data in LANGUAGES else "lv", referred_by_id=self.referred_by_id.data,
        )


def roster_form_class(registrations):
    """The roster's form for these registrations: a mark each (and how many came, for a group), and the
    people who came per target group. Built per request: the fields are the roster's rows."""

    class RosterForm(FlaskForm):
        pass

    for registration in registrations:
        setattr(RosterForm, f"mark_{registration.id}", RadioField(
            registration.name or _l("Group"), choices=[SelectChoice(mark.value, label) for mark, label in MARK_LABELS.items()], validate_choice=False,
        ))
        if registration.is_group:
            setattr(RosterForm, f"present_{registration.id}", WholeNumberField(_l("How many of the group came"), minimum=0, maximum=registration.group_size))
    for group in TargetGroup:
        setattr(RosterForm, f"attended_{group.value}", WholeNumberField(VISITOR_LABELS[group.value], minimum=0, maximum=MAX_COUNT))
    return RosterForm

