"""The import templates' example rows are written in Spanish, as their headers are and as a cooperative types them."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_families_template_gives_its_example_familys_status_in_spanish(client, coop, manager):
    client.force_login(manager)

    header, example = rows(client.get(reverse("producer_import_template", args=[coop.code, "csv"])))

    assert dict(zip(header, example, strict=True))["Estado"] == "activo"


def test_the_plots_template_gives_its_example_plots_tenure_in_spanish(client, coop, manager):
    client.force_login(manager)

    header, example = rows(client.get(reverse("plot_import_template", args=[coop.code, "csv"])))

    assert dict(zip(header, example, strict=True))["Tenencia"] == "posesión"
