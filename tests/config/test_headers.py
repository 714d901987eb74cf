"""Every answer carries the Content-Security-Policy and the Permissions-Policy: the pages, the admin, the API
and the static files. The browser test (tests/browser/test_content_security_policy.py) shows the pages
working under them."""

import re
from pathlib import Path

from django.urls import reverse

from tests import factories

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), geolocation=(self), "
    "gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=(), "
    "xr-spatial-tracking=()"
)
ROOT = Path(__file__).resolve().parents[2]


def nonce_of(response):
    """The nonce the Content-Security-Policy allows, and the nonces the page's elements carry."""
    allowed = re.findall(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    carried = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    return allowed, carried


def test_it_sends_both_policies_with_a_page(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["Permissions-Policy"] == PERMISSIONS


def test_it_sends_both_policies_with_a_page_of_the_site_to_a_manager(client, manager, coop):
    client.force_login(manager)

    response = client.get(reverse("dashboard", args=[coop.code]))

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["Permissions-Policy"] == PERMISSIONS
    assert "<script>" not in response.content.decode()


def test_it_allows_the_admins_inline_script_by_the_nonce_it_carries(client, superuser, coop):
    family = factories.ProducerFactory(cooperative=coop)
    client.force_login(superuser)

    response = client.get(reverse("admin:producers_producer_change", args=[family.pk]))

    assert response.status_code == 200
    allowed, carried = nonce_of(response)
    assert len(allowed) == 2  # script-src and style-src
    assert carried == {allowed[0]}
    assert response.headers["Content-Security-Policy"].replace(f" 'nonce-{allowed[0]}'", "") == POLICY
    assert response.headers["Permissions-Policy"] == PERMISSIONS


def test_it_gives_each_answer_a_nonce_of_its_own(client, superuser):
    client.force_login(superuser)

    first, _ = nonce_of(client.get(reverse("admin:index")))
    second, _ = nonce_of(client.get(reverse("admin:index")))

    assert len(first[0]) >= 22
    assert first[0] != second[0]


def test_it_sends_both_policies_with_the_api(client, manager):
    client.force_login(manager)

    answered = client.get("/api/v1/producers/", headers={"Accept": "application/json"})
    refused = client.__class__().get("/api/v1/producers/", headers={"Accept": "application/json"})

    assert (answered.status_code, refused.status_code) == (200, 401)
    for response in (answered, refused):
        assert response.headers["Content-Security-Policy"] == POLICY
        assert response.headers["Permissions-Policy"] == PERMISSIONS


DOCS_POLICY = (
    "default-src 'self'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'; worker-src 'self' blob:"
)


def test_the_api_docs_allow_inline_styles_and_swaggers_nonced_script(client, manager):
    client.force_login(manager)

    swagger = client.get(reverse("api:docs"))
    redoc = client.get(reverse("api:redoc"))

    allowed, carried = nonce_of(swagger)
    assert (swagger.status_code, redoc.status_code) == (200, 200)
    assert carried == set(allowed)
    assert swagger.headers["Content-Security-Policy"] == DOCS_POLICY.format(nonce=f" 'nonce-{allowed[0]}'")
    assert redoc.headers["Content-Security-Policy"] == DOCS_POLICY.format(nonce="")


def test_the_browsable_api_allows_inline_styles_and_its_json_keeps_the_sites_policy(client, manager):
    client.force_login(manager)

    page = client.get("/api/v1/producers/", headers={"Accept": "text/html"})
    answer = client.get("/api/v1/producers/", headers={"Accept": "application/json"})

    assert (page.status_code, page.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert page.headers["Content-Security-Policy"] == DOCS_POLICY.format(nonce="")
    assert (answer.status_code, answer.headers["Content-Security-Policy"]) == (200, POLICY)


def test_it_sends_both_policies_with_a_static_file(client):
    response = client.get("/static/minka/favicon.svg")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["Permissions-Policy"] == PERMISSIONS


# The PDF reports' templates, which WeasyPrint renders on the server: no browser reads them.
PDF_TEMPLATES = {"certifications/member_list_pdf.html", "exports/trace_report.html"}
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*csp_nonce_attr)(?![^>]*application/json)[^>]*>"
    r"|<style\b(?![^>]*csp_nonce_attr)|\sstyle=\""
)


def test_no_template_of_a_page_has_a_script_or_style_the_policy_would_refuse():
    """An inline <script> or <style>, or a style attribute, in Minka's templates is refused by the browser.
    The API docs' templates allow inline styles (config/csp.py)."""
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        name = template.relative_to(ROOT / "templates").as_posix()
        if name in PDF_TEMPLATES:
            continue
        text = template.read_text()
        if name.startswith("drf_spectacular/"):
            text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        found += [f"{name}: {match.group(0)}" for match in INLINE.finditer(text)]

    assert found == []
