"""Forms of the partners' register. They check what a field can know alone; the rules (a unique name, expiry not
before signing, a document of an accepted type) are the services', for pages and API alike."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from bibnet.tenants.organisations.labels import KIND_LABELS
from bibnet.tenants.organisations.models import OrganisationKind
from bibnet.tenants.organisations.services import AgreementInput, OrganisationInput
from bibnet.web.fields import LocalDateField, SelectField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()], default=OrganisationKind.SOCIAL_SERVICES.value)
    address = StringField(_l("Address"), filters=[_strip])
    contact_person = StringField(_l("Contact person"), filters=[_strip], description=_l("Someone who acts for the organisation, not a person the library serves."))
    phone = StringField(_l("Phone"), filters=[_strip])
    email = StringField(_l("E-mail"), filters=[_strip])
    notes = TextAreaField(_l("Notes"), filters=[_strip], description=_l("About the organisation and the cooperation; never about the people it refers."))

    def organisation_input(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.data or "", kind=OrganisationKind(self.kind.data), address=self.address.data or "",
            contact_person=self.contact_person.data or "", phone=self.phone.data or "", email=self.email.data or "", notes=self.notes.data or "",
        )


class AgreementForm(FlaskForm):
    parties = StringField(_l("Parties"), filters=[_strip], description=_l("The institutions that signed, for example: Jelgava library and the social services."))
    signed_on = LocalDateField(_l("Signed on"), required_message=_l("Enter the day the agreement was signed."))
    expires_on = LocalDateField(_l("Expires on (optional)"), description=_l("Leave it empty when the agreement has no end date."))
    scope = TextAreaField(_l("Scope"), filters=[_strip], description=_l("What the parties do together: referrals, joint programmes, home deliveries."))
    document = FileField(_l("The signed document (PDF, JPEG or PNG, optional)"))

    def agreement_input(self) -> AgreementInput:
        return AgreementInput(parties=self.parties.data or "", signed_on=self.signed_on.data, expires_on=self.expires_on.data, scope=self.scope.data or "")
