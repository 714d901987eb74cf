from decimal import Decimal

from exports.forms import LotAllocationFormSet
from exports.models import Container, Lot, LotAllocation, Shipment
from exports.services import lot_allocate
from harvests.models import Delivery
from tests import factories
from tests.admin_helpers import form_data, url


def _prefix(response, model):
    return next(f.formset.prefix for f in response.context["inline_admin_formsets"] if f.formset.model is model)


def _delivery(coop, kg="250.00"):
    plot = factories.PlotFactory(producer__cooperative=coop)
    return factories.DeliveryFactory(producer=plot.producer, plots=[plot], net_kg=Decimal(kg))


def _allocate(client, lot, rows):
    page = client.get(url(Lot, "change", lot.pk))
    data = form_data(page)
    prefix = _prefix(page, LotAllocation)
    initial = int(data[f"{prefix}-INITIAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(initial + len(rows))
    for i, (delivery, kg) in enumerate(rows, start=initial):
        data[f"{prefix}-{i}-delivery"] = str(delivery.pk)
        data[f"{prefix}-{i}-kg"] = kg
    return client.post(url(Lot, "change", lot.pk), data), prefix


def test_allocating_a_delivery_through_the_lot_admin_moves_its_kilograms(client, coop, manager):
    lot = factories.LotFactory(cooperative=coop)
    delivery = _delivery(coop)
    client.force_login(manager)

    response, _ = _allocate(client, lot, [(delivery, "100.00")])

    assert response.status_code == 302
    allocation = LotAllocation.objects.get(lot=lot)
    assert (allocation.delivery, allocation.kg, allocation.cooperative_id) == (delivery, Decimal("100.00"), coop.pk)
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("100.00")
    lot.refresh_from_db()
    assert lot.production_start == delivery.date


def test_allocating_more_kg_than_a_delivery_has_shows_an_error_and_changes_nothing(client, coop, manager):
    lot = factories.LotFactory(cooperative=coop)
    delivery = _delivery(coop, kg="250.00")
    client.force_login(manager)

    response, prefix = _allocate(client, lot, [(delivery, "300.00")])

    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    assert formset.forms[0].errors.as_data()["kg"][0].code == "over_allocated"
    assert LotAllocation.objects.count() == 0
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")


def test_raising_and_removing_allocations_in_the_lot_admin_gives_the_kilograms_back(client, coop, manager):
    lot = factories.LotFactory(cooperative=coop)
    first, second = _delivery(coop), _delivery(coop)
    lot_allocate(lot=lot, delivery=first, kg=Decimal("100"))
    lot_allocate(lot=lot, delivery=second, kg=Decimal("50"))
    client.force_login(manager)
    page = client.get(url(Lot, "change", lot.pk))
    data = form_data(page)
    prefix = _prefix(page, LotAllocation)
    rows = {data[f"{prefix}-{i}-delivery"]: i for i in range(2)}
    data[f"{prefix}-{rows[str(first.pk)]}-kg"] = "250.00"
    data[f"{prefix}-{rows[str(second.pk)]}-DELETE"] = "on"

    response = client.post(url(Lot, "change", lot.pk), data)

    assert response.status_code == 302
    assert list(LotAllocation.objects.values_list("delivery", "kg")) == [(first.pk, Decimal("250.00"))]
    assert dict(Delivery.objects.values_list("pk", "allocated_kg")) == {
        first.pk: Decimal("250.00"),
        second.pk: Decimal("0.00"),
    }


def test_raising_an_allocation_beyond_the_delivery_shows_an_error_and_changes_nothing(client, coop, manager):
    lot = factories.LotFactory(cooperative=coop)
    delivery = _delivery(coop)
    lot_allocate(lot=lot, delivery=delivery, kg=Decimal("200"))
    client.force_login(manager)
    page = client.get(url(Lot, "change", lot.pk))
    data = form_data(page)
    data[f"{_prefix(page, LotAllocation)}-0-kg"] = "260.00"

    response = client.post(url(Lot, "change", lot.pk), data)

    assert response.status_code == 200
    assert LotAllocation.objects.get().kg == Decimal("200.00")
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("200.00")


def test_a_delivery_from_unmapped_plots_cannot_enter_an_eudr_segregated_lot(client, coop, manager):
    lot = factories.LotFactory(cooperative=coop, eudr_segregated=True)
    plot = factories.PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)
    delivery = factories.DeliveryFactory(producer=plot.producer, plots=[plot])
    client.force_login(manager)

    response, prefix = _allocate(client, lot, [(delivery, "10.00")])

    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    assert list(formset.forms[0].errors) == ["delivery"]
    assert LotAllocation.objects.count() == 0


def test_another_cooperatives_delivery_cannot_be_allocated(client, coop, other_coop, manager):
    lot = factories.LotFactory(cooperative=coop)
    theirs = _delivery(other_coop)
    client.force_login(manager)

    response, prefix = _allocate(client, lot, [(theirs, "10.00")])

    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    assert list(formset.forms[0].errors) == ["delivery"]
    assert LotAllocation.objects.count() == 0
    theirs.refresh_from_db()
    assert theirs.allocated_kg == Decimal("0.00")


def test_a_container_added_to_a_shipment_takes_the_shipments_cooperative(client, coop, manager):
    shipment = factories.ShipmentFactory(contract__buyer__cooperative=coop)
    client.force_login(manager)
    page = client.get(url(Shipment, "change", shipment.pk))
    data = form_data(page)
    prefix = _prefix(page, Container)
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-number": "CSQU3054383", f"{prefix}-0-seal": "PE-1"})

    response = client.post(url(Shipment, "change", shipment.pk), data)

    assert response.status_code == 302
    assert Container.objects.get(shipment=shipment).cooperative_id == coop.pk


def test_when_another_officer_allocates_the_delivery_first_the_save_is_refused_whole_without_an_error_page(
    client, coop, manager, monkeypatch
):
    lot, rival_lot = factories.LotFactory(cooperative=coop), factories.LotFactory(cooperative=coop)
    delivery = _delivery(coop, kg="250.00")
    save = LotAllocationFormSet.save_through_services

    def after_the_rival(formset):
        # The other officer's allocation lands between this form's check and its save.
        lot_allocate(lot=rival_lot, delivery=delivery, kg="200")
        return save(formset)

    monkeypatch.setattr(LotAllocationFormSet, "save_through_services", after_the_rival)
    client.force_login(manager)

    response, _ = _allocate(client, lot, [(delivery, "100.00")])

    assert response.status_code == 302
    assert response["Location"] == url(Lot, "change", lot.pk)
    page = client.get(response["Location"])
    assert "Nothing was saved: " in page.content.decode()
    assert LotAllocation.objects.filter(lot=lot).count() == 0
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")
