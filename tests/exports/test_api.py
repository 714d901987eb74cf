"""Buyers, contracts, lots (allocated through exports.services) and shipments through /api/v1/."""

import datetime
from decimal import Decimal

import pytest

from certifications.models import Standard
from exports.models import Buyer, Contract, Lot, LotAllocation, Shipment
from exports.services import lot_allocate
from harvests.models import Delivery
from tests import factories
from tests.exports import certified


@pytest.fixture
def delivery(coop):
    plot = factories.PlotFactory(producer=factories.ProducerFactory(cooperative=coop))
    return factories.DeliveryFactory(producer=plot.producer, plots=[plot], net_kg=Decimal("300.00"))


def test_a_manager_creates_a_buyer_and_a_contract_in_the_buyers_cooperative(api, manager, coop):
    client = api(manager)
    buyer = client.post(
        "/api/v1/buyers/",
        {"cooperative": coop.pk, "name": "Cioccolato S.r.l.", "country": "IT", "eori": "IT00743110157"},
        format="json",
    )
    contract = client.post(
        "/api/v1/contracts/",
        {
            "buyer": buyer.json()["id"],
            "number": "C-2026-001",
            "signed_on": "2026-03-01",
            "quantity_kg": "12500.00",
            "price_usd_per_t": "8200.00",
            "standards": ["eu-organic", "fairtrade"],
        },
        format="json",
    )

    assert (buyer.status_code, contract.status_code) == (201, 201), (buyer.json(), contract.json())
    assert contract.json() == {
        "id": Contract.objects.get().pk,
        "cooperative": coop.pk,
        "buyer": Buyer.objects.get().pk,
        "number": "C-2026-001",
        "signed_on": "2026-03-01",
        "quantity_kg": "12500.00",
        "price_usd_per_t": "8200.00",
        "incoterm": "FOB",
        "standards": ["eu-organic", "fairtrade"],
        "delivery_from": None,
        "delivery_to": None,
        "modified": contract.json()["modified"],
    }


def test_a_buyer_with_contracts_cannot_be_deleted(api, manager, coop):
    contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))

    response = api(manager).delete(f"/api/v1/buyers/{contract.buyer_id}/")

    assert response.status_code == 409
    assert Buyer.objects.filter(pk=contract.buyer_id).exists() is True


def test_a_field_officer_and_a_partner_read_exports_but_cannot_write_them(api, field_officer, partner, coop):
    lot = factories.LotFactory(cooperative=coop)
    for user in (field_officer, partner):
        client = api(user)
        assert client.get(f"/api/v1/lots/{lot.pk}/").status_code == 200
        assert client.post("/api/v1/lots/", {"cooperative": coop.pk, "code": "L-X"}, format="json").status_code == 403
        assert client.post("/api/v1/buyers/", {}, format="json").status_code == 403
    assert Lot.objects.count() == 1


def test_an_auditor_does_not_see_commercial_data(api, auditor, coop):
    factories.BuyerFactory(cooperative=coop)

    assert api(auditor).get("/api/v1/buyers/").status_code == 403


@pytest.mark.parametrize("resource", ["buyers", "contracts", "lots", "shipments"])
def test_another_cooperatives_commercial_rows_are_not_there(api, manager, other_coop, resource):
    shipment = factories.ShipmentLotFactory(
        shipment=factories.ShipmentFactory(contract=factories.ContractFactory(buyer__cooperative=other_coop))
    ).shipment
    row = {"buyers": shipment.contract.buyer, "contracts": shipment.contract, "shipments": shipment}.get(
        resource, shipment.lots.first()
    )
    client = api(manager)

    assert client.get(f"/api/v1/{resource}/{row.pk}/").status_code == 404
    assert client.patch(f"/api/v1/{resource}/{row.pk}/", {}, format="json").status_code == 404
    assert client.delete(f"/api/v1/{resource}/{row.pk}/").status_code == 404
    assert client.get(f"/api/v1/{resource}/").json()["results"] == []


def test_allocating_a_delivery_to_a_lot_moves_its_kilograms(api, manager, coop, delivery):
    lot = factories.LotFactory(cooperative=coop)

    response = api(manager).post(
        f"/api/v1/lots/{lot.pk}/allocations/", {"delivery": delivery.pk, "kg": "200.00"}, format="json"
    )

    assert response.status_code == 201, response.json()
    allocation = LotAllocation.objects.get()
    assert response.json() == {"id": allocation.pk, "delivery": delivery.pk, "kg": "200.00"}
    delivery.refresh_from_db()
    lot.refresh_from_db()
    assert (delivery.allocated_kg, lot.production_start) == (Decimal("200.00"), delivery.date)


def test_over_allocating_a_delivery_is_refused_and_changes_nothing(api, manager, coop, delivery):
    lot_allocate(lot=factories.LotFactory(cooperative=coop), delivery=delivery, kg="250")
    lot = factories.LotFactory(cooperative=coop)

    response = api(manager).post(
        f"/api/v1/lots/{lot.pk}/allocations/", {"delivery": delivery.pk, "kg": "60"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "invalid",
                "detail": (
                    f"Delivery {delivery.receipt_number} has 50.00 dry kg left to allocate; 60.00 were asked for."
                ),
                "attr": "kg",
            }
        ],
    }
    delivery.refresh_from_db()
    assert (delivery.allocated_kg, lot.allocations.exists()) == (Decimal("250.00"), False)


def test_another_cooperatives_delivery_cannot_be_allocated(api, manager, coop, other_coop):
    theirs = factories.DeliveryFactory(producer=factories.ProducerFactory(cooperative=other_coop))
    lot = factories.LotFactory(cooperative=coop)

    response = api(manager).post(
        f"/api/v1/lots/{lot.pk}/allocations/", {"delivery": theirs.pk, "kg": "1"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "delivery"
    assert response.json()["errors"][0]["code"] == "does_not_exist"


def test_changing_and_removing_an_allocation_gives_kilograms_back(api, manager, coop, delivery):
    lot = factories.LotFactory(cooperative=coop)
    allocation = lot_allocate(lot=lot, delivery=delivery, kg="200")
    client = api(manager)

    changed = client.patch(f"/api/v1/lots/{lot.pk}/allocations/{allocation.pk}/", {"kg": "120"}, format="json")
    delivery.refresh_from_db()
    allocated_after_change = delivery.allocated_kg
    removed = client.delete(f"/api/v1/lots/{lot.pk}/allocations/{allocation.pk}/")

    assert changed.status_code == 200
    assert changed.json() == {"id": allocation.pk, "delivery": delivery.pk, "kg": "120.00"}
    assert allocated_after_change == Decimal("120.00")
    assert removed.status_code == 204
    delivery.refresh_from_db()
    assert (delivery.allocated_kg, LotAllocation.objects.exists()) == (Decimal("0.00"), False)


def test_deleting_a_lot_gives_its_kilograms_back_to_the_deliveries(api, manager, coop, delivery):
    lot = factories.LotFactory(cooperative=coop)
    lot_allocate(lot=lot, delivery=delivery, kg="200")

    response = api(manager).delete(f"/api/v1/lots/{lot.pk}/")

    assert response.status_code == 204
    assert Delivery.objects.get().allocated_kg == Decimal("0.00")


def test_a_field_officer_cannot_allocate(api, field_officer, coop, delivery):
    lot = factories.LotFactory(cooperative=coop)

    response = api(field_officer).post(
        f"/api/v1/lots/{lot.pk}/allocations/", {"delivery": delivery.pk, "kg": "1"}, format="json"
    )

    assert response.status_code == 403
    assert LotAllocation.objects.exists() is False


def test_a_manager_records_a_shipment_with_its_lots_and_containers(api, manager, coop):
    contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    # An organic lot of 12.5 t bought certified in 2026: the shipment may claim it.
    lot = factories.LotFactory(cooperative=coop)
    lot.standards.set([certified.standard("eu-organic")])
    lot_allocate(lot=lot, delivery=certified.buy(certified.certified_plot(coop), "12500"), kg="12500")
    body = {
        "contract": contract.pk,
        "number": "EXP-2026-001",
        "departure_date": "2026-09-01",
        "port_of_loading": "Callao",
        "destination_country": "IT",
        "bags": 200,
        "net_kg": "12500.00",
        "hs_code": "1801",
        "price_usd_per_t": "8200.00",
        "certifications_claimed": ["eu-organic"],
        "dds_reference": "",
        "lots": [{"lot": lot.pk, "kg": "12500.00"}],
        "containers": [{"number": "CSQU3054383", "seal": "PE-000123"}],
    }

    response = api(manager).post("/api/v1/shipments/", body, format="json")

    assert response.status_code == 201, response.json()
    shipment = Shipment.objects.get()
    assert response.json() == {
        **body,
        "id": shipment.pk,
        "cooperative": coop.pk,
        "buyer": contract.buyer_id,
        "lots": [{"id": shipment.shipment_lots.get().pk, **body["lots"][0]}],
        "containers": [{"id": shipment.containers.get().pk, **body["containers"][0]}],
        "modified": response.json()["modified"],
    }


def test_a_container_number_with_a_wrong_check_digit_is_refused(api, manager, coop):
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )

    response = api(manager).patch(
        f"/api/v1/shipments/{shipment.pk}/", {"containers": [{"number": "CSQU3054384"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "container_number",
            "detail": (
                "CSQU3054384 is not a valid container number (ISO 6346: 4 letters, 7 digits, last a check digit)."
            ),
            "attr": "containers.0.number",
        }
    ]
    assert shipment.containers.exists() is False


def test_lots_and_shipments_filter_as_documented(api, manager, coop):
    segregated = factories.LotFactory(cooperative=coop, fairtrade_mode="segregated")
    mixed = factories.LotFactory(cooperative=coop, eudr_segregated=False, fairtrade_mode="mass_balance")
    german = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop, country="DE"))
    to_italy = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )
    to_germany = factories.ShipmentFactory(contract=german, departure_date=datetime.date(2026, 11, 1))
    client = api(manager)

    def ids(url, query):
        response = client.get(url, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("/api/v1/lots/", {"eudr_segregated": "false"}) == [mixed.pk]
    assert ids("/api/v1/lots/", {"fairtrade_mode": "segregated"}) == [segregated.pk]
    assert ids("/api/v1/shipments/", {"buyer_country": "DE"}) == [to_germany.pk]
    assert ids("/api/v1/shipments/", {"contract": to_italy.contract_id}) == [to_italy.pk]
    assert ids("/api/v1/shipments/", {"departure_from": "2026-10-01"}) == [to_germany.pk]
    assert ids("/api/v1/shipments/", {"departure_to": "2026-10-01"}) == [to_italy.pk]
    assert ids("/api/v1/contracts/", {"buyer": german.buyer_id}) == [german.pk]
    assert ids("/api/v1/buyers/", {"country": "DE"}) == [german.buyer_id]


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("resource", ["buyers", "contracts", "lots", "shipments"])
def test_a_page_of_commercial_rows_costs_the_same_queries_whatever_its_size(
    api, manager, coop, delivery, resource, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        shipment_lot = factories.ShipmentLotFactory(
            shipment=factories.ShipmentFactory(contract=factories.ContractFactory(buyer__cooperative=coop))
        )
        factories.ContainerFactory(shipment=shipment_lot.shipment)
        shipment_lot.shipment.contract.standards.set(Standard.objects.filter(code="eu-organic"))
        factories.LotAllocationFactory(lot=shipment_lot.lot, delivery=delivery, kg=1)
    client = api(manager)
    client.get(f"/api/v1/{resource}/")

    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/{resource}/")

    assert response.json()["count"] == rows


def test_a_shipment_claiming_more_certified_kg_than_were_bought_is_refused_with_400(api, manager, coop):
    organic = factories.LotFactory(cooperative=coop)
    organic.standards.set([certified.standard("eu-organic")])
    lot_allocate(lot=organic, delivery=certified.buy(certified.certified_plot(coop), "1000"), kg="1000")
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop)), net_kg=Decimal("1200")
    )
    factories.ShipmentLotFactory(shipment=shipment, lot=organic, kg=Decimal("1000"))

    response = api(manager).patch(
        f"/api/v1/shipments/{shipment.pk}/", {"certifications_claimed": ["eu-organic"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "EU organic (Reg. 2018/848), season 2026: shipments would claim 1200.00 kg but only 1000.00 "
            "certified kg were bought (1000.00 kg left to sell).",
            "attr": "certifications_claimed",
        }
    ]
    assert shipment.certifications_claimed.exists() is False


def test_a_lot_claiming_a_standard_its_cocoa_lacks_is_refused_with_400(api, manager, coop, delivery):
    lot = factories.LotFactory(cooperative=coop)
    lot_allocate(lot=lot, delivery=delivery, kg="100")

    response = api(manager).patch(f"/api/v1/lots/{lot.pk}/", {"standards": ["eu-organic"]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "standards"
    assert lot.standards.exists() is False


def test_the_ledger_lists_the_callers_rows_only(api, partner, coop, other_coop):
    mine = factories.CertifiedBalanceFactory(cooperative=coop)
    factories.CertifiedBalanceFactory(cooperative=other_coop)

    response = api(partner).get("/api/v1/certified-balances/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert response.json()["results"][0]["standard"] == "fairtrade"
