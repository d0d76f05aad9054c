"""Forms of the register's pages. They check what a field can know alone; the rules of an item, a category or a
location are checked by the services, for pages and API alike."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.tenants.inventory.categories import ATTRIBUTE_KINDS, label_of
from bibnet.tenants.inventory.labels import CONDITION_LABELS, KIND_LABELS, STATUS_LABELS
from bibnet.tenants.inventory.locations import KIND_LABELS as LOCATION_KIND_LABELS
from bibnet.tenants.inventory.models import Condition, ItemKind, LocationKind
from bibnet.tenants.inventory.services import MANUAL_STATUSES, ItemInput
from bibnet.web.fields import AmountField, LocalDateField, SelectField, WholeNumberField, parse_whole_number

FILE_MAX_MB = 10
EMPTY_ATTRIBUTE_ROWS = 3
MAX_ROWS_SENT = 50  # more than a category may have (20), so that the service names the limit


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _id_or_none(text) -> int | None:
    return parse_whole_number(str(text)) if text else None


class ItemForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[InputRequired(message=_l("Enter the item's name."))])
    category_id = SelectField(_l("Category"), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()], description=_l("A kit is lent as one; add its parts on its page."))
    quantity = WholeNumberField(_l("Quantity"), minimum=0, maximum=100_000, description=_l("Only for items counted in stock: how many there are."), default=1)
    serial = StringField(_l("Serial number"), filters=[_strip])
    manufacturer = StringField(_l("Manufacturer"), filters=[_strip])
    model = StringField(_l("Model"), filters=[_strip])
    supplier = StringField(_l("Supplier"), filters=[_strip])
    purchase_date = LocalDateField(_l("Purchase date"))
    cost = AmountField(_l("Cost"), description=_l("In euro, VAT included as invoiced; for items counted in stock, all of them together."))
    location_id = SelectField(_l("Location"), validate_choice=False)
    condition = SelectField(_l("Condition"), choices=[SelectChoice(condition.value, label) for condition, label in CONDITION_LABELS.items()], default=Condition.GOOD.value)
    notes = TextAreaField(_l("Notes"), filters=[_strip], render_kw={"rows": 3})
    public_note = TextAreaField(_l("Note for users"), filters=[_strip], description=_l("How to use it and whom to call; shown to anyone who scans its label."), render_kw={"rows": 2})

    def __init__(self, *args, categories=(), tree=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_id.choices = [SelectChoice("", _l("Choose a category"))] + [SelectChoice(str(category.id), label_of(category)) for category in categories]
        self.location_id.choices = [SelectChoice("", _l("No location"))] + [SelectChoice(str(placed.location.id), placed.path) for placed in (tree.placed() if tree else ())]

    def to_input(self, attributes: dict) -> ItemInput:
        return ItemInput(
            name=self.name.data or "", category_id=_id_or_none(self.category_id.data), kind=ItemKind(self.kind.data),
            quantity=self.quantity.data, serial=self.serial.data or "", manufacturer=self.manufacturer.data or "", model=self.model.data or "",
            supplier=self.supplier.data or "", purchase_date=self.purchase_date.data, cost=self.cost.data,
            location_id=_id_or_none(self.location_id.data), condition=Condition(self.condition.data), notes=self.notes.data or "",
            public_note=self.public_note.data or "", attributes=attributes,
        )

    def fill(self, item) -> None:
        for name in ("name", "quantity", "serial", "manufacturer", "model", "supplier", "purchase_date", "cost", "notes", "public_note"):
            getattr(self, name).data = getattr(item, name)
        self.kind.data, self.condition.data = item.kind.value, item.condition.value
        self.category_id.data = str(item.category_id)
        self.location_id.data = str(item.location_id) if item.location_id else ""


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[SelectChoice(status.value, STATUS_LABELS[status]) for status in MANUAL_STATUSES])


class PartForm(FlaskForm):
    part = StringField(_l("Tag of the part"), filters=[_strip], validators=[InputRequired(message=_l("Enter the tag of the item to add."))], description=_l("For example BN-00012."))


class DocumentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file to upload."))], description=_l("A PDF or an image of at most %(size)d MB.", size=FILE_MAX_MB))
    title = StringField(_l("Title"), filters=[_strip], description=_l("For example “Manual” or “Warranty”."))


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo"), validators=[FileRequired(message=_l("Choose a photo to upload."))], description=_l("A JPEG, PNG or WebP image of at most %(size)d MB.", size=FILE_MAX_MB), render_kw={"accept": "image/jpeg,image/png,image/webp"})


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip])
    active = BooleanField(_l("Offered for new items"), default=True)

    def attribute_rows(self, sent=None, stored=()) -> list[dict]:
        """The rows of the attribute editor: those sent (`attribute_rows` of them), or the stored ones and a
        few empty ones to fill in."""
        if sent is None:
            return [dict(row) for row in stored] + [{"key": "", "label": "", "kind": "text"} for _ in range(EMPTY_ATTRIBUTE_ROWS)]
        count = min(int(sent["attribute_rows"]), MAX_ROWS_SENT) if parse_whole_number(sent.get("attribute_rows")) is not None else 0
        return [{name: sent.get(f"attribute_fields_{index}_{name}", "") for name in ("key", "label", "kind")} for index in range(count)]


class LocationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[InputRequired(message=_l("Enter the location's name."))])
    kind = SelectField(_l("Kind of place"), choices=[SelectChoice(kind.value, label) for kind, label in LOCATION_KIND_LABELS.items()], default=LocationKind.OTHER.value)
    parent_id = SelectField(_l("Inside"), validate_choice=False)
    room_id = SelectField(_l("Sensory room"), validate_choice=False, description=_l("A room of the bookings: its page lists the equipment kept here."))
    active = BooleanField(_l("In use"), default=True)

    def __init__(self, *args, tree=None, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [SelectChoice("", _l("Nothing: a branch of its own"))] + [SelectChoice(str(placed.location.id), placed.path) for placed in (tree.placed() if tree else ())]
        self.room_id.choices = [SelectChoice("", _l("No room"))] + [SelectChoice(str(room.id), room.name) for room in rooms]


ATTRIBUTE_KIND_CHOICES = [SelectChoice(kind, label) for kind, label in ATTRIBUTE_KINDS.items()]
