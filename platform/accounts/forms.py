"""Forms of the account pages. Labels and messages are lazy, so they are translated per request."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length

from bibnet.accounts.models import NotificationDelivery, Role
from bibnet.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from bibnet.web.fields import SelectField

ROLE_LABELS = {Role.COORDINATOR: _l("Partner coordinator"), Role.STAFF: _l("Library staff")}


EMAIL_LABEL = _l("E-mail address")
YOUR_EMAIL_MISSING = _l("Enter your e-mail address.")


def _email_field(label=EMAIL_LABEL, required_message=YOUR_EMAIL_MISSING):
    return EmailField(
        label,
        validators=[
            DataRequired(message=required_message),
            Email(message=_l("Enter an e-mail address in the right format, like name@example.lv."), check_deliverability=False),
            Length(max=254, message=_l("An e-mail address can have at most 254 characters.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a new password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("A password must have between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
        description=_l("At least 8 characters. A longer phrase is stronger than a short, complicated word."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the new password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class SetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=200, message=_l("A name can have at most 200 characters."))],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language of the interface"),
        choices=[
            SelectChoice("", _l("My library's language")),
            SelectChoice("en", "English", {"lang": "en"}),
            SelectChoice("lv", "Latviešu", {"lang": "lv"}),
            SelectChoice("lt", "Lietuvių", {"lang": "lt"}),
        ],
        validate_choice=True,
    )


DELIVERY_LABELS = {
    NotificationDelivery.IMMEDIATE: _l("A mail each time"),
    NotificationDelivery.DAILY_DIGEST: _l("One mail a day gathering everything (daily digest)"),
}


class NotificationForm(FlaskForm):
    delivery = RadioField(
        _l("How do you want to hear of work waiting for you?"),
        choices=[SelectChoice(delivery.value, label) for delivery, label in DELIVERY_LABELS.items()],
        # Our own message for a value that is none of the choices (wtforms' own is not in our catalogs).
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose how you want to be told.")),
            AnyOf([delivery.value for delivery in NotificationDelivery], message=_l("Choose how you want to be told.")),
        ],
    )


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(message=_l("Give the token a name.")), Length(max=100, message=_l("A token name can have at most 100 characters."))],
        description=_l("What the token is for, e.g. “spreadsheet import”."),
        render_kw={"autocomplete": "off"},
    )


def _role_field():
    return RadioField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a role."))],
        default=Role.STAFF.value,
    )


class InviteForm(FlaskForm):
    email = _email_field(required_message=_l("Enter the e-mail address of the person you invite."))
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=200, message=_l("A name can have at most 200 characters."))],
        render_kw={"autocomplete": "off"},
    )
    role = _role_field()


class MembershipForm(FlaskForm):
    role = _role_field()
