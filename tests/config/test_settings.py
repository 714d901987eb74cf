import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "x7Kp2-production-like-secret-key-with-enough-entropy-9aQ4mZ8vL1",
    "ALLOWED_HOSTS": "minka.example.org",
    "DEBUG": "off",
    "SECURE_HSTS_PRELOAD": "on",
}


def run_manage(*args, **env):
    # Start from a clean slate: the test settings set development values in os.environ, and the
    # browser tests allow the ORM inside Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE).
    leaked = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in leaked}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_secret_key_the_deployment_checklist_fails():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="off", ALLOWED_HOSTS="minka.example.org")

    assert result.returncode == 1
    assert "security.W009" in result.stderr


def test_without_a_secret_key_nothing_is_signed():
    result = run_manage(
        "shell",
        "-c",
        "from django.core import signing; signing.dumps('x')",
        DEBUG="off",
        ALLOWED_HOSTS="minka.example.org",
    )

    assert result.returncode == 1
    assert "The SECRET_KEY setting must not be empty." in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY="k" * 50)

    assert result.stdout.strip().splitlines()[-1] == "False"
