"""Quizzes of e-learning lessons: questions per language, attempts scored on the server, the lesson done on a pass.
Registered from `bibnet.elearning.init_app`."""


def init_app(app) -> None:
    """Pages, API, how long answers are kept, and quizzes in course packages."""
    import os

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.elearning.quizzes import api as quiz_api
    from bibnet.elearning.quizzes import package_part  # noqa: F401  (registers the quizzes' part of course packages)
    from bibnet.elearning.quizzes import retention as quiz_retention
    from bibnet.elearning.quizzes import views as quiz_views

    for blueprint in (quiz_views.bp, quiz_views.authoring_bp, quiz_views.project_authoring_bp):
        app.register_blueprint(blueprint)
    api.register_blueprint(quiz_api.blp)
    app.config.setdefault(quiz_retention.DAYS_SETTING, int(os.environ.get(quiz_retention.DAYS_SETTING, quiz_retention.DEFAULT_DAYS)))
    retention.register(app, retention.Retention(
        name="elearning.quiz_answers",
        data=_l("Answers given in e-learning quizzes (the options chosen, and which questions were right)"),
        purpose=_l("Showing learners their results and feedback; the score and the pass are kept as the training record"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Erased %(num)d day after the attempt was submitted", "Erased %(num)d days after the attempt was submitted", days),
        days_setting=quiz_retention.DAYS_SETTING,
        erase=quiz_retention.erase_answers,
    ))
    for name, label in (("Quiz", _l("Quiz")), ("QuizQuestion", _l("Quiz question")), ("QuizOption", _l("Quiz answer option")), ("QuizAttempt", _l("Quiz attempt"))):
        register_object_type(name, label)
