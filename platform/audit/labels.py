"""Human names of the kinds of objects the audit log records (`AuditEntry.object_type`, a model's class name).

Each feature registers the names of its own audited models from its `init_app`; the core names its own here.
A kind that nobody named is shown by its class name, so that no entry is ever hidden for want of a label.
"""
from flask_babel import lazy_gettext as _l

_labels: dict[str, object] = {}


def register_object_type(object_type: str, label) -> None:
    """Show entries of the model class named `object_type` as `label` (a lazy string) and offer it as a filter."""
    _labels[object_type] = label


def object_type_label(object_type: str) -> str:
    return str(_labels.get(object_type, object_type))


def known_object_types() -> list[tuple[str, str]]:
    """(object_type, label) of every registered kind, by label in the current language."""
    return sorted(((name, str(label)) for name, label in _labels.items()), key=lambda choice: choice[1].casefold())


# The core's own audited models.
register_object_type("Tenant", _l("Library (tenant)"))
register_object_type("Project", _l("Project"))
register_object_type("ReportingPeriod", _l("Reporting period"))
register_object_type("Partner", _l("Project partner"))
register_object_type("ProjectLead", _l("Project lead"))
register_object_type("User", _l("User account"))
register_object_type("Membership", _l("Library membership"))
