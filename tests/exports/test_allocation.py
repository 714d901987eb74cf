"""A lot never takes more cocoa from a delivery than it brought (DOMAIN.md, lots)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from exports.models import LotAllocation
from exports.services import allocation_change, allocation_remove, lot_allocate
from harvests.models import Delivery
from tests.factories import DeliveryFactory, LotFactory, PlotFactory


@pytest.fixture
def delivery(db):
    plot = PlotFactory()
    return DeliveryFactory(producer=plot.producer, plots=[plot], net_kg=Decimal("300.00"))


def test_allocating_part_of_a_delivery_leaves_the_rest_for_other_lots(delivery):
    first, second = LotFactory(cooperative=delivery.cooperative), LotFactory(cooperative=delivery.cooperative)

    lot_allocate(lot=first, delivery=delivery, kg="200")
    lot_allocate(lot=second, delivery=delivery, kg="100")

    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("300.00")
    assert first.production_start == delivery.date
    assert first.production_end == delivery.date


def test_a_delivery_filled_exactly_in_two_lots_is_accepted_on_either_database(db):
    """10.05 + 0.05 is a hair above 10.10 in binary floats, SQLite's decimals: the sum must still equal it."""
    plot = PlotFactory()
    delivery = DeliveryFactory(producer=plot.producer, plots=[plot], net_kg=Decimal("10.10"))
    lot = LotFactory(cooperative=delivery.cooperative)

    lot_allocate(lot=lot, delivery=delivery, kg="10.05")
    lot_allocate(lot=lot, delivery=delivery, kg="0.05")

    delivery.refresh_from_db()
    assert delivery.allocated_kg == delivery.dry_kg == Decimal("10.10")
    assert LotAllocation.objects.get(lot=lot).kg == Decimal("10.10")
    assert Delivery.objects.with_unallocated_kg().filter(pk=delivery.pk).exists() is False


def test_allocating_more_than_the_delivery_has_left_is_refused_and_changes_nothing(delivery):
    lot = LotFactory(cooperative=delivery.cooperative)
    lot_allocate(lot=lot, delivery=delivery, kg="250")

    with pytest.raises(ValidationError) as error:
        lot_allocate(lot=LotFactory(cooperative=delivery.cooperative), delivery=delivery, kg="60")

    assert error.value.message_dict["kg"] == [
        f"Delivery {delivery.receipt_number} has 50.00 dry kg left to allocate; 60 were asked for."
    ]
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("250.00")
    assert LotAllocation.objects.count() == 1


def test_a_wet_delivery_is_allocated_in_dry_kilograms(db):
    plot = PlotFactory()
    wet = DeliveryFactory(
        producer=plot.producer, plots=[plot], state=Delivery.State.WET, net_kg=Decimal("270"), moisture_pct=None
    )
    wet.refresh_from_db()
    assert wet.dry_kg == Decimal("100.00")

    with pytest.raises(ValidationError):
        lot_allocate(lot=LotFactory(cooperative=wet.cooperative), delivery=wet, kg="100.01")


def test_changing_and_removing_an_allocation_gives_the_kilograms_back(delivery):
    allocation = lot_allocate(lot=LotFactory(cooperative=delivery.cooperative), delivery=delivery, kg="200")

    allocation_change(allocation=allocation, kg="120")
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("120.00")

    allocation_remove(allocation=allocation)
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")
    assert LotAllocation.objects.count() == 0


def test_an_eudr_segregated_lot_refuses_cocoa_from_an_unassessed_plot(db):
    plot = PlotFactory(deforestation_result="", deforestation_method="", deforestation_assessed_on=None)
    delivery = DeliveryFactory(producer=plot.producer, plots=[plot])
    lot = LotFactory(cooperative=delivery.cooperative, eudr_segregated=True)

    with pytest.raises(ValidationError) as error:
        lot_allocate(lot=lot, delivery=delivery, kg="10")

    assert plot.code in error.value.message_dict["delivery"][0]
    assert LotAllocation.objects.count() == 0


def test_a_lot_cannot_take_a_delivery_of_another_cooperative(delivery):
    with pytest.raises(ValidationError) as error:
        lot_allocate(lot=LotFactory(), delivery=delivery, kg="10")

    assert error.value.message_dict["delivery"] == ["This delivery belongs to another cooperative."]


@pytest.mark.postgresql  # needs concurrent transactions (PostgreSQL)
# Committed transactions; the migrations' rows (districts, roles) come back after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_allocating_the_same_delivery_at_once_never_over_allocate():
    plot = PlotFactory()
    delivery = DeliveryFactory(producer=plot.producer, plots=[plot], net_kg=Decimal("300.00"))
    lots = [LotFactory(cooperative=delivery.cooperative) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def allocate(lot):
        try:
            barrier.wait()
            lot_allocate(lot=lot, delivery=delivery, kg="200")
            outcomes.append("allocated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate, args=(lot,)) for lot in lots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    delivery.refresh_from_db()
    assert sorted(outcomes) == ["allocated", "refused"]
    assert delivery.allocated_kg == Decimal("200.00")
    assert LotAllocation.objects.count() == 1
