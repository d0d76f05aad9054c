"""How Flask-Login finds the user: the session cookie for pages, a bearer token for the API.

The two never mix: an API request is authenticated by its token or not at all, so a browser's session cookie
(which a page of another site can make it send) opens no API endpoint, and the API needs no CSRF token.
"""
from flask import g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.accounts.services import user_for_api_token
from bibnet.api.problems import problem
from bibnet.extensions import db, login_manager
from bibnet.tenancy.models import Project, ProjectLead


def is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    if is_api_request():
        return None
    user_id, _, session_token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    # The projects the user leads come in the same statement: the header links every page to them
    # (`bibnet.web.panels.header_projects`), and a page should not pay a query for it.
    rows = db.session.execute(
        sa.select(User, Project.id, Project.acronym)
        .outerjoin(ProjectLead, ProjectLead.user_id == User.id)
        .outerjoin(Project, Project.id == ProjectLead.project_id)
        .where(User.id == int(user_id))
        .order_by(Project.acronym)
    ).all()
    user = rows[0][0] if rows else None
    g.led_projects = [(project_id, acronym) for _, project_id, acronym in rows if project_id is not None]
    if user is None or not user.active or user.session_token != session_token:
        return None  # logged out, deactivated, or password changed: the session has ended
    return user


@login_manager.request_loader
def load_user_from_bearer_token(req) -> User | None:
    if not is_api_request():
        return None
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    user = user_for_api_token(secret.strip())
    g.authenticated_by_token = user is not None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    if is_api_request():
        return problem(401, detail=_l("Log in, or send a personal access token as 'Authorization: Bearer <token>'."))
    return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))


login_manager.session_protection = None  # sessions end through User.session_token instead
