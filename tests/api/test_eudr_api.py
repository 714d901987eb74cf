"""GET /api/v1/shipments/{id}/eudr/: a buyer downloads the EU geolocation file of a shipment's plots."""

import json
from decimal import Decimal

import pytest

from cooperatives.services import partner_key_issue
from exports.services import lot_allocate
from plots import geometry as geo
from tests import factories

pytestmark = pytest.mark.django_db


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
