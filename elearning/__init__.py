"""Staff e-learning: courses, enrolments, progress and certificates. Registered like `bibnet.tenants`.

Who does what: every member of a library learns (`elearning.learn`); its coordinators author the library's own
courses, enrol staff and see their progress (`elearning.manage`, and `elearning.author` for a course the URL names,
which must be the library's own); a project's lead authors the project's courses, shared with every partner, on the
project's pages (`elearning.author_project`). Partners use a project's course but never edit it.
"""
from flask import g

from bibnet.access import ProjectStanding, TenantRole, project_standing, register_permission, roles
from bibnet.loading import addressed

_MANAGERS = (TenantRole.COORDINATOR, TenantRole.ADMIN)


def _authors_library_course(user, role) -> bool:
    course = addressed("course")
    return role in _MANAGERS and (course is None or course.owner_tenant_id == g.tenant.id)


def _authors_project_course(user, role) -> bool:
    course = addressed("course")
    return project_standing() in (ProjectStanding.LEAD, ProjectStanding.ADMIN) and (course is None or course.project_id == g.project.id)


register_permission("elearning.learn", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("elearning.manage", roles(*_MANAGERS))
register_permission("elearning.author", _authors_library_course)
register_permission("elearning.author_project", _authors_project_course)


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet import figures
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.elearning import api as elearning_api
    from bibnet.elearning import (
        certificates,
        home,  # noqa: F401  (registers the learner's task: courses due and overdue)
        models,  # noqa: F401  (the tables, for the migrations)
        packages,
        quizzes,
        report_figures,
        views,
        workshops,
    )
    from bibnet.elearning.languages import text
    from bibnet.web import panels

    app.register_blueprint(views.bp)
    app.register_blueprint(views.project_bp)
    api.register_blueprint(elearning_api.blp)
    packages.init_app(app)  # course packages and SCORM lessons
    app.add_template_filter(text, "in_language")
    figures.register(report_figures.SOURCE)  # staff who completed a course, for the funding reports
    panels.register_project_link(_l("Training: the project's shared courses"), "elearning_project.manage")
    quizzes.init_app(app)  # quizzes of lessons, their API and how long answers are kept
    certificates.init_app(app)  # certificates, their public verification, expiry reminders and training gates
    workshops.init_app(app)  # in-person workshops
    _init_reminders_and_leavers(app)
    for name, label in (("Course", _l("Course")), ("CourseModule", _l("Course module")), ("Lesson", _l("Lesson")), ("Enrolment", _l("Enrolment")), ("CourseMedia", _l("Course file"))):
        register_object_type(name, label)



def _init_reminders_and_leavers(app) -> None:
    """Due-date reminders of enrolments, and how long the records of people who left are kept."""
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import jobs, retention
    from bibnet.elearning import leavers, reminders

    # Hourly: a due date set this afternoon is reminded of today; each reminder is sent once.
    jobs.register(app, "elearning.due_reminders", timedelta(hours=1), lambda now: f"queued {reminders.send_due_reminders(now)} due-date reminder(s)")
    retention.register(app, retention.Retention(
        name="elearning.leavers",
        data=_l("Courses, lessons done and workshops attended of staff who left the library"),
        purpose=_l("Answering for the training of former staff; the counts of funding reports stay without naming them"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext(
            "Anonymised %(num)d day after the person's last training activity, once they have left the library",
            "Anonymised %(num)d days after the person's last training activity, once they have left the library", days,
        ),
        days_setting=leavers.DAYS_SETTING,
        erase=leavers.erase_leavers,
    ))


def load_demo() -> None:
    from bibnet.elearning.demo import load_demo as load

    load()
