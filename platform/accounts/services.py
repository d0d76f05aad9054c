"""What can be done to users and memberships. Services flush, never commit: the caller ends the transaction."""
import hashlib
import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from bibnet import mail
from bibnet.accounts import links
from bibnet.accounts.models import ApiToken, Membership, Role, User
from bibnet.accounts.passwords import hash_password, needs_rehash, verify_password
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Partner, Project, ProjectLead, Tenant

TOKEN_PREFIX = "bibnet_"
NAME_LENGTH = 200  # the columns' lengths
EMAIL_LENGTH = 254


def memberships_of(user: User) -> list[Membership]:
    """The user's active memberships in active tenants, with their tenants loaded."""
    with all_tenants(reason="the user's own memberships"):
        return db.session.scalars(
            sa.select(Membership)
            .join(Membership.tenant)
            .where(Membership.user_id == user.id, Membership.active, Tenant.active)
            .options(joinedload(Membership.tenant))
            .order_by(Tenant.name)
        ).all()


def active_members() -> list[User]:
    """The active people of the current tenant (the guard scopes memberships to it), by name: whom a feature
    may assign work to, such as a home visit or a delivery route."""
    return list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id).where(Membership.active, User.active).order_by(User.name, User.id)
    ))


def projects_led_by(user: User) -> list[Project]:
    """Projects the user leads, with their partners' tenants loaded."""
    return db.session.scalars(
        sa.select(Project)
        .join(ProjectLead, ProjectLead.project_id == Project.id)
        .where(ProjectLead.user_id == user.id)
        .options(selectinload(Project.partners).joinedload(Partner.tenant))
        .order_by(Project.acronym)
    ).all()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user, if the e-mail and password match an active account. Upgrades old password hashes.
    The password is checked whether or not the account exists and is active: every refusal takes a hash's time."""
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)
    if not matches or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.end_all_sessions()


def user_problems(email: str, name: str, locale: str | None) -> dict[str, list]:
    """Field name → messages; empty when a user may be created like this (a new address included)."""
    problems = {}
    if not name.strip():
        problems["name"] = [_l("Enter the person's name.")]
    elif len(name.strip()) > NAME_LENGTH:
        problems["name"] = [_l("A name can have at most %(max)d characters.", max=NAME_LENGTH)]
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        problems["email"] = [_l("Enter an e-mail address in the right format, like name@example.lv.")]
    else:
        if len(email.strip()) > EMAIL_LENGTH:
            problems["email"] = [_l("An e-mail address can have at most 254 characters.")]
        elif find_user_by_email(email) is not None:
            problems["email"] = [_l("A user with this e-mail address already exists.")]
    if locale is not None and locale not in current_app.config["LOCALES"]:
        problems["locale"] = [_l("Choose one of the languages: %(languages)s.", languages=", ".join(current_app.config["LOCALES"]))]
    return problems


def create_user(email: str, name: str, password: str | None = None, is_admin: bool = False, locale: str | None = None) -> User:
    refuse_if_any(user_problems(email, name, locale))
    user = User(email=email, name=name.strip(), is_admin=is_admin, locale=locale)
    if password:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def add_member(tenant, email: str, name: str, role: Role) -> tuple[Membership, bool]:
    """Give a person a role in the current tenant; returns the membership and whether the user is new.

    A person who already has an account keeps their own name and language: a coordinator decides who works in
    their library, not who a person of another library is.
    """
    user = find_user_by_email(email)
    created = user is None
    if created:
        user = create_user(email, name)
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    if membership is not None and membership.active:
        raise Refused({"email": [_l("This person is already a member of %(tenant)s.", tenant=tenant.name)]})
    if membership is None:
        membership = Membership(user=user, tenant=tenant, role=role)
        db.session.add(membership)
    else:
        membership.role, membership.active = role, True
    db.session.flush()
    return membership, created


def send_invitation(membership: Membership, invited_by: User) -> None:
    """Queue the invitation in the caller's transaction: it leaves only if the membership is committed."""
    user, tenant = membership.user, membership.tenant
    if user.password_hash is None:
        link = url_for("accounts.accept_invitation", token=links.make_token(user, links.INVITATION), _external=True)
        template = "mail/invitation.txt"
    else:
        link = url_for("tenancy.home", tenant_slug=tenant.slug, _external=True)
        template = "mail/added_to_tenant.txt"
    mail.send(
        user.email,
        _l("You are invited to BibNet"),
        template,
        locale=language_of(user, default=tenant.default_locale),
        user=user,
        tenant=tenant,
        invited_by=invited_by,
        link=link,
    )


def language_of(user: User, default: str) -> str:
    """The language to write to the user in: their own choice, else that of the library they joined first."""
    if user.locale:
        return user.locale
    with all_tenants(reason="the language of a user's first library"):
        first_library = db.session.scalar(
            sa.select(Tenant.default_locale).join(Membership, Membership.tenant_id == Tenant.id).where(Membership.user_id == user.id).order_by(Membership.id).limit(1)
        )
    return first_library or default


def send_password_reset(user: User) -> None:
    link = url_for("accounts.reset_password", token=links.make_token(user, links.RESET), _external=True)
    language = language_of(user, default=current_app.config["BABEL_DEFAULT_LOCALE"])
    mail.send(user.email, _l("Reset your BibNet password"), "mail/password_reset.txt", locale=language, user=user, link=link)


def set_user_active(user: User, active: bool, acting_user: User | None = None) -> None:
    """Deactivating ends the user's sessions and log-ins at once; their work and memberships stay. The command
    line has no acting user."""
    if acting_user is not None and user.id == acting_user.id and not active:
        raise Refused({"user": [_l("You cannot deactivate yourself. Ask another administrator.")]})
    user.active = active
    if not active:
        user.end_all_sessions()
    db.session.flush()


def change_membership(membership: Membership, acting_user: User, role: Role | None = None, active: bool | None = None) -> None:
    if membership.user_id == acting_user.id and (active is False or role not in (None, membership.role)):
        raise Refused({"membership": [_l("You cannot change your own role or deactivate yourself. Ask another coordinator.")]})
    if role is not None:
        membership.role = role
    if active is not None:
        membership.active = active
    db.session.flush()


def issue_api_token(user: User, name: str) -> str:
    """Create a token and return it; this is the only time it is ever available in clear."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name, token_hash=_token_hash(secret), prefix=secret[: len(TOKEN_PREFIX) + 6]))
    db.session.flush()
    return secret


def revoke_api_token(user: User, token_id: int) -> bool:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.flush()
    return True


def user_for_api_token(secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _token_hash(secret), ApiToken.revoked_at.is_(None)).options(joinedload(ApiToken.user))
    )
    if token is None or not token.user.active:
        return None
    return token.user


def _token_hash(secret: str) -> str:
    # A token carries 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()
