"""Forms anyone may send without logging in (registering for a programme, answering a survey), kept from bots
without any third-party service: no CAPTCHA, nothing loaded from elsewhere, nothing a screen-reader user or a
person with a tremor must solve.

- A honeypot: a field people never see nor reach by keyboard (`website`); bots fill in every field.
- A signed start time (`started`): a form sent sooner than `PUBLIC_FORM_MIN_SECONDS` after it was shown came
  from a script; one older than `MAX_AGE` is refused as expired (it is shown again, freshly signed).
- A rate limit per client address (`public_form_rate_limit`, `PUBLIC_FORM_RATE_LIMIT`), counted in the rate
  limiter's store only: the address is never written next to what the form sends.

A refused form says so in the page's error summary (`form.form_errors`) and writes nothing.
"""
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import HiddenField, StringField

from bibnet.extensions import limiter

MAX_AGE = 3 * 60 * 60  # seconds: long enough to read, fill in slowly and ask someone for help
_SALT = "bibnet.public-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def public_form_rate_limit():
    """The decorator that limits how often one client address may send public forms (POST only)."""
    return limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"], scope="public-form")


class PublicForm(FlaskForm):
    """A form for the public: subclass it, render `website` and `started` with the macro
    `public_form_guard(form)` (macros/forms.html), and validate as usual."""

    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.started.data = _serializer().dumps(time.time())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problem = self._bot_problem()
        if problem is not None:
            self.form_errors.append(problem)
            self.started.data = _serializer().dumps(time.time())  # the form shown again starts afresh
            return False
        return valid

    def _bot_problem(self):
        if self.website.data:
            return _l("The form could not be sent. Please try again.")
        try:
            shown_at = _serializer().loads(self.started.data or "", max_age=MAX_AGE)
        except SignatureExpired:
            return _l("The form was open too long. Please check your answers and send it again.")
        except BadSignature:
            return _l("The form could not be sent. Please try again.")
        if time.time() - float(shown_at) < current_app.config["PUBLIC_FORM_MIN_SECONDS"]:
            return _l("The form was sent too quickly. Please check your answers and send it again.")
        return None
