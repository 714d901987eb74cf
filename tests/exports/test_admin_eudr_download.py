"""The admin's action "Download the EUDR geolocation file" on shipments, lots and cooperatives."""

import json
from decimal import Decimal

import pytest

from cooperatives.models import Cooperative
from exports.models import Lot, Shipment
from exports.services import lot_allocate
from tests import factories
from tests.admin_helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coop, other_coop):
    """Rosa's La Loma in a lot and its shipment; Juan's El Bajo only in the cooperative; a neighbour's plot."""
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
    la_loma = factories.PlotFactory(producer=rosa, code="P-001", name="La Loma")
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan", last_name="Sangama")
    factories.PlotFactory(producer=juan, code="P-002", name="El Bajo")
    factories.PlotFactory(producer__cooperative=other_coop, code="P-900", name="Vecina")
    lot = factories.LotFactory(cooperative=coop)
    lot_allocate(lot=lot, delivery=factories.DeliveryFactory(producer=rosa, plots=[la_loma]), kg="200")
    shipment = factories.ShipmentFactory(contract__buyer__cooperative=coop)
    factories.ShipmentLotFactory(shipment=shipment, lot=lot, kg=Decimal("200"))
    return {Lot: lot, Shipment: shipment, Cooperative: coop}


def download(client, model, *rows):
    return client.post(url(model, "changelist"), {"action": "download_eudr", "_selected_action": [r.pk for r in rows]})


def geojson(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(b"".join(response.streaming_content))


def places(collection):
    return sorted(feature["properties"]["ProductionPlace"] for feature in collection["features"])


@pytest.mark.parametrize(
    ("model", "filename", "expected"),
    [
        (Shipment, "eudr-{pk}-1.geojson", ["P-001 La Loma"]),
        (Lot, "eudr-lot-{pk}-1.geojson", ["P-001 La Loma"]),
        (Cooperative, "eudr-{code}-1.geojson", ["P-001 La Loma", "P-002 El Bajo"]),
    ],
)
def test_a_manager_downloads_the_eudr_file_of_the_one_row_chosen(client, manager, world, model, filename, expected):
    row = world[model]
    client.force_login(manager)

    response = download(client, model, row)

    collection = geojson(response)
    name = filename.format(pk=row.pk, code=getattr(row, "code", ""))
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert collection["type"] == "FeatureCollection"
    assert places(collection) == expected
    names = sorted(feature["properties"]["ProducerName"] for feature in collection["features"])
    assert names == (["Rosa Tapullima"] if model is not Cooperative else ["Juan Sangama", "Rosa Tapullima"])


def test_choosing_two_lots_is_refused_with_a_message_and_no_file(client, coop, manager, world):
    client.force_login(manager)

    response = download(client, Lot, world[Lot], factories.LotFactory(cooperative=coop))

    assert response.status_code == 302
    assert response.streaming is False
    page = client.get(url(Lot, "changelist"))
    assert "Choose one row to download its EUDR geolocation file." in page.content.decode()


def test_another_cooperatives_lot_gives_no_file(client, other_manager, world):
    client.force_login(other_manager)

    response = download(client, Lot, world[Lot])

    assert response.status_code == 302
    assert response.streaming is False
    assert "Choose one row to download" in client.get(url(Lot, "changelist")).content.decode()


def test_a_lot_without_a_mapped_plot_is_said_to_have_no_file(client, coop, manager):
    unmapped = factories.PlotFactory(producer__cooperative=coop, code="P-003", geometry=None, measured_area_ha=None)
    lot = factories.LotFactory(cooperative=coop, code="L-SIN-MAPA", eudr_segregated=False)
    lot_allocate(lot=lot, delivery=factories.DeliveryFactory(producer=unmapped.producer, plots=[unmapped]), kg="10")
    client.force_login(manager)

    response = download(client, Lot, lot)

    assert response.status_code == 302
    assert (
        "L-SIN-MAPA has no plot mapped as the EU requires: there is no EUDR geolocation file to download."
        in client.get(url(Lot, "changelist")).content.decode()
    )


def test_a_partner_in_the_admin_gets_pseudonyms(client, coop, partner, world):
    client.force_login(partner)

    collection = geojson(download(client, Cooperative, coop))

    names = [feature["properties"]["ProducerName"] for feature in collection["features"]]
    assert len(names) == 2
    assert all(name.startswith(f"{coop.code}-") for name in names)
