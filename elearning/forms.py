"""Forms of the e-learning pages. Every text has one field per language, marked with its `lang` for screen readers."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.accounts.models import Role
from bibnet.web.fields import LocalDateField, SelectField, WholeNumberField
from bibnet.web.i18n import LANGUAGE_NAMES

LOCALES = ("en", "lv", "lt")  # the platform's languages (config LOCALES); a field each


def _per_language(form_class, name: str, label, field_class, **options):
    for locale in LOCALES:
        setattr(form_class, f"{name}_{locale}", field_class(
            _l("%(what)s (%(language)s)", what=label, language=LANGUAGE_NAMES[locale]), render_kw={"lang": locale}, **options
        ))
    return form_class


class _Texts:
    def texts(self, name: str) -> dict[str, str]:
        return {locale: self[f"{name}_{locale}"].data or "" for locale in LOCALES}

    def fill(self, name: str, texts: dict[str, str]) -> None:
        for locale in LOCALES:
            self[f"{name}_{locale}"].data = (texts or {}).get(locale, "")


class CourseForm(FlaskForm, _Texts):
    validity_months = WholeNumberField(
        _l("Certificates valid for (months)"), minimum=1, maximum=240,
        description=_l("Leave empty when a certificate of this course stays valid for good; 24 asks for a refresher every two years."),
    )


_per_language(CourseForm, "title", _l("Title"), StringField)
_per_language(CourseForm, "summary", _l("Summary"), TextAreaField)


class ModuleForm(FlaskForm, _Texts):
    pass


_per_language(ModuleForm, "title", _l("Title"), StringField)


class LessonForm(FlaskForm, _Texts):
    required = BooleanField(_l("Required for completing the course"), default=True)
    hours = WholeNumberField(_l("Hours"), minimum=0, maximum=99, default=0)
    minutes = WholeNumberField(_l("Minutes"), minimum=0, maximum=59, default=0)
    # Checked by the authoring service (an audio file of the course), which names the refusal.
    audio = SelectField(
        _l("Audio version (optional)"), coerce=int, validate_choice=False, default=0,
        description=_l("A reading of the lesson text, uploaded on the course's media page. The lesson text is its transcript."),
    )

    def offer_audio(self, audio_files) -> None:
        self.audio.choices = [SelectChoice(0, _l("No audio version"))] + [SelectChoice(item.id, item.filename) for item in audio_files]


_per_language(LessonForm, "title", _l("Title"), StringField)
_per_language(
    LessonForm, "content", _l("Lesson text in Markdown"), TextAreaField,
    description=_l('Images need alt text: ![What it shows](picture.jpg). Video and audio need captions or a transcript: ![What it is](clip.mp4 "clip.vtt").'),
)
_per_language(
    LessonForm, "easy_read", _l("Easy-read version (optional)"), TextAreaField,
    description=_l("Short sentences, common words, one idea per line. Learners can open it next to the lesson."),
)


class MediaForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
        description=_l("An image, audio, video, WebVTT captions or a document. What it is is read from the file itself."),
    )


class EnrolForm(FlaskForm):
    course = SelectField(_l("Course"), coerce=int, validators=[InputRequired(message=_l("Choose a course."))])
    who = RadioField(
        _l("Who"),
        choices=[SelectChoice("person", _l("One person")), SelectChoice("all", _l("All staff of the library")), SelectChoice("role", _l("Everyone with a role"))],
        default="person",
        validators=[InputRequired(message=_l("Choose who to enrol."))],
    )
    person = SelectField(_l("Person"), coerce=int, validate_choice=False)
    role = SelectField(_l("Role"), choices=[SelectChoice(Role.STAFF.value, _l("Staff")), SelectChoice(Role.COORDINATOR.value, _l("Coordinators"))])
    due_on = LocalDateField(_l("Due date (optional)"))

    def __init__(self, courses, people, **kwargs):
        super().__init__(**kwargs)
        self.course.choices = [SelectChoice(0, _l("Choose a course"))] + [SelectChoice(value, label) for value, label in courses]
        self.person.choices = [SelectChoice(0, _l("Choose a person"))] + [SelectChoice(value, label) for value, label in people]

