"""GET /api/v1/shipments/{id}/trace/: a shipment's cocoa back to the families and plots it came from."""

import datetime
from decimal import Decimal

import pytest

from certifications.models import Standard
from cooperatives import roles
from cooperatives.services import partner_key_issue
from exports.services import lot_allocate
from plots.models import Plot
from tests import factories


@pytest.fixture
def shipment(coop):
    """One lot of two purchases: Rosa's dry cocoa from two plots, Juan's wet cocoa from one."""
    rosa = factories.ProducerFactory(cooperative=coop, code="S-0001", first_name="Rosa", last_name="Tapullima")
    juan = factories.ProducerFactory(cooperative=coop, code="S-0002", first_name="Juan", last_name="Sangama")
    mapped = factories.PlotFactory(producer=rosa, code="P-001", name="La Loma")
    unmapped = factories.PlotFactory(
        producer=rosa,
        code="P-002",
        name="El Bajo",
        geometry=None,
        measured_area_ha=None,
        conversion_start=datetime.date(2025, 1, 1),
        deforestation_result="",
        deforestation_method="",
        deforestation_assessed_on=None,
    )
    juans = factories.PlotFactory(producer=juan, code="P-003", name="Alto", conversion_start=None)
    certificate = factories.CertificateFactory(cooperative=coop, number="CU-PE-000001")
    factories.CoveredPlotFactory(certificate=certificate, plot=mapped)
    factories.CoveredPlotFactory(certificate=certificate, plot=unmapped, excluded_on=datetime.date(2026, 6, 1))
    dry = factories.DeliveryFactory(producer=rosa, plots=[mapped, unmapped], receipt_number="R-1", net_kg=300)
    dry.certified_standards.set(Standard.objects.filter(code="eu-organic"))
    wet = factories.DeliveryFactory(
        producer=juan, plots=[juans], receipt_number="R-2", state="wet", net_kg=270, moisture_pct=None
    )
    lot = factories.LotFactory(cooperative=coop, code="L-2026-001", eudr_segregated=False, fairtrade_mode="")
    lot_allocate(lot=lot, delivery=dry, kg="200")
    lot_allocate(lot=lot, delivery=wet, kg="100")
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop)), number="EXP-1"
    )
    factories.ShipmentLotFactory(shipment=shipment, lot=lot, kg=Decimal("280"))
    return shipment


def plot_row(plot, conversion_status, certificates, geometry_type, deforestation_result, eudr_ready):
    return {
        "id": plot.pk,
        "code": plot.code,
        "name": plot.name,
        "declared_area_ha": "1.2000",
        "measured_area_ha": None if geometry_type is None else str(plot.measured_area_ha),
        "certification": {"conversion_status": conversion_status, "certificates": certificates},
        "eudr": {
            "has_geometry": geometry_type is not None,
            "geometry_type": geometry_type,
            "deforestation_result": deforestation_result,
            "eudr_ready": eudr_ready,
        },
    }


def test_the_trace_follows_lots_allocations_deliveries_families_and_plots_with_their_kg(api, manager, shipment):
    lot = shipment.lots.get()
    dry_allocation, wet_allocation = lot.allocations.order_by("delivery__receipt_number")
    dry, wet = dry_allocation.delivery, wet_allocation.delivery
    mapped, unmapped, juans = Plot.objects.order_by("code")
    certificate = mapped.covered_by.get().certificate

    response = api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace/")

    assert response.status_code == 200
    covering = [{"id": certificate.pk, "standard": "eu-organic", "number": "CU-PE-000001"}]
    assert response.json() == {
        "id": shipment.pk,
        "number": "EXP-1",
        "departure_date": "2026-09-01",
        "net_kg": "12500.00",
        "lots": [
            {
                "id": lot.pk,
                "code": "L-2026-001",
                "kg": "280.00",
                "eudr_segregated": False,
                "fairtrade_mode": "",
                "allocations": [
                    {
                        "id": dry_allocation.pk,
                        "kg": "200.00",
                        "delivery": {
                            "id": dry.pk,
                            "receipt_number": "R-1",
                            "date": "2026-06-15",
                            "state": "dry",
                            "net_kg": "300.00",
                            "dry_kg": "300.00",
                            "organic_status": "conventional",
                            "certified_standards": ["eu-organic"],
                            "producer": {
                                "id": dry.producer_id,
                                "code": "S-0001",
                                "first_name": "Rosa",
                                "last_name": "Tapullima",
                                "dni": dry.producer.dni,
                            },
                            "plots": [
                                plot_row(mapped, "organic", covering, "Polygon", "not_deforested", True),
                                # Excluded from the certificate on 1 June, before this delivery.
                                plot_row(unmapped, "conversion_2", [], None, "", False),
                            ],
                        },
                    },
                    {
                        "id": wet_allocation.pk,
                        "kg": "100.00",
                        "delivery": {
                            "id": wet.pk,
                            "receipt_number": "R-2",
                            "date": "2026-06-15",
                            "state": "wet",
                            "net_kg": "270.00",
                            "dry_kg": "100.00",
                            "organic_status": "conventional",
                            "certified_standards": [],
                            "producer": {
                                "id": wet.producer_id,
                                "code": "S-0002",
                                "first_name": "Juan",
                                "last_name": "Sangama",
                                "dni": wet.producer.dni,
                            },
                            "plots": [plot_row(juans, "conventional", [], "Polygon", "not_deforested", True)],
                        },
                    },
                ],
            }
        ],
    }


def test_a_partner_sees_the_trace_without_the_families_dni(api, partner, shipment):
    response = api(partner).get(f"/api/v1/shipments/{shipment.pk}/trace/")

    assert response.status_code == 200
    producers = [a["delivery"]["producer"] for a in response.json()["lots"][0]["allocations"]]
    assert [sorted(p) for p in producers] == [["code", "first_name", "id", "last_name"]] * 2


def test_a_key_allowed_personal_data_sees_the_families_dni(client, coop, shipment):
    _row, key = partner_key_issue(name="Importer", cooperatives=[coop], personal_data=True)

    response = client.get(f"/api/v1/shipments/{shipment.pk}/trace/", HTTP_AUTHORIZATION=f"Api-Key {key}")

    assert response.status_code == 200
    producer = response.json()["lots"][0]["allocations"][0]["delivery"]["producer"]
    assert producer["dni"] == shipment.lots.get().allocations.order_by("id").first().delivery.producer.dni


def test_the_trace_of_another_cooperatives_shipment_is_not_there(api, other_coop, shipment):
    outsider = factories.staff_for(other_coop, roles.MANAGER)

    response = api(outsider).get(f"/api/v1/shipments/{shipment.pk}/trace/")

    assert response.status_code == 404


def build_shipment(coop, lots, deliveries_per_lot):
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )
    certificate = factories.CertificateFactory(cooperative=coop)
    for _ in range(lots):
        lot = factories.LotFactory(cooperative=coop)
        for _ in range(deliveries_per_lot):
            plot = factories.PlotFactory(producer=factories.ProducerFactory(cooperative=coop))
            factories.CoveredPlotFactory(certificate=certificate, plot=plot)
            delivery = factories.DeliveryFactory(producer=plot.producer, plots=[plot])
            delivery.certified_standards.set(Standard.objects.filter(code="eu-organic"))
            lot_allocate(lot=lot, delivery=delivery, kg="10")
        factories.ShipmentLotFactory(shipment=shipment, lot=lot, kg=Decimal("10") * deliveries_per_lot)
    return shipment


@pytest.mark.parametrize(("lots", "deliveries_per_lot"), [(1, 1), (4, 6)])
def test_a_trace_costs_the_same_queries_whatever_the_shipments_size(
    api, manager, coop, lots, deliveries_per_lot, django_assert_max_num_queries
):
    shipment = build_shipment(coop, lots, deliveries_per_lot)
    client = api(manager)
    client.get(f"/api/v1/shipments/{shipment.pk}/")

    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/shipments/{shipment.pk}/trace/")

    allocations = [a for lot in response.json()["lots"] for a in lot["allocations"]]
    assert len(allocations) == lots * deliveries_per_lot
