"""Forms anyone may send without logging in (registering for a programme, answering a survey), kept from bots
without any third-party service: no CAPTCHA, nothing loaded from elsewhere, nothing a screen-reader user or a
person with a tremor must solve.

- A honeypot: a field people never see nor reach by keyboard (`website`); bots fill in every field.
- A signed start time (`started`): a form sent sooner than `PUBLIC_FORM_MIN_SECONDS` after it was shown came
  from a script; one older than `MAX_AGE` is refused as expired (it is shown again, freshly signed).
- A rate limit per client address (`PUBLIC_FORM_RATE_LIMIT`), counted in the rate limiter's store only: the
  address is never written next to what the form sends. Every form sent counts, refused ones too, the way
  Flask-Limiter counts its own limits (up to the first limit passed, with its key prefix). When the store cannot
  be reached, the form is not limited: refusing it would lose what was typed in, and the other two checks stay.

A refused form says so in the page's error summary (`form.form_errors`), is shown again with what was typed in,
and writes nothing; `form.refusal_status` is the page's status and `form.refusal_headers` its headers. A form over
the rate limit is refused like this too (429, with Retry-After), not with an error page: a group answering a
survey on one library's network keeps its answers.
"""
import math
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits import parse_many
from limits.errors import StorageError
from wtforms import HiddenField, StringField

from bibnet.extensions import limiter

MAX_AGE = 3 * 60 * 60  # seconds: long enough to read, fill in slowly and ask someone for help
_SALT = "bibnet.public-form"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


RATE_LIMIT_SCOPE = "public-form"
TOO_MANY_FORMS = _l("Many forms were sent from this network recently. What you entered is still here: send the form again a little later.")


def _seconds_until_allowed() -> int | None:
    """Counts one form sent from the client's address against `PUBLIC_FORM_RATE_LIMIT`; None when it is within
    the limits, else the seconds until the limit it passed lets forms through again."""
    if not limiter.enabled:
        return None
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    identifiers = [*([prefix] if prefix else []), get_remote_address(), RATE_LIMIT_SCOPE]
    store = limiter.limiter.storage
    try:
        for limit in parse_many(current_app.config["PUBLIC_FORM_RATE_LIMIT"]):
            if not limiter.limiter.hit(limit, *identifiers):
                reset_at = limiter.limiter.get_window_stats(limit, *identifiers).reset_time
                return max(1, math.ceil(reset_at - time.time()))
    except (StorageError, store.base_exceptions) as error:
        current_app.logger.warning("public form not rate-limited: the rate limiter's store failed (%s)", error)
    return None


class PublicForm(FlaskForm):
    """A form for the public: subclass it, render `website` and `started` with the macro
    `public_form_guard(form)` (macros/forms.html), and validate as usual."""

    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.started.data = _serializer().dumps(time.time())

    retry_after: int | None = None  # seconds, when the form was over the rate limit

    @property
    def refusal_status(self) -> int:
        return 422 if self.retry_after is None else 429

    @property
    def refusal_headers(self) -> dict:
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.retry_after = _seconds_until_allowed()
        problem = TOO_MANY_FORMS if self.retry_after is not None else self._bot_problem()
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
