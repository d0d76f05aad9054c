"""Forms anyone may send without logging in (registering for a programme, answering a survey), kept from bots
without any third-party service: no CAPTCHA, nothing loaded from elsewhere, nothing a screen-reader user or a
person with a tremor must solve.

- A honeypot: a field people never see nor reach by keyboard (`website`); bots fill in every field.
- A signed start time (`started`): a form sent sooner than `PUBLIC_FORM_MIN_SECONDS` after it was shown came
  from a script; one older than `MAX_AGE` is refused as expired (it is shown again, freshly signed).
- A rate limit per client address (`PUBLIC_FORM_RATE_LIMIT`), counted in the rate limiter's store only: the
  address is never written next to what the form sends. Every form sent counts, refused ones too.

A refused form says so in the page's error summary (`form.form_errors`), is shown again with what was typed in,
and writes nothing; `form.refusal_status` is the page's status. A form over the rate limit is refused like this
too, not with an error page: a group answering a survey on one library's network keeps its answers.
"""
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits import parse_many
from wtforms import HiddenField, StringField

from bibnet.extensions import limiter

MAX_AGE = 3 * 60 * 60  # seconds: long enough to read, fill in slowly and ask someone for help
_SALT = "bibnet.public-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


RATE_LIMIT_SCOPE = "public-form"
TOO_MANY_FORMS = _l("Many forms were sent from this network recently. What you entered is still here: wait a few minutes, then send the form again.")


def _over_rate_limit() -> bool:
    """Counts one form sent from the client's address; True when that passes `PUBLIC_FORM_RATE_LIMIT`."""
    if not limiter.enabled:
        return False
    address = get_remote_address()
    hits = [limiter.limiter.hit(limit, RATE_LIMIT_SCOPE, address) for limit in parse_many(current_app.config["PUBLIC_FORM_RATE_LIMIT"])]
    return not all(hits)


class PublicForm(FlaskForm):
    """A form for the public: subclass it, render `website` and `started` with the macro
    `public_form_guard(form)` (macros/forms.html), and validate as usual."""

    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.started.data = _serializer().dumps(time.time())

    rate_limited = False

    @property
    def refusal_status(self) -> int:
        return 429 if self.rate_limited else 422

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.rate_limited = _over_rate_limit()
        problem = TOO_MANY_FORMS if self.rate_limited else self._bot_problem()
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
