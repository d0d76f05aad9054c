"""In-person workshops: a coordinator records a workshop held in the library (date, a course or one module of it,
facilitator, place, who attended and, optionally, each attendee's score on a paper quiz). Recording it completes
the same lessons online study would, through `bibnet.elearning.learning.mark_done`, with each lesson's progress
marked as coming from the workshop, so that every report can show the completion as in person.
"""


def init_app(app) -> None:
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import jobs, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.elearning.workshops import api as workshops_api
    from bibnet.elearning.workshops import (
        leavers,
        models,  # noqa: F401  (the tables, for the migrations)
        reminders,
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(workshops_api.blp)
    register_object_type("Workshop", _l("Workshop"))
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
