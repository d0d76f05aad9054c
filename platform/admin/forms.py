"""Forms of the admin pages. They only collect the input: the services judge it (`Refused`), so that the
pages and the `bibnet` command refuse the same input with the same messages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from bibnet.tenancy.models import Country
from bibnet.web.fields import LocalDateField, SelectField
from bibnet.web.i18n import LANGUAGE_NAMES

COUNTRY_NAMES = {Country.LV: _l("Latvia"), Country.LT: _l("Lithuania")}


def _language_choices():
    return [SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGE_NAMES.items()]


class TenantForm(FlaskForm):
    slug = StringField(
        _l("URL name"),
        description=_l("Lowercase letters, digits and hyphens, like jelgava. It cannot be changed later."),
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    name = StringField(_l("Name"), render_kw={"autocomplete": "off"})
    country = SelectField(_l("Country"), choices=[SelectChoice(country.value, label) for country, label in COUNTRY_NAMES.items()], validate_choice=False)
    default_locale = SelectField(_l("Default language"), choices=_language_choices(), validate_choice=False)
    timezone = StringField(
        _l("Time zone"),
        description=_l("A name from the time zone database, like Europe/Riga or Europe/Vilnius."),
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )


class TenantEditForm(TenantForm):
    slug = None  # the slug stays: it is in every link to the tenant's pages


class UserForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"autocomplete": "off"})
    email = EmailField(_l("E-mail address"), render_kw={"autocomplete": "off", "spellcheck": "false"})
    locale = SelectField(_l("Language"), choices=_language_choices(), validate_choice=False)
    is_admin = BooleanField(_l("Platform administrator"), description=_l("Creates tenants and users, and sees every tenant."))


class ProjectForm(FlaskForm):
    programme = StringField(_l("Programme"), description=_l("Like Interreg VI-A Latvia–Lithuania."))
    acronym = StringField(_l("Acronym"), render_kw={"spellcheck": "false", "autocomplete": "off"})
    title = StringField(_l("Title"), render_kw={"autocomplete": "off"})
    starts_on = LocalDateField(_l("First day"))
    ends_on = LocalDateField(_l("Last day"))
    final_payment_on = LocalDateField(
        _l("Final payment received on"),
        validators=[Optional()],
        description=_l("The day the programme paid the project's final payment; leave it empty until then. Equipment durability counts from it."),
    )
    durability_years = IntegerField(
        _l("Durability period in years"),
        validators=[Optional()],
        default=5,
        description=_l("How long funded equipment must stay owned and in use after the final payment (usually 5)."),
        render_kw={"inputmode": "numeric"},
    )


class PartnerForm(FlaskForm):
    tenant = SelectField(_l("Tenant"), coerce=int, validate_choice=False)
    number = IntegerField(_l("Partner number"), validators=[Optional()], render_kw={"inputmode": "numeric"})
    lead = BooleanField(_l("Lead partner"), description=_l("A project has one lead partner (LP); the others are project partners (PP)."))


class LeadForm(FlaskForm):
    email = EmailField(_l("E-mail address of the project lead"), render_kw={"autocomplete": "off", "spellcheck": "false"})
