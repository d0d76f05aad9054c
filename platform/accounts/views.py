"""Log-in, log-out, password reset, invitations and the profile page."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
import sqlalchemy as sa

from bibnet.access import public, require
from bibnet.accounts import links, services
from bibnet.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    NewTokenForm,
    NotificationForm,
    SetPasswordForm,
)
from bibnet.accounts.models import ApiToken, NotificationDelivery, User
from bibnet.accounts.passwords import verify_password
from bibnet.extensions import db, limiter
from bibnet.web.i18n import remember_first_library_language

bp = Blueprint("accounts", __name__)


def _login_email_key() -> str:
    return "login:" + request.form.get("email", "").strip().lower()


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.dashboard")


def _start_session(user: User) -> None:
    session.clear()  # a fresh session at every log-in
    login_user(user)
    remember_first_library_language(user)
    session.permanent = True


TOO_MANY_LOG_INS = _l("Wait a minute, then try again. If you forgot your password, you can reset it.")


def _failed_login(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_login_email_key, methods=["POST"], deduct_when=_failed_login, error_message=TOO_MANY_LOG_INS)
@limiter.limit("30 per minute", methods=["POST"], deduct_when=_failed_login, error_message=TOO_MANY_LOG_INS)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(
            _("The e-mail address or the password is wrong. Check both and try again, or reset your password.")
        )
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" or not form.errors else 422


@bp.route("/logout", methods=["POST"])
@require("authenticated")
def logout():
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            services.send_password_reset(user)
            db.session.commit()  # the mail is queued in the outbox
        flash(
            _("If an account exists for %(email)s, we have sent it a link to set a new password. The link works for one hour.", email=form.email.data),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200


def _user_from_link(token: str, purpose: str):
    try:
        return links.read_token(token, purpose, lambda user_id: db.session.get(User, user_id) if isinstance(user_id, int) else None), None
    except links.LinkExpired:
        return None, "expired"
    except links.LinkInvalid:
        return None, "invalid"


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    user, problem = _user_from_link(token, links.RESET)
    if user is None:
        return render_template("accounts/link_problem.html", problem=problem, purpose="reset"), 410 if problem == "expired" else 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your new password is set. Log in with it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 422 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    user, problem = _user_from_link(token, links.INVITATION)
    if user is None:
        return render_template("accounts/link_problem.html", problem=problem, purpose="invitation"), 410 if problem == "expired" else 404
    form = AcceptInvitationForm(name=user.name) if request.method == "GET" else AcceptInvitationForm()
    if form.validate_on_submit():
        user.name = form.name.data
        services.set_password(user, form.password.data)
        db.session.commit()
        _start_session(user)
        flash(_("Welcome to BibNet. Your account is ready."), "success")
        return redirect(url_for("web.dashboard"))
    return render_template("accounts/accept_invitation.html", form=form, user=user), 422 if form.errors else 200


def _render_profile(status=200, new_token=None, **forms):
    forms.setdefault("language_form", LanguageForm(locale=current_user.locale or ""))
    forms.setdefault("notification_form", NotificationForm(delivery=current_user.notification_delivery.value))
    forms.setdefault("password_form", ChangePasswordForm())
    forms.setdefault("token_form", NewTokenForm())
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
    ).all()
    return render_template("accounts/profile.html", tokens=tokens, new_token=new_token, **forms), status


@bp.route("/profile")
@require("authenticated")
def profile():
    return _render_profile()


@bp.route("/profile/language", methods=["POST"])
@require("authenticated")
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _render_profile(422, language_form=form)
    current_user.locale = form.locale.data or None
    db.session.commit()
    refresh()
    flash(_("Your language is saved."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/notifications", methods=["POST"])
@require("authenticated")
def change_notifications():
    form = NotificationForm()
    if not form.validate_on_submit():
        return _render_profile(422, notification_form=form)
    current_user.notification_delivery = NotificationDelivery(form.delivery.data)
    db.session.commit()
    flash(_("Your choice of notifications is saved."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/password", methods=["POST"])
@require("authenticated")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current_password.data):
            user = current_user._get_current_object()
            services.set_password(user, form.password.data)  # ends every other session
            db.session.commit()
            _start_session(user)
            flash(_("Your password is changed. You stay logged in here; other devices are logged out."), "success")
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("The current password is wrong."))
    return _render_profile(422, password_form=form)


@bp.route("/profile/tokens", methods=["POST"])
@require("authenticated")
def create_token():
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _render_profile(422, token_form=form)
    secret = services.issue_api_token(current_user, form.name.data)
    db.session.commit()
    return _render_profile(201, new_token=secret, token_form=NewTokenForm(formdata=None))


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@require("authenticated")
def revoke_token(token_id):
    if not services.revoke_api_token(current_user, token_id):
        abort(404)
    db.session.commit()
    flash(_("The token is revoked. Programs using it can no longer reach BibNet."), "success")
    return redirect(url_for("accounts.profile"))
