"""Settings for the example. Everything that differs between your machine and AWS comes from the
environment: `lbuild serve` (and `lbuild manage` beside it) sets DATABASE_URL to the stack's Postgres;
on AWS the function's configuration sets it (and a real DJANGO_SECRET_KEY)."""
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent

# Only for local use: set DJANGO_SECRET_KEY in the function's environment on AWS.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-example-only")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
# The API Gateway front passes the client's Host; add your API's domain on AWS.
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"

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


def database_from_url(url):
    """DATABASES["default"] from a postgresql://user:password@host:port/name URL."""
    parsed = urlparse(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": parsed.port or 5432,
    }


# No made-up fallback (a local Postgres does not exist on Lambda). Without DATABASE_URL Django uses
# its dummy backend: commands that need no database (help, check) still run, and the first query
# fails with "settings.DATABASES is improperly configured".
DATABASE_URL = os.environ.get("DATABASE_URL")
DATABASES = {"default": database_from_url(DATABASE_URL)} if DATABASE_URL else {}
# Lambda may freeze an environment for minutes between requests: keep no connection open across
# requests that the database may have dropped meanwhile.
CONN_MAX_AGE = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# On AWS, `collectstatic` output goes to S3 behind CloudFront and STATIC_URL points there. Locally,
# .env sets DJANGO_SERVE_STATIC=1 and the function serves the admin's CSS itself (mysite/urls.py).
STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "/static/")
STATIC_ROOT = BASE_DIR / "staticfiles"
SERVE_STATIC = os.environ.get("DJANGO_SERVE_STATIC") == "1"
