"""Forms of the label pages: which items (a filter, or chosen ids), which sheet and where on it to start; the
library's public contact."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from bibnet.tenants.inventory.label_printing.sheets import GEOMETRIES
from bibnet.web.fields import SelectField


class LabelsForm(FlaskForm):
    """Sent by GET (a PDF download changes nothing), so without a CSRF token."""

    class Meta:
        csrf = False

    geometry = SelectField(_l("Label sheet"), choices=[SelectChoice(key, geometry.label) for key, geometry in GEOMETRIES.items()], default="L7163")
    start = IntegerField(_l("Start at label number"), default=1, validators=[InputRequired(), NumberRange(min=1, max=21)],
                         description=_l("Counted from the top left, row by row: to use up a partly used sheet, give the first free label."))
    location_id = SelectField(_l("Location"), coerce=int, default=0, description=_l("With the locations under it."))
    category_id = SelectField(_l("Category"), coerce=int, default=0)
    status = SelectField(_l("Status"), default="")


class ContactForm(FlaskForm):
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=200)])
    hours = StringField(_l("When to call"), validators=[Optional(), Length(max=200)], description=_l("For example: Monday to Friday, 9:00–17:00."))
