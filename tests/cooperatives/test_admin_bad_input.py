"""Malformed input to the admin answers with the form's errors (or 4xx) and a message, and writes nothing."""

import json

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from plots.models import Plot
from tests import factories
from tests.cooperatives.test_api_permission_matrix import build_world
from tests.malformed import field_names, malformed_post_failures

pytestmark = pytest.mark.django_db

WORLD = {"type": "Polygon", "coordinates": [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]]}
EXPORT_REFUSED = (
    "The filters in the address do not fit this list, so nothing was exported. Filter the list and export again."
)


@pytest.fixture
def client(superuser):
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(superuser)
    return client


def test_an_export_with_a_filter_the_list_does_not_know_returns_to_the_list_with_a_message(client, coop):
    factories.ProducerFactory(cooperative=coop)

    response = client.get("/admin/producers/producer/export/?nosuchfield=1")

    assert response.status_code == 302
    assert response["Location"] == "/admin/producers/producer/?e=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert EXPORT_REFUSED in page.text


def test_an_export_with_a_filter_value_the_list_cannot_read_returns_to_the_list(client, coop):
    response = client.post("/admin/producers/producer/export/?entry_date__gte=someday", {"format": "0"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/producers/producer/?e=1"


def test_the_plot_admin_refuses_a_world_sized_polygon(client, coop):
    producer = factories.ProducerFactory(cooperative=coop)
    data = {"cooperative": coop.pk, "producer": producer.pk, "code": "P-0900", "district": factories.CHAZUTA,
            "tenure": "possession", "crop": "cocoa", "declared_area_ha": "1.2",
            "geometry": json.dumps(WORLD)}  # fmt: skip

    response = client.post(reverse("admin:plots_plot_add"), data)

    assert response.status_code == 200
    assert "This shape encloses 283,326,252 ha; a plot is at most 100,000 ha." in response.text
    assert Plot.objects.count() == 0


# The walk: every add form of the admin, each malformed input once.


def test_every_admin_add_form_answers_malformed_input_with_errors_writing_nothing(client):
    build_world(7_200_000)
    failures, forms = [], 0
    for model in admin.site._registry:
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        except NoReverseMatch:
            continue
        page = client.get(url)
        html = page.content.decode(errors="replace") if page.status_code == 200 and not page.streaming else ""
        names = field_names(html)
        if not names:
            continue
        forms += 1
        failures += malformed_post_failures(client, url, html)
    assert forms >= 20
    assert failures == [], "\n".join(failures)
