"""The real settings, given the one value tests cannot do without.

Everything else comes from config.settings and the environment, exactly as in
production (DATABASE_URL selects PostgreSQL).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")

from config.settings import *  # noqa: F403

# Hashing a password properly takes a deliberate ~100 ms; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Pages render {% static %}; tests run without `collectstatic`, so without its manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
