"""GET /api/v1/{shipments,lots,cooperatives}/{id}/eudr/: the EU geolocation file of a shipment's, a lot's or a
cooperative's plots."""

import json
from decimal import Decimal

import pytest

from cooperatives.services import partner_key_issue
from exports.services import lot_allocate
from plots import geometry as geo
from tests import factories

pytestmark = pytest.mark.django_db

# The caller's cooperatives, groups and permissions, the object, whether the caller is a partner,
# then the plots in one query however many there are.
QUERIES_PER_FILE = 6


@pytest.fixture
def shipment(coop):
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
    la_loma = factories.PlotFactory(producer=rosa, code="P-001", name="La Loma")
    unmapped = factories.PlotFactory(producer=rosa, code="P-002", geometry=None, measured_area_ha=None)
    delivery = factories.DeliveryFactory(producer=rosa, plots=[la_loma, unmapped])
    # A lot not segregated for the EUDR may take cocoa from an unmapped plot (which the file leaves out).
    lot = factories.LotFactory(cooperative=coop, eudr_segregated=False)
    lot_allocate(lot=lot, delivery=delivery, kg="200")
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )
    factories.ShipmentLotFactory(shipment=shipment, lot=lot, kg=Decimal("200"))
    return shipment


def geojson(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(b"".join(response.streaming_content))


def test_a_manager_downloads_the_shipments_plots_in_the_eus_format(api, manager, shipment):
    collection = geojson(api(manager).get(f"/api/v1/shipments/{shipment.pk}/eudr/"))

    # The unmapped plot is left out; the mapped one carries exactly the EU's four properties.
    [feature] = collection["features"]
    assert feature["properties"] == {
        "ProducerName": "Rosa Tapullima",
        "ProducerCountry": "PE",
        "ProductionPlace": "P-001 La Loma",
        "Area": pytest.approx(1.227, abs=0.01),
    }
    assert geo.validate_for_eudr(feature["geometry"]) == feature["geometry"]


def test_a_partner_gets_pseudonyms_instead_of_the_familys_name(client, coop, shipment):
    _row, key = partner_key_issue(name="Buyer", cooperatives=[coop], scope="read")

    response = client.get(f"/api/v1/shipments/{shipment.pk}/eudr/", headers={"Authorization": f"Api-Key {key}"})

    [feature] = geojson(response)["features"]
    assert "Rosa" not in feature["properties"]["ProducerName"]
    assert feature["properties"]["ProducerName"].startswith(f"{coop.code}-")


def test_asking_for_a_file_that_is_not_there_answers_404_and_a_bad_part_400(api, manager, shipment):
    client = api(manager)

    assert client.get(f"/api/v1/shipments/{shipment.pk}/eudr/", {"part": 2}).status_code == 404
    refused = client.get(f"/api/v1/shipments/{shipment.pk}/eudr/", {"part": "second"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "part"


def test_another_cooperatives_shipment_is_not_there(api, other_manager, shipment):
    assert api(other_manager).get(f"/api/v1/shipments/{shipment.pk}/eudr/").status_code == 404


# A lot and a whole cooperative: the same file, through exports.eudr.eudr_file.


@pytest.fixture
def lot(coop, other_coop):
    """A lot of Rosa's cocoa from La Loma; Juan's plot is the cooperative's but not the lot's; a neighbour's plot."""
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
    la_loma = factories.PlotFactory(producer=rosa, code="P-001", name="La Loma")
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan", last_name="Sangama")
    factories.PlotFactory(producer=juan, code="P-002", name="El Bajo")
    factories.PlotFactory(producer__cooperative=other_coop, code="P-900", name="Vecina")
    lot = factories.LotFactory(cooperative=coop)
    lot_allocate(lot=lot, delivery=factories.DeliveryFactory(producer=rosa, plots=[la_loma]), kg="200")
    return lot


def places(collection):
    return sorted(feature["properties"]["ProductionPlace"] for feature in collection["features"])


def test_a_manager_downloads_the_plots_of_the_lot_and_no_other(api, manager, lot):
    response = api(manager).get(f"/api/v1/lots/{lot.pk}/eudr/")

    collection = geojson(response)
    assert response["Content-Disposition"] == f'attachment; filename="eudr-lot-{lot.pk}-1.geojson"'
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["properties"] == {
        "ProducerName": "Rosa Tapullima",
        "ProducerCountry": "PE",
        "ProductionPlace": "P-001 La Loma",
        "Area": pytest.approx(1.227, abs=0.01),
    }
    assert geo.validate_for_eudr(feature["geometry"]) == feature["geometry"]


def test_a_manager_downloads_every_plot_of_the_cooperative_and_none_of_another(api, manager, coop, lot):
    response = api(manager).get(f"/api/v1/cooperatives/{coop.pk}/eudr/")

    collection = geojson(response)
    assert response["Content-Disposition"] == f'attachment; filename="eudr-{coop.code}-1.geojson"'
    assert places(collection) == ["P-001 La Loma", "P-002 El Bajo"]
    assert sorted(f["properties"]["ProducerName"] for f in collection["features"]) == ["Juan Sangama", "Rosa Tapullima"]
    assert all(geo.validate_for_eudr(f["geometry"]) == f["geometry"] for f in collection["features"])


@pytest.mark.parametrize("resource", ["lots", "cooperatives"])
def test_another_cooperatives_lot_or_cooperative_is_not_there(api, other_manager, coop, lot, resource):
    pk = lot.pk if resource == "lots" else coop.pk

    response = api(other_manager).get(f"/api/v1/{resource}/{pk}/eudr/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("resource", ["lots", "cooperatives"])
def test_a_partner_gets_pseudonyms_for_a_lot_or_the_cooperative(api, partner, coop, lot, resource):
    pk = lot.pk if resource == "lots" else coop.pk

    collection = geojson(api(partner).get(f"/api/v1/{resource}/{pk}/eudr/", {"pseudonymise": "false"}))

    names = [feature["properties"]["ProducerName"] for feature in collection["features"]]
    assert names
    assert all(name.startswith(f"{coop.code}-") for name in names)
    assert not any("Rosa" in name or "Juan" in name for name in names)


def test_a_partner_key_gets_pseudonyms_for_the_cooperative(client, coop, lot):
    _row, key = partner_key_issue(name="Buyer", cooperatives=[coop], scope="read")

    response = client.get(f"/api/v1/cooperatives/{coop.pk}/eudr/", headers={"Authorization": f"Api-Key {key}"})

    names = [feature["properties"]["ProducerName"] for feature in geojson(response)["features"]]
    assert len(names) == 2
    assert all(name.startswith(f"{coop.code}-") for name in names)


def test_a_manager_who_asks_for_pseudonyms_gets_them(api, manager, coop, lot):
    collection = geojson(api(manager).get(f"/api/v1/cooperatives/{coop.pk}/eudr/", {"pseudonymise": "true"}))

    assert all(f["properties"]["ProducerName"].startswith(f"{coop.code}-") for f in collection["features"])


@pytest.mark.parametrize("resource", ["lots", "cooperatives"])
def test_a_part_that_is_not_there_answers_404_with_the_reason_and_a_bad_part_400(api, manager, coop, lot, resource):
    pk = lot.pk if resource == "lots" else coop.pk
    client = api(manager)

    missing = client.get(f"/api/v1/{resource}/{pk}/eudr/", {"part": 2})
    refused = client.get(f"/api/v1/{resource}/{pk}/eudr/", {"part": "0"})

    assert missing.status_code == 404
    assert missing.json()["errors"][0]["detail"] == (
        f"This {'lot' if resource == 'lots' else 'cooperative'}'s EUDR geolocation has no file 2."
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "part"


def test_a_lot_with_no_mapped_plot_has_no_file(api, manager, coop):
    unmapped = factories.PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)
    lot = factories.LotFactory(cooperative=coop, eudr_segregated=False)
    lot_allocate(lot=lot, delivery=factories.DeliveryFactory(producer=unmapped.producer, plots=[unmapped]), kg="10")

    response = api(manager).get(f"/api/v1/lots/{lot.pk}/eudr/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "This lot's EUDR geolocation has no file 1."


# Every role: auditors read the cooperative's certification data (its plots), not its lots.
ROLE_STATUS = {
    ("manager", "lots"): 200,
    ("manager", "cooperatives"): 200,
    ("field_officer", "lots"): 200,
    ("field_officer", "cooperatives"): 200,
    ("partner", "lots"): 200,
    ("partner", "cooperatives"): 200,
    ("auditor", "lots"): 403,
    ("auditor", "cooperatives"): 200,
    ("superuser", "lots"): 200,
    ("superuser", "cooperatives"): 200,
    ("other_manager", "lots"): 404,
    ("other_manager", "cooperatives"): 404,
}


@pytest.mark.parametrize(("role", "resource"), ROLE_STATUS)
def test_every_role_gets_the_lots_and_the_cooperatives_file_as_its_permissions_say(
    request, api, coop, lot, role, resource
):
    pk = lot.pk if resource == "lots" else coop.pk

    response = api(request.getfixturevalue(role)).get(f"/api/v1/{resource}/{pk}/eudr/")

    assert response.status_code == ROLE_STATUS[(role, resource)]
    if response.status_code == 200:
        assert places(geojson(response)) == (
            ["P-001 La Loma"] if resource == "lots" else ["P-001 La Loma", "P-002 El Bajo"]
        )


def test_an_anonymous_caller_gets_401(client, coop, lot):
    assert client.get(f"/api/v1/cooperatives/{coop.pk}/eudr/").status_code == 401
    assert client.get(f"/api/v1/lots/{lot.pk}/eudr/").status_code == 401


@pytest.mark.parametrize("resource", ["lots", "cooperatives"])
def test_the_file_costs_the_same_queries_whatever_the_number_of_plots(
    api, manager, coop, lot, resource, django_assert_max_num_queries
):
    for _n in range(30):
        plot = factories.PlotFactory(producer__cooperative=coop)
        lot_allocate(lot=lot, delivery=factories.DeliveryFactory(producer=plot.producer, plots=[plot]), kg="10")
    url = f"/api/v1/{resource}/{lot.pk if resource == 'lots' else coop.pk}/eudr/"
    # An earlier request fills the process's role cache; its file is read to the end, closing its cursor.
    geojson(api(manager).get(url))
    client = api(type(manager).objects.get(pk=manager.pk))

    with django_assert_max_num_queries(QUERIES_PER_FILE):
        collection = geojson(client.get(url))

    assert len(collection["features"]) == (31 if resource == "lots" else 32)
