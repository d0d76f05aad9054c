"""The audit log's filter form: sent with GET, its values in the URL, so a filtered page can be linked to."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from bibnet.audit.labels import known_object_types
from bibnet.audit.log import AuditFilters
from bibnet.web.fields import LocalDateField, SelectField, parse_whole_number


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    tenant = SelectField(_l("Library"), validate_choice=False)
    actor = SelectField(_l("Changed by"), validate_choice=False)
    object_type = SelectField(_l("Kind of object"), validate_choice=False)
    object_id = StringField(_l("Object number"), description=_l("The number the object has in the log, for example 42."), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    since = LocalDateField(_l("From"))
    until = LocalDateField(_l("To"))

    def __init__(self, *args, tenants: list[tuple[int, str]] | None, actors: list[tuple[int, str]], **kwargs):
        """`tenants` None: the page shows one tenant, and the form has no choice of tenant."""
        super().__init__(*args, **kwargs)
        if tenants is None:
            del self.tenant
        else:
            self.tenant.choices = [SelectChoice("", _l("Every library"))] + [SelectChoice(str(id_), name) for id_, name in tenants]
        self.actor.choices = [SelectChoice("", _l("Anyone"))] + [SelectChoice(str(id_), name) for id_, name in actors]
        self.object_type.choices = [SelectChoice("", _l("Every kind"))] + [SelectChoice(name, label) for name, label in known_object_types()]

    def _chosen(self, field, message) -> str | None:
        """The field's value when it is one of its choices; else None, with `message` when something was sent."""
        value = (field.data or "").strip()
        if not value:
            return None
        if value not in {str(choice.value) for choice in field.choices}:
            field.errors = [*field.errors, message]
            return None
        return value

    def filters(self, zone: str) -> AuditFilters:
        """The filters that make sense, after `validate()`; the others carry their message and are left out."""
        tenant = self._chosen(self.tenant, _("Choose a library from the list.")) if "tenant" in self._fields else None
        actor = self._chosen(self.actor, _("Choose a person from the list."))
        object_type = self._chosen(self.object_type, _("Choose a kind of object from the list."))
        object_id = None
        if (self.object_id.data or "").strip():
            object_id = parse_whole_number(self.object_id.data)
            if object_id is None:
                self.object_id.errors = [*self.object_id.errors, _("Enter the object number in digits, for example 42.")]
        since = self.since.data if not self.since.errors else None
        until = self.until.data if not self.until.errors else None
        if since and until and since > until:
            self.until.errors = [*self.until.errors, _("The end date is before the start date.")]
            until = None
        return AuditFilters(
            tenant_id=int(tenant) if tenant else None,
            actor_id=int(actor) if actor else None,
            object_type=object_type,
            object_id=object_id,
            since=since,
            until=until,
            zone=zone,
        )

    @property
    def has_problems(self) -> bool:
        return any(field.errors for field in self)
