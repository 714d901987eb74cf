"""Malformed input to the pages answers with the form's errors (or 4xx) and a message, and writes nothing.

The plot editor's geometry and GPS file take JSON; every page form takes what an attacker sends: JSON nested
50,000 deep, numbers beyond any column (1e400, 10**30), text far over its field's length, a lone
surrogate's bytes, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413, a page that says so).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certifications.models import ExternalSample, Inspection, InspectionCampaign, NonConformity
from cooperatives import roles
from cooperatives.models import Cooperative
from harvests.models import Delivery
from plots.models import Plot
from producers.models import Producer
from tests import factories
from tests.cooperatives.test_api_permission_matrix import build_world
from tests.malformed import field_names, malformed_post_failures

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
WORLD = {"type": "Polygon", "coordinates": [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]]}
# What says a form was refused, on the pages and in the admin.


@pytest.fixture
def producer(coop):
    return factories.ProducerFactory(cooperative=coop)


@pytest.fixture
def client(manager):
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(manager)
    return client


def plot_form(**changes):
    return {"code": "P-0900", "crop": "cocoa", "declared_area_ha": "1.2", "tenure": "possession",
            "district": factories.CHAZUTA, **changes}  # fmt: skip


def create_plot(client, coop, producer, data):
    return client.post(reverse("plot_create", args=[coop.code, producer.pk]), data)


def test_the_plot_editor_refuses_geometry_nested_50000_deep_with_a_form_error(client, coop, producer):
    response = create_plot(client, coop, producer, plot_form(geometry=DEEP))

    assert response.status_code == 200
    assert "This GeoJSON text nests more than 32 levels deep; a plot&#x27;s shape needs 6 at most." in response.text
    assert Plot.objects.count() == 0


def test_the_plot_editor_refuses_a_gps_file_nested_50000_deep(client, coop, producer):
    upload = SimpleUploadedFile("walk.geojson", b'{"type": "Feature", "geometry": ' + DEEP.encode() + b"}")

    response = create_plot(client, coop, producer, plot_form(gps_file=upload))

    assert response.status_code == 200
    assert (
        "The GeoJSON file walk.geojson nests more than 32 levels deep; a GPS or phone app writes 6 at most."
        in response.text
    )
    assert Plot.objects.count() == 0


def test_the_plot_editor_refuses_a_world_sized_polygon(client, coop, producer):
    response = create_plot(client, coop, producer, plot_form(geometry=json.dumps(WORLD)))

    assert response.status_code == 200
    assert "This shape encloses 283,326,252 ha; a plot is at most 100,000 ha." in response.text
    assert Plot.objects.count() == 0


def test_a_form_over_the_servers_limit_answers_413_with_a_readable_page(client, coop, producer, settings):
    settings.DEBUG = False

    response = create_plot(client, coop, producer, plot_form(name="a" * 3_000_000))

    assert response.status_code == 413
    assert "<h1>Too much sent at once</h1>" in response.text
    assert (
        "This request is larger than the 2.5 MB the server accepts: send fewer or smaller items at a time "
        "(files go as uploads, which may be larger). Nothing was saved."
    ) in response.text
    assert Plot.objects.count() == 0


# The walk: every page that takes a form, each malformed input once.

# The row that fills each URL parameter of a page, by the page's name.
ROWS = {
    ("producer_detail", "pk"): Producer,
    ("producer_update", "pk"): Producer,
    ("producer_status", "pk"): Producer,
    ("plot_create", "producer"): Producer,
    ("inspection_create", "producer"): Producer,
    ("plot_update", "pk"): Plot,
    ("delivery_receipt", "pk"): Delivery,
    ("inspection_detail", "pk"): Inspection,
    ("non_conformity_close", "pk"): Inspection,
    ("non_conformity_close", "non_conformity"): NonConformity,
    ("sanction_impose", "pk"): Inspection,
    ("approval_decide", "pk"): Inspection,
    ("campaign_detail", "pk"): InspectionCampaign,
    ("sample_detail", "pk"): ExternalSample,
}
# Not forms of the cooperative's data: signing out, changing language, signing in, a reset e-mail.
SKIPPED = {"logout", "set_language", "login", "password_reset", "password_reset_confirm", "favicon"}


def page_urls(world):
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in ("admin/", "api/v1/"):
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED:
                yield (f"{namespace}:" if namespace else "") + pattern.name, pattern.name, pattern.pattern

    for full_name, name, pattern in walk(get_resolver().url_patterns):
        kwargs = {}
        for parameter in pattern.regex.groupindex:
            if parameter == "code":
                kwargs["code"] = world[Cooperative].code
            elif (name, parameter) in ROWS:
                kwargs[parameter] = world[ROWS[name, parameter]].pk
            else:
                kwargs = None  # a file's token or format: no form
                break
        if kwargs is not None:
            yield reverse(full_name, kwargs=kwargs)


def test_every_page_form_answers_malformed_input_with_errors_writing_nothing():
    world = build_world(7_200_000)
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(factories.staff_for(world[Cooperative], roles.MANAGER))
    failures, forms = [], 0
    for url in page_urls(world):
        page = client.get(url)
        html = page.content.decode(errors="replace") if page.status_code == 200 and not page.streaming else ""
        names = field_names(html) if "<form" in html else []
        if not names:
            continue
        forms += 1
        failures += malformed_post_failures(client, url, html)
    assert forms >= 10
    assert failures == [], "\n".join(failures)
