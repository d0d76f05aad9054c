"""Signed, expiring, single-use links for password reset and invitations.

No table is needed: the signed payload carries a fingerprint of the user's current password hash, so the
link stops working as soon as a password is set with it (single use), and the signature's age limits it.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

RESET = "password-reset"
INVITATION = "invitation"

LIFETIME_SECONDS = {RESET: 60 * 60, INVITATION: 7 * 24 * 60 * 60}


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"bibnet.{purpose}")


def _fingerprint(user) -> str:
    material = f"{user.password_hash or ''}|{user.email}|{user.active}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def make_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "fp": _fingerprint(user)})


def read_token(token: str, purpose: str, load_user):
    """Return the user the link was made for, or raise LinkExpired / LinkInvalid."""
    try:
        data = _serializer(purpose).loads(token, max_age=LIFETIME_SECONDS[purpose])
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error
    user = load_user(data.get("user"))
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise LinkInvalid
    return user
