"""A new user's first day, walked from the shell as the README tells it.

`make run` on a fresh clone sets up the embedded SQLite database, loads the demo, prints the logins
and serves; then the README's deploy steps run on that same database with production settings:
`collectstatic`, `check --deploy`, and gunicorn with DEBUG off serving a page, the static files
and the API. Each step runs in its own process with the environment a user has (no test settings),
so these tests fail wherever a user would.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# A machine loaded by CI's other work may take minutes to migrate and seed the demo.
SETUP_SECONDS = 900

pytestmark = pytest.mark.paths


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def users_environment(**values):
    """The shell of someone who cloned Minka: none of the test run's settings, only what they set."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "MINKA_", "PYTEST_"))
        and name not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "STATIC_ROOT"}
    }
    env.update(values)
    return env


class Browser:
    """Just enough of a browser over http.client: cookies kept by hand, so secure ones too."""

    def __init__(self, port, https=False):
        self.port, self.https, self.cookies = port, https, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.https:
            # What the README's HTTPS proxy sends in front of gunicorn: the scheme, and the client's address.
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = "203.0.113.7"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), content

    def log_in(self, username, password):
        status, _, page = self.request("GET", "/accounts/login/")
        assert status == 200, page[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        origin = f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"
        body = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        return self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + "/"},
        )

    def follow(self, location):
        return self.request("GET", urlsplit(location).path or "/")


def wait_until_it_answers(port, process, output, seconds=SETUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server stopped (exit {process.returncode}):\n{output.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(1)
    pytest.fail(f"Nothing answered on port {port} within {seconds} s:\n{output.read_text()[-3000:]}")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """`make run` on a fresh SQLite file: what it printed, and where the database is."""
    folder = tmp_path_factory.mktemp("first-day")
    database, output, port = folder / "db.sqlite3", folder / "make-run.log", free_port()
    env = users_environment(DATABASE_URL=f"sqlite:///{database}")
    with output.open("w") as log:
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_it_answers(port, process, output)
        browser = Browser(port)
        status, headers, _ = browser.log_in("gerente", "minka-demo")
        assert status == 302, output.read_text()[-3000:]
        dashboard = browser.follow(headers["Location"])
        while dashboard[0] == 302:
            dashboard = browser.follow(dashboard[1]["Location"])
    finally:
        stop(process)
    return {"database": database, "printed": output.read_text(), "dashboard": dashboard, "folder": folder}


def test_make_run_loads_the_demo_on_sqlite_prints_the_logins_and_serves_it(first_run):
    printed = first_run["printed"]

    assert "Created the demo cooperative Allima Cacao" in printed
    assert "200 families" in printed
    assert re.search(r"gerente\s+cooperative manager", printed)
    assert re.search(r"campo\s+field officer", printed)
    assert re.search(r"Authorization: Api-Key \S+", printed)
    assert first_run["database"].exists()
    status, _, page = first_run["dashboard"]
    assert status == 200
    assert "Allima Cacao" in page.decode()


@pytest.fixture(scope="module")
def production(first_run):
    """The README's deploy environment, on the database `make run` set up."""
    folder = first_run["folder"]
    port = free_port()
    return {
        "port": port,
        "key": re.search(r"Authorization: Api-Key (\S+)", first_run["printed"]).group(1),
        "static": folder / "staticfiles",
        "env": users_environment(
            DATABASE_URL=f"sqlite:///{first_run['database']}",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
            STATIC_ROOT=str(folder / "staticfiles"),
            NUM_PROXIES="1",
        ),
    }


def manage(production, *arguments):
    return subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=production["env"],
        capture_output=True,
        text=True,
        timeout=SETUP_SECONDS,
    )


@pytest.fixture(scope="module")
def collected(production):
    done = manage(production, "collectstatic", "--no-input")
    return done


def test_collectstatic_with_debug_off_collects_every_file_the_pages_name(collected, production):
    assert collected.returncode == 0, collected.stderr[-3000:]
    manifest = json.loads((production["static"] / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.js.map", "minka/minka.css"):
        assert name in manifest
        assert (production["static"] / manifest[name]).exists()


def test_check_deploy_passes_with_production_settings(production):
    done = manage(production, "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.fixture(scope="module")
def gunicorn(production, collected):
    assert collected.returncode == 0, collected.stderr[-3000:]
    output = production["static"].parent / "gunicorn.log"
    gunicorn = Path(PYTHON).parent / "gunicorn"
    with output.open("w") as log:
        process = subprocess.Popen(
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{production['port']}", "--workers", "2"],
            cwd=ROOT,
            env=production["env"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_it_answers(production["port"], process, output, seconds=120)
        yield production
    finally:
        stop(process)


def test_gunicorn_with_debug_off_serves_the_login_page_behind_https(gunicorn):
    status, headers, page = Browser(gunicorn["port"], https=True).request("GET", "/accounts/login/")

    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert re.search(r'href="/static/minka/minka\.[0-9a-f]{12}\.css"', page.decode())


def test_gunicorn_sends_plain_http_to_https(gunicorn):
    status, headers, _ = Browser(gunicorn["port"]).request("GET", "/accounts/login/")

    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{gunicorn['port']}/accounts/login/"


def test_gunicorn_serves_a_vendored_file_from_the_collected_static_files(gunicorn):
    manifest = json.loads((gunicorn["static"] / "staticfiles.json").read_text())["paths"]

    status, headers, content = Browser(gunicorn["port"], https=True).request(
        "GET", "/static/" + manifest["vendor/leaflet/leaflet.js"]
    )

    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert content.startswith(b"/* @preserve\n * Leaflet 1.9.4")
    assert "max-age=315360000" in headers["Cache-Control"]


def test_a_manager_logs_in_and_opens_the_dashboard_with_debug_off(gunicorn):
    browser = Browser(gunicorn["port"], https=True)

    status, headers, _ = browser.log_in("gerente", "minka-demo")
    assert status == 302
    status, headers, page = browser.follow(headers["Location"])
    while status == 302:
        status, headers, page = browser.follow(headers["Location"])

    assert status == 200
    assert "Allima Cacao" in page.decode()


def test_a_partner_reads_the_api_with_the_demo_key_with_debug_off(gunicorn):
    status, _, content = Browser(gunicorn["port"], https=True).request(
        "GET", "/api/v1/producers/", headers={"Authorization": f"Api-Key {gunicorn['key']}"}
    )

    assert status == 200
    assert json.loads(content)["count"] == 200
