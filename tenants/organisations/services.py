"""The only code that registers organisations and their cooperation agreements; pages and API call it. Services
check everything first and raise `Refused` with field errors, so nothing is written; they never commit."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Tenant
from bibnet.tenants.organisations.models import PARTIES_LENGTH, SCOPE_LENGTH, Agreement, Organisation, OrganisationKind

NAME_LENGTH, ADDRESS_LENGTH, PERSON_LENGTH, PHONE_LENGTH, EMAIL_LENGTH, NOTES_LENGTH = 200, 300, 200, 40, 254, 2000
AGREEMENT_AREA = "organisations.agreement"  # the storage area of the signed documents (guarded in init_app)


@dataclass
class OrganisationInput:
    name: str
    kind: OrganisationKind
    address: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""


@dataclass
class AgreementInput:
    parties: str
    signed_on: date
    expires_on: date | None = None
    scope: str = ""


def library_today() -> date:
    """The library's day (its time zone), whether a request or a job runs this."""
    return db.session.get(Tenant, current_tenant_id()).today()


def _lengths(errors: dict, values: dict[str, str], limits: dict[str, int]) -> None:
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = [_l("Use at most %(max)d characters.", max=limit)]


def _checked_organisation(data: OrganisationInput, organisation_id: int | None) -> dict:
    values = {name: getattr(data, name).strip() for name in ("name", "address", "contact_person", "phone", "email", "notes")}
    errors: dict[str, list] = {}
    if not values["name"]:
        errors["name"] = [_l("Enter the organisation's name.")]
    _lengths(errors, values, {"name": NAME_LENGTH, "address": ADDRESS_LENGTH, "contact_person": PERSON_LENGTH, "phone": PHONE_LENGTH, "email": EMAIL_LENGTH, "notes": NOTES_LENGTH})
    if values["email"] and ("@" not in values["email"] or " " in values["email"]):
        errors["email"] = [_l("Enter an e-mail address like name@example.lv.")]
    if "name" not in errors:
        same = sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == values["name"].lower())
        if organisation_id is not None:
            same = same.where(Organisation.id != organisation_id)
        if db.session.scalar(same.limit(1)) is not None:
            errors["name"] = [_l("Your library has an organisation of this name already.")]
    if errors:
        raise Refused(errors)
    return values | {"kind": OrganisationKind(data.kind)}


def add_organisation(data: OrganisationInput) -> Organisation:
    organisation = Organisation(**_checked_organisation(data, None))
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, data: OrganisationInput) -> Organisation:
    for name, value in _checked_organisation(data, organisation.id).items():
        setattr(organisation, name, value)
    db.session.flush()
    return organisation


def set_active(organisation: Organisation, active: bool) -> Organisation:
    """Deactivate (no longer worked with: left out of choices, its contact person erased after the retention
    period) or activate again. Its agreements, referrals and programmes stay in the history."""
    if organisation.active != active:
        organisation.active = active
        organisation.deactivated_at = None if active else utcnow()
        db.session.flush()
    return organisation


def _checked_agreement(data: AgreementInput) -> dict:
    values = {"parties": data.parties.strip(), "scope": data.scope.strip(), "signed_on": data.signed_on, "expires_on": data.expires_on}
    errors: dict[str, list] = {}
    if not values["parties"]:
        errors["parties"] = [_l("Name the parties of the agreement.")]
    _lengths(errors, values, {"parties": PARTIES_LENGTH, "scope": SCOPE_LENGTH})
    if data.signed_on is None:
        errors["signed_on"] = [_l("Enter the day the agreement was signed.")]
    elif data.signed_on > library_today():
        errors["signed_on"] = [_l("An agreement is recorded once it is signed: the day cannot be in the future.")]
    if data.signed_on is not None and data.expires_on is not None and data.expires_on < data.signed_on:
        errors["expires_on"] = [_l("An agreement cannot expire before it is signed.")]
    if errors:
        raise Refused(errors)
    return values


def add_agreement(organisation: Organisation, data: AgreementInput, document_id: int | None = None) -> Agreement:
    agreement = Agreement(organisation_id=organisation.id, document_id=document_id, **_checked_agreement(data))
    db.session.add(agreement)
    db.session.flush()
    return agreement


def update_agreement(agreement: Agreement, data: AgreementInput, document_id: int | None = None) -> Agreement:
    values = _checked_agreement(data)
    if values["expires_on"] != agreement.expires_on:
        agreement.reminded_days = None  # a new expiry day: its reminders are due again
    for name, value in values.items():
        setattr(agreement, name, value)
    if document_id is not None:
        agreement.document_id = document_id
    db.session.flush()
    return agreement
