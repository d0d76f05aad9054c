"""Forms of the quiz authoring pages: every text one field per language (marked with its `lang`), as the course forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.elearning.forms import LOCALES, _per_language, _Texts
from bibnet.elearning.quizzes.models import QuestionKind
from bibnet.web.fields import WholeNumberField

OPTION_ROWS = 6  # answers a question can have on the page; empty rows are left out


class QuizSettingsForm(FlaskForm):
    pass_mark = WholeNumberField(
        _l("Pass mark (percent of the questions answered right)"), minimum=0, maximum=100, default=80,
        validators=[InputRequired(message=_l("Enter the pass mark, a whole number from 0 to 100."))],
    )
    attempt_limit = WholeNumberField(_l("Attempts allowed (leave empty for no limit)"), minimum=1, maximum=100)
    draw_count = WholeNumberField(_l("Questions drawn for each attempt (leave empty for all)"), minimum=1, maximum=500)
    shuffle = BooleanField(_l("Shuffle the questions and their answers for each attempt"))
    show_feedback = BooleanField(_l("Show which answers were right, with the feedback, after submitting"), default=True)


class QuestionForm(FlaskForm, _Texts):
    kind = RadioField(
        _l("Kind of question"),
        choices=[
            SelectChoice(QuestionKind.SINGLE.value, _l("Single choice: one answer is right")),
            SelectChoice(QuestionKind.MULTIPLE.value, _l("Multiple choice: one or more answers are right")),
            SelectChoice(QuestionKind.TRUE_FALSE.value, _l("True or false")),
        ],
        default=QuestionKind.SINGLE.value,
        validators=[InputRequired(message=_l("Choose the kind of question."))],
    )
    true_answer = RadioField(
        _l("For a true-or-false question, the statement is"),
        choices=[SelectChoice("true", _l("true")), SelectChoice("false", _l("false"))],
        default="true",
    )

    def option_rows(self) -> list[tuple[dict[str, str], bool]]:
        return [(self.texts(f"option_{number}_text"), bool(self[f"option_{number}_correct"].data)) for number in range(1, OPTION_ROWS + 1)]

    def fill_options(self, options) -> None:
        for number in range(1, OPTION_ROWS + 1):
            option = options[number - 1] if number <= len(options) else None
            self.fill(f"option_{number}_text", option.text if option else {})
            self[f"option_{number}_correct"].data = bool(option and option.correct)


_per_language(QuestionForm, "text", _l("Question"), TextAreaField)
_per_language(QuestionForm, "feedback", _l("Feedback after submitting"), TextAreaField)
for _number in range(1, OPTION_ROWS + 1):
    _per_language(QuestionForm, f"option_{_number}_text", _l("Answer %(number)d", number=_number), StringField)
    setattr(QuestionForm, f"option_{_number}_correct", BooleanField(_l("Answer %(number)d is right", number=_number)))

__all__ = ["LOCALES", "OPTION_ROWS", "QuestionForm", "QuizSettingsForm"]
