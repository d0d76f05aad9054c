"""In-person workshops: a coordinator records a workshop held in the library (date, a course or one module of it,
facilitator, place, who attended and, optionally, each attendee's score on a paper quiz). Recording it completes
the same lessons online study would, through `bibnet.elearning.learning.mark_done`, with each lesson's progress
marked as coming from the workshop, so that every report can show the completion as in person.
"""


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.elearning.workshops import api as workshops_api
    from bibnet.elearning.workshops import (
        models,  # noqa: F401  (the tables, for the migrations)
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(workshops_api.blp)
    register_object_type("Workshop", _l("Workshop"))
