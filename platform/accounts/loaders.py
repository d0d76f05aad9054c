"""How Flask-Login finds the user: the session cookie for pages, a bearer token for the API."""
from flask import redirect, request, url_for
from flask_babel import lazy_gettext as _l

from bibnet.accounts.models import User
from bibnet.accounts.services import user_for_api_token
from bibnet.api.problems import problem
from bibnet.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, session_token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != session_token:
        return None  # logged out, deactivated, or password changed: the session has ended
    return user


@login_manager.request_loader
def load_user_from_bearer_token(req) -> User | None:
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    return user_for_api_token(secret.strip())


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        return problem(401, detail=_l("Log in, or send a personal access token as 'Authorization: Bearer <token>'."))
    return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))


login_manager.session_protection = None  # sessions end through User.session_token instead
