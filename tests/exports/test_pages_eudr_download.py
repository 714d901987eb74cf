"""The cooperative's EUDR geolocation file, downloaded from its dashboard (/c/<code>/eudr.geojson)."""

import json

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plots(coop, other_coop):
    """Rosa's and Juan's mapped plots, an unmapped one of Juan's, and a neighbour's."""
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
    factories.PlotFactory(producer=rosa, code="P-001", name="La Loma")
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan", last_name="Sangama")
    factories.PlotFactory(producer=juan, code="P-002", name="El Bajo")
    factories.PlotFactory(producer=juan, code="P-003", geometry=None, measured_area_ha=None)
    factories.PlotFactory(producer__cooperative=other_coop, code="P-900", name="Vecina")


def geojson(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(b"".join(response.streaming_content))


def features(response):
    return sorted(
        (f["properties"]["ProductionPlace"], f["properties"]["ProducerName"]) for f in geojson(response)["features"]
    )


def test_the_manager_downloads_every_mapped_plot_of_the_cooperative_and_none_of_another(client, coop, manager, plots):
    client.force_login(manager)

    response = client.get(reverse("cooperative_eudr", args=[coop.code]))

    assert response["Content-Disposition"] == f'attachment; filename="eudr-{coop.code}-1.geojson"'
    assert features(response) == [("P-001 La Loma", "Rosa Tapullima"), ("P-002 El Bajo", "Juan Sangama")]


def test_the_dashboard_links_to_the_file_and_to_its_pseudonymised_copy(client, coop, manager, plots):
    client.force_login(manager)
    url = reverse("cooperative_eudr", args=[coop.code])

    page = client.get(reverse("dashboard", args=[coop.code])).content.decode()

    assert f'<a href="{url}" download>Download the EUDR geolocation file (GeoJSON)</a>' in page
    assert f'<a href="{url}?pseudonymise=1" download>' in page
    pseudonymised = features(client.get(url, {"pseudonymise": "1"}))
    assert [place for place, _name in pseudonymised] == ["P-001 La Loma", "P-002 El Bajo"]
    assert all(name.startswith(f"{coop.code}-") for _place, name in pseudonymised)


def test_a_dashboard_without_a_mapped_plot_offers_no_file(client, coop, manager):
    factories.PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)
    client.force_login(manager)

    page = client.get(reverse("dashboard", args=[coop.code]))
    download = client.get(reverse("cooperative_eudr", args=[coop.code]))

    assert page.status_code == 200
    assert reverse("cooperative_eudr", args=[coop.code]) not in page.content.decode()
    assert download.status_code == 404


@pytest.mark.parametrize("person", ["field_officer", "auditor", "superuser"])
def test_whoever_reads_the_dashboard_downloads_the_file(client, coop, plots, request, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(reverse("cooperative_eudr", args=[coop.code]))

    assert [place for place, _name in features(response)] == ["P-001 La Loma", "P-002 El Bajo"]


def test_a_partner_reads_the_api_not_the_page(client, coop, partner, plots):
    client.force_login(partner)

    assert client.get(reverse("cooperative_eudr", args=[coop.code])).status_code == 403


def test_another_cooperatives_file_is_not_found(client, coop, other_manager, plots):
    client.force_login(other_manager)

    assert client.get(reverse("cooperative_eudr", args=[coop.code])).status_code == 404


def test_a_stranger_is_asked_to_log_in(client, coop, plots):
    response = client.get(reverse("cooperative_eudr", args=[coop.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_part_that_is_not_a_number_is_refused(client, coop, manager, plots):
    client.force_login(manager)

    response = client.get(reverse("cooperative_eudr", args=[coop.code]), {"part": "two"})

    assert response.status_code == 400
    assert response.content.decode() == "Enter a whole number."
