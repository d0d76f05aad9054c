"""Configuration from the environment, checked at start.

`BIBNET_ENV` chooses the defaults: `development` (the embedded default: SQLite and local files under
`instance/`, mail to `instance/outbox/`), `testing`, or `production` (PostgreSQL, S3, SMTP, secure
cookies; a missing or unsafe setting stops the start with a message naming it).
"""
from datetime import timedelta
import logging
import os
from pathlib import Path
import secrets

log = logging.getLogger("bibnet.config")

ENVIRONMENTS = ("development", "testing", "production")
SHARED_RATE_LIMIT_WARNING = (
    "RATELIMIT_STORAGE_URI is memory://: each worker process counts failed log-ins on its own, so several "
    "workers allow several times LOGIN_RATE_LIMIT; set RATELIMIT_STORAGE_URI=redis://… (a store all workers share)"
)
LOCALES = ("en", "lv", "lt")


class ConfigError(RuntimeError):
    pass


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance: Path) -> str:
    """A random key kept in instance/, so development sessions survive restarts without a shared default."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _psycopg(database_url: str) -> str:
    if database_url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return database_url


def load(instance_path: str, environ=os.environ) -> dict:
    env = environ.get("BIBNET_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"BIBNET_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    production = env == "production"

    secret = environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set in production (a long random string, e.g. from `openssl rand -hex 32`)")
        secret = _development_secret(instance)
    elif production and len(secret) < 32:
        raise ConfigError("SECRET_KEY is too short for production: use at least 32 random characters")

    public_url = environ.get("PUBLIC_URL", "").rstrip("/")
    if production and not public_url.startswith(("https://", "http://")):
        raise ConfigError("PUBLIC_URL must be set in production: the address people reach BibNet at (https://bibnet.example.eu), for links in mail sent by jobs")

    database_url = _psycopg(environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bibnet.sqlite3'}")
    if production and not database_url.startswith("postgresql+psycopg://"):
        raise ConfigError("DATABASE_URL must point to PostgreSQL in production (postgresql+psycopg://user:password@host/db)")
    # Migrations run as the tables' owner; the app as a role that is subject to row-level security.
    migrations_database_url = _psycopg(environ["MIGRATIONS_DATABASE_URL"]) if environ.get("MIGRATIONS_DATABASE_URL") else None

    storage_backend = environ.get("STORAGE_BACKEND", "s3" if production else "local")
    if storage_backend not in {"local", "s3"}:
        raise ConfigError(f"STORAGE_BACKEND must be 'local' or 's3', not {storage_backend!r}")
    if storage_backend == "s3":
        missing = [name for name in ("S3_BUCKET",) if not environ.get(name)]
        if missing:
            raise ConfigError(f"S3 storage needs {', '.join(missing)}")

    rate_limit_storage = environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if production and rate_limit_storage.startswith("memory://"):
        log.warning(SHARED_RATE_LIMIT_WARNING)

    mail_backend = environ.get("MAIL_BACKEND", "smtp" if production else "outbox")
    if mail_backend not in {"outbox", "smtp"}:
        raise ConfigError(f"MAIL_BACKEND must be 'outbox' or 'smtp', not {mail_backend!r}")
    if mail_backend == "smtp" and not environ.get("SMTP_HOST"):
        raise ConfigError("SMTP_HOST must be set to send e-mail (or MAIL_BACKEND=outbox to write it to files)")

    return {
        "BIBNET_ENV": env,
        "TESTING": env == "testing",
        "DEBUG": False,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MIGRATIONS_DATABASE_URL": migrations_database_url,  # None: the app's own (SQLite, development)
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if database_url.startswith("postgresql") else {},
        # How many reverse proxies (TLS terminators) stand in front of the app; their X-Forwarded-* headers
        # then give the client's address (for the log-in rate limit) and https links in e-mails.
        "PROXY_HOPS": int(environ.get("PROXY_HOPS", "0")),
        # Sessions: signed cookie holding the user's session token (see accounts.models.User.get_id).
        "SESSION_COOKIE_NAME": "__Host-bibnet" if production else "bibnet",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(environ.get("SESSION_HOURS", "8"))),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "WTF_CSRF_CHECK_DEFAULT": False,  # bibnet.web.security.check_csrf decides, for pages and API alike
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # Log-in rate limit: in memory for one process, Redis for several (RATELIMIT_STORAGE_URI=redis://…).
        "RATELIMIT_STORAGE_URI": rate_limit_storage,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": environ.get("LOGIN_RATE_LIMIT", "5 per minute"),
        # Public forms without log-in (programme registration, surveys): sends per client address, and the
        # least time a person takes to fill one in (a bot sends at once). Tests fill forms faster than people.
        "PUBLIC_FORM_RATE_LIMIT": environ.get("PUBLIC_FORM_RATE_LIMIT", "20 per minute; 120 per hour"),
        # The address people reach BibNet at (https://bibnet.example.eu): links in mail sent by jobs, which have
        # no request to take the host from. Required in production; unset elsewhere, such mail goes without links.
        "PUBLIC_URL": public_url,
        "PUBLIC_FORM_MIN_SECONDS": int(environ.get("PUBLIC_FORM_MIN_SECONDS", "0" if env == "testing" else "3")),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # The hour of daily jobs (the morning digest); Riga and Vilnius keep the same time.
        "JOBS_TIMEZONE": environ.get("JOBS_TIMEZONE", "Europe/Riga"),
        "LOCALES": LOCALES,
        "STORAGE_BACKEND": storage_backend,
        "STORAGE_LOCAL_ROOT": environ.get("STORAGE_LOCAL_ROOT", str(instance / "files")),
        "S3_ENDPOINT_URL": environ.get("S3_ENDPOINT_URL") or None,
        "S3_BUCKET": environ.get("S3_BUCKET", ""),
        "S3_REGION": environ.get("S3_REGION", "eu-north-1"),
        "S3_ACCESS_KEY_ID": environ.get("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": environ.get("S3_SECRET_ACCESS_KEY") or None,
        "S3_PRESIGN_SECONDS": int(environ.get("S3_PRESIGN_SECONDS", "60")),
        "MAIL_BACKEND": mail_backend,
        "MAIL_OUTBOX": environ.get("MAIL_OUTBOX", str(instance / "outbox")),
        "MAIL_FROM": environ.get("MAIL_FROM", "BibNet <no-reply@bibnet.example>"),
        "MAIL_MAX_ATTEMPTS": int(environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_SENT_RETENTION_DAYS": int(environ.get("MAIL_SENT_RETENTION_DAYS", "7")),
        # Notifications (their text names people) are deleted this many days after they were mailed.
        "NOTIFICATION_RETENTION_DAYS": int(environ.get("NOTIFICATION_RETENTION_DAYS", "30")),
        "SMTP_HOST": environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(environ.get("SMTP_PORT", "587")),
        "SMTP_USERNAME": environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(environ.get("SMTP_STARTTLS"), True),
        # Organiser names and contacts of bookings are erased this many days after the last session; counts stay.
        "BOOKING_CONTACT_RETENTION_DAYS": int(environ.get("BOOKING_CONTACT_RETENTION_DAYS", "30")),
        # Training records of people who left a library are anonymised this many days after their last activity
        # there; the counts of past reports stay (bibnet.elearning.leavers).
        "ELEARNING_LEAVER_RETENTION_DAYS": int(environ.get("ELEARNING_LEAVER_RETENTION_DAYS", "365")),
        # Certificates of people who left are deleted this many days after they expired (or were issued, when
        # they never expire); until then /verify still answers for them (bibnet.elearning.certificates.retention).
        "ELEARNING_CERTIFICATE_RETENTION_DAYS": int(environ.get("ELEARNING_CERTIFICATE_RETENTION_DAYS", "1825")),
        "FEATURES": tuple(
            name for name in environ.get("BIBNET_FEATURES", "bibnet.tenants,bibnet.elearning").split(",") if name
        ),
        # flask-smorest: the OpenAPI document at /api/v1/openapi.json and no UI page (it would load a CDN).
        "API_TITLE": "BibNet API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "BOOTSTRAP_SERVE_LOCAL": True,
    }
