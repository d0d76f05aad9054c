"""Forms of the certificate pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from bibnet.elearning.certificates.models import REASON_LENGTH
from bibnet.web.fields import SelectField


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), render_kw={"maxlength": REASON_LENGTH, "rows": 3},
        description=_l("The reason is kept in the audit log; the public verification page says only that the certificate is revoked."),
    )


class RequirementForm(FlaskForm):
    action = SelectField(_l("Action"), validate_choice=False)
    course = SelectField(_l("Course required"), coerce=int, validate_choice=False)

    def __init__(self, actions, courses, **kwargs):
        super().__init__(**kwargs)
        self.action.choices = [SelectChoice("", _l("Choose an action"))] + [SelectChoice(value, label) for value, label in actions]
        self.course.choices = [SelectChoice(0, _l("Choose a course"))] + [SelectChoice(value, label) for value, label in courses]


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form anyone may send: it changes nothing

    code = StringField(_l("Certificate code"), render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
                       description=_l("Ten letters and digits, as printed on the certificate, for example 7KQ4M-XW9RT."))
