"""Django settings for machiplan, read from the environment.

All state lives in one data folder: ``MACHIPLAN_DATA_DIR`` if set, else the
platform's per-user data folder (``~/.local/share/machiplan`` on Linux). It
holds the SQLite database and the secret key generated for this installation.
``MACHIPLAN_DATABASE_URL`` (e.g. ``postgresql://user:pass@host:5432/machiplan``)
moves the database to PostgreSQL.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import stat
from pathlib import Path

import dj_database_url
import platformdirs

from machiplan.domain.errors import MachiplanError

BASE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The data folder, readable by this installation's user only (0700), as are the files in it (0600)."""
    path = Path(os.environ.get("MACHIPLAN_DATA_DIR") or platformdirs.user_data_dir("machiplan"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    private(path)
    return path


def private(path: Path, *, create: bool = False) -> None:
    """Make a folder 0700 or a file 0600 (``create``: an empty file, if missing), tightening one made before.

    The data folder holds live session keys and password hashes: no other local user reads them.
    """
    if create and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if not path.exists():
        return
    mode = 0o700 if path.is_dir() else 0o600
    if stat.S_IMODE(path.stat().st_mode) != mode:
        try:
            path.chmod(mode)
        except OSError as exc:
            raise MachiplanError(
                f"cannot make {path} readable by this user only (mode {mode:o}): {exc.strerror}; "
                "run machiplan as the folder's owner, or choose another MACHIPLAN_DATA_DIR"
            ) from None


def _secret_key(folder: Path) -> str:
    """One key per installation, made on first use and kept beside the database, never in the repo."""
    if os.environ.get("MACHIPLAN_SECRET_KEY"):
        return os.environ["MACHIPLAN_SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    private(path)
    return path.read_text().strip()


DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = os.environ.get("MACHIPLAN_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("MACHIPLAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]

INSTALLED_APPS = [
    # the admin without its autodiscovery at start-up: urls.py discovers the apps' admin modules
    # when the web app loads, and a command (load, report …) does not import them (0.2 s each)
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "machiplan.plans",
    "machiplan.reports",
    "machiplan.web",
    "machiplan.api",
    "machiplan.staff",
]

MIDDLEWARE = [
    "machiplan.web.request_id.request_id",  # first: every response and log line has its request's id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the WSGI server itself
    "machiplan.web.middleware.keep_public_pages",  # public pages, for the fast path (web/fast.py)
    "machiplan.web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "machiplan.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "machiplan.wsgi.application"

_database_url = os.environ.get("MACHIPLAN_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    # Made 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
    private(DATA_DIR / "machiplan.sqlite3", create=True)
    for _suffix in ("-wal", "-shm", "-journal"):
        private(DATA_DIR / f"machiplan.sqlite3{_suffix}")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "machiplan.sqlite3",
            # WAL lets readers go on while one writer works; IMMEDIATE avoids lock upgrades.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/staff/login/"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
# MACHIPLAN_SEPARATE_APPROVAL=1: a figure is approved by someone other than the person who entered it.
MACHIPLAN_SEPARATE_APPROVAL = os.environ.get("MACHIPLAN_SEPARATE_APPROVAL", "") == "1"
# Sign-in attempts allowed per user name and per address before a pause.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60


def _trusted_proxies(text: str) -> list[str]:
    """The reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated."""
    proxies = [item.strip() for item in text.split(",") if item.strip()]
    for item in proxies:
        try:
            ipaddress.ip_network(item)
        except ValueError:
            raise MachiplanError(
                f"{item!r} is not an IP address or network (e.g. 127.0.0.1,::1 or 10.0.0.0/8)",
                where="MACHIPLAN_TRUSTED_PROXIES",
            ) from None
    return proxies


# MACHIPLAN_TRUSTED_PROXIES: none by default, so the address counted is the socket's.
TRUSTED_PROXIES = _trusted_proxies(os.environ.get("MACHIPLAN_TRUSTED_PROXIES", ""))

# Warnings and errors to stderr (which `machiplan serve` keeps), each line with its request's id;
# an unhandled error in a request is logged with its traceback. 4xx answers are in the access log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "machiplan.web.request_id.RequestIdFilter"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"}
    },
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"level": "ERROR"},
        "machiplan": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by `machiplan serve` (collectstatic)
STATIC_ROOT.mkdir(exist_ok=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Behind HTTPS (MACHIPLAN_HTTPS=1, usually a reverse proxy): secure cookies, HSTS, redirects.
HTTPS = os.environ.get("MACHIPLAN_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MACHIPLAN_TRUSTED_ORIGINS", "").split(",") if o]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
