"""Course packages: a course exported as a zip (course.yaml and one Markdown file per lesson and language, plus
media; see FORMAT.md) and imported as a new draft course, and SCORM 1.2 packages played as lessons.

Archives are read through `bibnet.archives` (hostile until proven otherwise). The package format is made of parts
(`bibnet.elearning.packages.parts`): features of a course (quizzes, easy-read summaries…) register a part to travel
in the package too.
"""


def init_app(app) -> None:
    from bibnet.elearning.packages import (
        course_parts,  # noqa: F401  (registers the structure, media and SCORM parts)
        models,  # noqa: F401  (the tables, for the migrations)
        views,
    )

    for blueprint in (views.bp, views.project_bp, views.content_bp, views.assets):
        app.register_blueprint(blueprint)
