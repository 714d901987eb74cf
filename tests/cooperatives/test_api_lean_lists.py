"""List pages are read as plain rows (cooperatives.api.lean) for speed: they must say exactly what the serializer says.

Every list endpoint of the router is read twice, with the plain-row reading on and off, by a
manager (who sees personal data) and by a partner (who does not), over a cooperative whose rows
use every kind of field: decimals, datetimes, GeoJSON, many-to-many lists, nested households.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from certifications.models import Standard
from certifications.services import sample_draw
from config.api import router
from cooperatives.api.lean import LeanListMixin
from plots.models import Plot
from tests import factories

LISTS = [basename for _prefix, viewset, basename in router.registry if issubclass(viewset, LeanListMixin)]
# The big collections, which must never fall back to the serializer.
ALWAYS_LEAN = {"producer", "plot", "delivery", "certificate", "lot"}


@pytest.fixture
def rich_cooperative(coop):
    family = factories.ProducerFactory(cooperative=coop, phone="+51942123456")
    factories.HouseholdMemberFactory.create_batch(2, producer=family)
    factories.HouseholdMemberFactory(producer=family, name="Ana", birth_year=2001)
    mapped = factories.PlotFactory(producer=family)
    point = factories.PlotFactory(
        producer=family,
        geometry={"type": "Point", "coordinates": [-76.1234567, -6.5712345]},
        conversion_start=datetime.date.today() - datetime.timedelta(days=400),
    )
    factories.PlotFactory(
        producer=family,
        geometry=None,
        measured_area_ha=None,
        conversion_start=None,
        deforestation_result=Plot.DeforestationResult.NOT_ASSESSED,
    )
    certificate = factories.CertificateFactory(cooperative=coop)
    factories.CoveredProducerFactory(certificate=certificate, producer=family)
    factories.CoveredPlotFactory(certificate=certificate, plot=mapped)
    inspection = factories.InspectionFactory(producer=family)
    factories.NonConformityFactory(inspection=inspection)
    campaign = factories.InspectionCampaignFactory(cooperative=coop)
    factories.CampaignAssignmentFactory(campaign=campaign, producer=family)
    factories.SanctionFactory(sanction_type__cooperative=coop, producer=family, inspection=inspection)
    factories.ApprovalDecisionFactory(producer=family, inspection=inspection)
    sample_draw(cooperative=coop, year=2026, standard=campaign.standard, seed=1, reason="Visita anual")
    delivery = factories.DeliveryFactory(producer=family, plots=[point, mapped], net_kg=Decimal("301.5"))
    delivery.certified_standards.set(Standard.objects.all())
    factories.DeliveryFactory(producer=family, plots=[], state="wet", notes="Baba, lluvia")
    factories.QualityAnalysisFactory(delivery=delivery)
    allocation = factories.LotAllocationFactory(
        lot=factories.LotFactory(cooperative=coop), delivery=delivery, kg=Decimal("100.25")
    )
    shipment = factories.ShipmentFactory(contract=factories.ContractFactory(buyer__cooperative=coop))
    factories.ShipmentLotFactory(shipment=shipment, lot=allocation.lot, kg=Decimal("100.25"))
    factories.ContainerFactory(shipment=shipment)
    approval = factories.ProjectApprovalFactory(project__plan__cooperative=coop, project__budget_usd=Decimal("2500.5"))
    factories.PremiumSpendingFactory(project=approval.project, amount_usd=Decimal("99.9"))
    factories.PremiumReceiptFactory(shipment=shipment, amount_usd=Decimal("1200.25"))
    factories.CertifiedBalanceFactory(cooperative=coop, lots_claimed_kg=Decimal("100.25"))
    return coop


@pytest.mark.parametrize("basename", LISTS)
@pytest.mark.parametrize("role", ["manager", "partner"])
def test_a_list_reads_the_same_as_rows_or_through_its_serializer(
    api, request, rich_cooperative, settings, basename, role
):
    client = api(request.getfixturevalue(role))
    url = reverse(f"api:{basename}-list")

    settings.MINKA_LEAN_LISTS = False
    through_serializer = client.get(url, {"page_size": 500})
    settings.MINKA_LEAN_LISTS = True
    as_rows = client.get(url, {"page_size": 500})

    assert through_serializer.status_code == as_rows.status_code == 200
    assert as_rows.json() == through_serializer.json()
    assert as_rows.json()["results"], f"{basename}: no rows to compare"


@pytest.mark.parametrize("basename", sorted(ALWAYS_LEAN))
def test_the_big_collections_are_read_as_rows(api, manager, rich_cooperative, basename):
    viewset = next(v for _p, v, b in router.registry if b == basename)
    api(manager).get(reverse(f"api:{basename}-list"))

    assert viewset._lean_plans and all(plan is not None for plan in viewset._lean_plans.values())
