"""Certificates of completed courses (PDF in the learner's language, a code anyone can verify at /verify/<code>),
their expiry reminders and refreshers, and training gates: courses a library requires for another feature's
gateable actions (`bibnet.gates`). Issued by the completion hook, `learning.on_completion`.
"""
from bibnet.access import TenantRole, register_permission
from bibnet.loading import addressed

_MANAGERS = (TenantRole.COORDINATOR, TenantRole.ADMIN)


def _holds_or_manages(user, role) -> bool:
    """A certificate is opened by its holder and by the library's coordinators (the loader kept it to the library)."""
    certificate = addressed("certificate")
    return role in _MANAGERS or (role is not None and certificate is not None and certificate.user_id == user.id)


register_permission("elearning.certificate", _holds_or_manages)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import gates, jobs, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.elearning import learning
    from bibnet.elearning.certificates import api as certificates_api
    from bibnet.elearning.certificates import (
        lookups,  # noqa: F401  (the URL's certificate and requirement)
        models,  # noqa: F401  (the tables, for the migrations)
        reminders,
        services,
        training_gates,
        views,
    )
    from bibnet.elearning.certificates import retention as certificate_retention

    learning.on_completion(services.issue)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    api.register_blueprint(certificates_api.blp)
    api.register_blueprint(certificates_api.public_blp)
    gates.register_checker("elearning.certificates", training_gates.check)
    jobs.register(app, "certificates.expiry_reminders", reminders.EVERY, lambda now: f"announced {reminders.send_reminders(now)} expiring certificate(s)")
    retention.register(app, retention.Retention(
        name="elearning.certificates",
        data=_l("Certificates of staff who left the library: name, course, date and code"),
        purpose=_l("Letting the holder, and an employer they show it to, verify the certificate after they left"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext(
            "Deleted %(num)d day after it expired (or was issued, if it never expires), once the holder has left the library",
            "Deleted %(num)d days after it expired (or was issued, if it never expires), once the holder has left the library", days,
        ),
        days_setting=certificate_retention.DAYS_SETTING,
        erase=certificate_retention.erase_certificates,
    ))
    app.add_template_global(services.by_enrolment, "certificates_of_enrolments")
    for name, label in (("Certificate", _l("Certificate")), ("CourseRequirement", _l("Course required for an action"))):
        register_object_type(name, label)
