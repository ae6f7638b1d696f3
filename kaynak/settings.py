"""Kaynak's one settings module: everything comes from environment variables.

With nothing set, Kaynak runs for development on an embedded SQLite database and an embedded
SQLite-backed task queue under ``var/``. ``KAYNAK_ENV=production`` switches on the secure profile
that passes ``manage.py check --deploy`` and refuses to start without a secret key.
Every variable is documented in the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Lets generic classes be written as ModelForm[Organisation] at run time, as mypy reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The variable's value; ``NAME_FILE`` names a file holding it (container secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {file_path!r}, which cannot be read ({exc.strerror})."
            ) from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name).strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: int) -> int:
    value = env(name).strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


KAYNAK_ENV = env("KAYNAK_ENV", "development").strip().lower()
if KAYNAK_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"KAYNAK_ENV must be 'development' or 'production', not {KAYNAK_ENV!r}."
    )
PRODUCTION = KAYNAK_ENV == "production"

VAR_DIR = Path(env("KAYNAK_VAR_DIR") or BASE_DIR / "var").resolve()


def _secret_key() -> str:
    value = env("KAYNAK_SECRET_KEY")
    if value:
        if PRODUCTION and len(value) < 50:
            raise ImproperlyConfigured(
                "KAYNAK_SECRET_KEY is too short for production: use at least 50 random characters."
            )
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            "KAYNAK_SECRET_KEY is required in production: set it to at least 50 random characters."
        )
    # Development: generate once and keep it, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("KAYNAK_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = envlist(
    "KAYNAK_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "KAYNAK_ALLOWED_HOSTS is required in production: list the site's host names, "
        "separated by commas."
    )
if PRODUCTION:
    # Health checks from inside the container or host call http://127.0.0.1:8000/healthz.
    ALLOWED_HOSTS += ["127.0.0.1", "localhost"]
SITE_URL = env("KAYNAK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

INSTALLED_APPS = [
    "kaynak.core",
    "kaynak.accounts",
    "kaynak.directory",
    "kaynak.ledger",
    "kaynak.programmes",
    "kaynak.radar",
    "kaynak.calls",
    "kaynak.school",
    "kaynak.festival",
    "kaynak.library",
    "kaynak.helpdesk",
    "kaynak.coaching",
    "kaynak.impact",
    "kaynak.portal",
    "kaynak.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "huey.contrib.djhuey",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kaynak.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kaynak.accounts.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "kaynak.urls"
WSGI_APPLICATION = "kaynak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kaynak" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaynak.portal.context_processors.center",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env("KAYNAK_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kaynak.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            "KAYNAK_DATABASE_URL is not a database URL Kaynak understands "
            "(use sqlite:///path or postgres://user:password@host:port/name)."
        ) from exc
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        name = config.get("NAME")
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
    elif engine not in {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"KAYNAK_DATABASE_URL names an unsupported database ({engine or 'none'}): "
            "Kaynak runs on SQLite or PostgreSQL."
        )
    config["TEST"] = {"NAME": None}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks: Django's django.tasks API, executed by huey.
REDIS_URL = env("KAYNAK_REDIS_URL")
# Several Kaynak sites may share one Redis; each needs a queue name of its own.
QUEUE_NAME = env("KAYNAK_QUEUE_NAME", "kaynak")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "KAYNAK_REDIS_URL must start with redis://, rediss:// or unix://."
        )
    HUEY: dict[str, Any] = {
        "name": QUEUE_NAME,
        "huey_class": "huey.RedisHuey",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "name": QUEUE_NAME,
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": False,
    }
# Crontabs in schedule.py are in the site's time zone (Django sets the process's TZ to it).
HUEY["utc"] = False
HUEY["consumer"] = {"workers": envint("KAYNAK_WORKER_THREADS", 2), "worker_type": "thread"}
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "OPTIONS": {"enqueue_on_commit": True},
    }
}

CACHES: dict[str, Any] = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# Funding radar: fetching from loopback addresses is refused (SSRF guard) except where this is
# set, for tests and a local demo only; never in production.
RADAR_ALLOW_LOOPBACK = envbool("KAYNAK_RADAR_ALLOW_LOOPBACK", False)
if PRODUCTION and RADAR_ALLOW_LOOPBACK:
    raise ImproperlyConfigured(
        "KAYNAK_RADAR_ALLOW_LOOPBACK must not be set in production: it lets the funding radar "
        "fetch addresses on this machine."
    )
# Support desk: the function that stores one received mail (the `kaynak mail-in` listener calls
# it), and an IMAP mailbox to fetch from instead (imaps://user:password@host/INBOX).
HELPDESK_MAIL_HANDLER = env("KAYNAK_HELPDESK_MAIL_HANDLER", "kaynak.helpdesk.services.receive_mail")
HELPDESK_IMAP_URL = env("KAYNAK_HELPDESK_IMAP_URL", "")
# How many fetches one scan runs at once (each host is still asked at most every 2 s).
RADAR_SCAN_CONCURRENCY = envint("KAYNAK_RADAR_SCAN_CONCURRENCY", 8)

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = (
    False if envbool("KAYNAK_DISABLE_RATE_LIMITS", False) else {}
)
ACCOUNT_ADAPTER = "kaynak.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("KAYNAK_MFA_ISSUER", "Kaynak")

# E-mail
_email_url = env("KAYNAK_EMAIL_URL")
if PRODUCTION and not _email_url:
    raise ImproperlyConfigured(
        "KAYNAK_EMAIL_URL is required in production: Kaynak sends sign-up and password e-mails "
        "(use smtp://user:password@host:587?tls=True or smtps://…)."
    )
_email_scheme = (_email_url or "console://").split(":", 1)[0].lower()
if _email_scheme not in dj_email_url.SCHEMES:
    raise ImproperlyConfigured(
        f"KAYNAK_EMAIL_URL has an unknown scheme {_email_scheme!r}: use smtp://, smtps://, "
        "submission:// (STARTTLS) or console://."
    )
_email = dj_email_url.parse(_email_url or "console://")
_mail_options: dict[str, Any] = {}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    _mail_options = {
        "host": _email["EMAIL_HOST"] or "localhost",
        "port": _email["EMAIL_PORT"] or 25,
        "username": _email["EMAIL_HOST_USER"] or "",
        "password": _email["EMAIL_HOST_PASSWORD"] or "",
        "use_tls": bool(_email["EMAIL_USE_TLS"]),
        "use_ssl": bool(_email["EMAIL_USE_SSL"]),
        "timeout": 20,
    }
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("KAYNAK_DEFAULT_FROM_EMAIL", "Kaynak <kaynak@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: Turkish first, English complete.
LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kaynak" / "locale"]
USE_I18N = True
TIME_ZONE = env("KAYNAK_TIME_ZONE", "Europe/Istanbul")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("KAYNAK_MEDIA_ROOT") or VAR_DIR / "media").resolve()

# Security. A strict content security policy everywhere: scripts and styles only from this
# site (htmx is vendored), inline ones only with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # The library's videos, loaded only after a click (privacy-friendly players).
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("KAYNAK_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("KAYNAK_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

NINJA_PAGINATION_PER_PAGE = 50

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("KAYNAK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # huey's consumer adds a handler of its own; without this every line shows twice.
        "huey": {"handlers": [], "propagate": True},
        # WeasyPrint and fontTools narrate every PDF at INFO ("Step 2 - Fetching and parsing CSS").
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # httpx logs every request at INFO; the radar's scan report says what was fetched.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
