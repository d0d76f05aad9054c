"""Security headers on every response. The CSP allows only the app itself: no CDN, font or script from elsewhere."""
from flask import current_app, request
from flask_login import current_user

from bibnet.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",  # Bootstrap draws its form and navbar icons as data: SVGs
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user.is_authenticated and not request.path.startswith(("/static/", "/bootstrap/")):
        headers["Cache-Control"] = "no-store"
    return response


def check_csrf():
    """CSRF on every state-changing request, in one place. API calls with a bearer token need none:
    browsers never send that header on their own, unlike the session cookie."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.path.startswith("/api/") and request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    csrf.protect()


def init_app(app) -> None:
    app.before_request(check_csrf)
    app.after_request(add_security_headers)
