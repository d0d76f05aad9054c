"""Security headers on every response. The CSP allows only the app itself: no CDN, font or script from elsewhere."""
from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_login import current_user

from bibnet.extensions import csrf


def content_security_policy(config) -> str:
    """Only the app itself, and the object store when images are redirected to it (presigned S3 URLs)."""
    image_sources = ["'self'", "data:"]  # Bootstrap draws its form and navbar icons as data: SVGs
    endpoint = config.get("S3_ENDPOINT_URL")
    if config.get("STORAGE_BACKEND") == "s3":
        if endpoint:
            parts = urlsplit(endpoint)
            image_sources.append(f"{parts.scheme}://{parts.netloc}")
        else:
            image_sources.append("https://*.amazonaws.com")
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {' '.join(image_sources)}",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # `is_anonymous`, not `is_authenticated`: that reads the user's `active`, and after a view's commit a read
    # loads the user again. Only active users are ever loaded (`bibnet.accounts.loaders`).
    if not current_user.is_anonymous and not request.path.startswith(("/static/", "/bootstrap/")):
        headers["Cache-Control"] = "no-store"
    return response


def check_csrf():
    """CSRF on every state-changing request, in one place. An API call authenticated by a valid bearer token
    needs none: browsers never send that header on their own, unlike the session cookie (which the API does not
    accept, see `bibnet.accounts.loaders`). Any other header, a wrong token included, leaves the check on."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if current_user.is_authenticated and g.get("authenticated_by_token"):
        return
    csrf.protect()


def init_app(app) -> None:
    app.config["CONTENT_SECURITY_POLICY"] = content_security_policy(app.config)
    app.before_request(check_csrf)
    app.after_request(add_security_headers)
