"""What the database itself refuses, whatever code writes the row (PostgreSQL and SQLite alike).

Each test writes past full_clean(), straight to the database, and expects the named
constraint to stop it. PostgreSQL names a check or unique constraint in its error;
SQLite names a check constraint but lists the columns of a unique one.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from certifications.models import Certificate
from exports.models import Lot
from harvests.models import CertifiedBalance, Delivery, QualityAnalysis
from producers.models import Producer
from tests.factories import (
    CertificateFactory,
    CertifiedBalanceFactory,
    CooperativeFactory,
    DeliveryFactory,
    LotFactory,
    ProducerFactory,
    QualityAnalysisFactory,
)

pytestmark = pytest.mark.django_db


def refused_by(constraint):
    return pytest.raises(IntegrityError, match=constraint)


# Weights and percentages of a delivery


@pytest.mark.parametrize("net_kg", [Decimal("0"), Decimal("-12.50")])
def test_the_database_refuses_a_delivery_without_a_positive_net_weight(net_kg):
    producer = ProducerFactory()
    with refused_by("delivery_net_kg_positive"), transaction.atomic():
        DeliveryFactory(producer=producer, receipt_number="R-000001", net_kg=net_kg)
    assert Delivery.objects.filter(receipt_number="R-000001").exists() is False


@pytest.mark.parametrize("moisture", [Decimal("101"), Decimal("100.01"), Decimal("-1")])
def test_the_database_refuses_a_delivery_moisture_that_is_not_a_percentage(moisture):
    producer = ProducerFactory()
    with refused_by("delivery_moisture_is_a_percentage"), transaction.atomic():
        DeliveryFactory(producer=producer, receipt_number="R-000002", moisture_pct=moisture)
    assert Delivery.objects.filter(receipt_number="R-000002").exists() is False


@pytest.mark.parametrize("moisture", [Decimal("0"), Decimal("100"), None])
def test_the_database_accepts_a_moisture_from_0_to_100_or_none(moisture):
    delivery = DeliveryFactory(moisture_pct=moisture)
    delivery.refresh_from_db()
    assert delivery.moisture_pct == moisture


def test_the_database_refuses_a_cut_test_whose_classes_count_more_beans_than_were_cut():
    delivery = DeliveryFactory()
    # 78 + 15 + 5 + 1 + 2 = 101 beans in the classes of a 100-bean cut test.
    with refused_by("quality_cut_test_adds_up"), transaction.atomic():
        QualityAnalysisFactory(delivery=delivery, beans_cut=100, well_fermented=78, violet=15, slaty=5)
    assert QualityAnalysis.objects.filter(delivery=delivery).exists() is False


def test_the_database_accepts_a_cut_test_whose_classes_count_every_bean_cut():
    analysis = QualityAnalysisFactory(beans_cut=100, well_fermented=80, violet=15, slaty=2, mouldy=1, defective=2)
    assert QualityAnalysis.objects.filter(pk=analysis.pk).exists() is True


# Dates in order


def test_the_database_refuses_a_certificate_that_ends_before_it_starts():
    cooperative = CooperativeFactory()
    with refused_by("certificate_dates_in_order"), transaction.atomic():
        CertificateFactory(
            cooperative=cooperative, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2025, 12, 31)
        )
    assert Certificate.objects.filter(cooperative=cooperative).exists() is False


def test_the_database_accepts_a_certificate_valid_for_one_day():
    day = datetime.date(2026, 1, 1)
    certificate = CertificateFactory(valid_from=day, valid_to=day)
    assert Certificate.objects.filter(pk=certificate.pk).exists() is True


def test_the_database_refuses_a_lot_whose_production_ends_before_it_starts():
    cooperative = CooperativeFactory()
    with refused_by("lot_production_dates_in_order"), transaction.atomic():
        LotFactory(
            cooperative=cooperative,
            production_start=datetime.date(2026, 7, 10),
            production_end=datetime.date(2026, 7, 9),
        )
    assert Lot.objects.filter(cooperative=cooperative).exists() is False


def test_the_database_refuses_a_lot_whose_dates_are_put_out_of_order_by_an_update():
    lot = LotFactory(production_start=datetime.date(2026, 7, 1), production_end=datetime.date(2026, 7, 10))
    with refused_by("lot_production_dates_in_order"), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(production_start=datetime.date(2026, 7, 11))
    lot.refresh_from_db()
    assert lot.production_start == datetime.date(2026, 7, 1)


# One family per person and cooperative


def test_the_database_refuses_a_second_producer_with_the_same_dni_in_the_same_cooperative():
    first = ProducerFactory(dni="40812023")
    with (
        refused_by(r"producer_dni_unique_per_cooperative|producers_producer\.cooperative_id, producers_producer\.dni"),
        transaction.atomic(),
    ):
        ProducerFactory(cooperative=first.cooperative, dni="40812023")
    assert list(Producer.objects.filter(dni="40812023")) == [first]


def test_the_same_dni_may_be_a_member_of_another_cooperative():
    first = ProducerFactory(dni="40812023")
    second = ProducerFactory(cooperative=CooperativeFactory(), dni="40812023")
    assert second.cooperative_id != first.cooperative_id
    assert Producer.objects.filter(dni="40812023").count() == 2


# A delivery's kilograms allocated to lots


def test_a_delivery_may_be_allocated_up_to_its_dry_weight():
    delivery = DeliveryFactory(state=Delivery.State.DRY, net_kg=Decimal("250.00"))
    Delivery.objects.filter(pk=delivery.pk).update(allocated_kg=Decimal("250.00"))
    delivery.refresh_from_db()
    assert (delivery.dry_kg, delivery.allocated_kg) == (Decimal("250.00"), Decimal("250.00"))


def test_the_database_refuses_a_delivery_allocated_above_its_dry_weight():
    delivery = DeliveryFactory(state=Delivery.State.DRY, net_kg=Decimal("250.00"))
    with refused_by("delivery_not_over_allocated"), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(allocated_kg=Decimal("250.01"))
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")


def test_the_database_refuses_a_wet_delivery_allocated_above_its_dry_weight():
    # 270 kg of baba at 2.70 : 1 give 100 kg of dry beans.
    delivery = DeliveryFactory(state=Delivery.State.WET, net_kg=Decimal("270.00"), moisture_pct=Decimal("55"))
    delivery.refresh_from_db()
    assert delivery.dry_kg == Decimal("100.00")
    with refused_by("delivery_not_over_allocated"), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(allocated_kg=F("dry_kg") + Decimal("0.01"))
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")


def test_the_database_refuses_a_negative_allocation():
    delivery = DeliveryFactory()
    with refused_by("delivery_not_over_allocated"), transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(allocated_kg=Decimal("-0.01"))
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")


# The certified mass balance's ledger: never more claimed than bought


def test_the_ledger_may_claim_for_lots_and_sell_exactly_what_was_bought():
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"))
    CertifiedBalance.objects.filter(pk=balance.pk).update(lots_claimed_kg=F("bought_kg"), sold_kg=F("bought_kg"))
    balance.refresh_from_db()
    assert (balance.lots_claimed_kg, balance.sold_kg) == (Decimal("1000.00"), Decimal("1000.00"))


def test_the_database_refuses_a_ledger_whose_lots_claim_more_than_was_bought():
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"))
    with refused_by("certified_balance_lots_within_bought"), transaction.atomic():
        CertifiedBalance.objects.filter(pk=balance.pk).update(lots_claimed_kg=F("bought_kg") + Decimal("0.01"))
    balance.refresh_from_db()
    assert balance.lots_claimed_kg == Decimal("0.00")


def test_the_database_refuses_a_ledger_saved_with_lots_claiming_more_than_was_bought():
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"))
    balance.lots_claimed_kg = Decimal("1000.01")
    with refused_by("certified_balance_lots_within_bought"), transaction.atomic():
        balance.save(update_fields=["lots_claimed_kg"])
    balance.refresh_from_db()
    assert balance.lots_claimed_kg == Decimal("0.00")


def test_the_database_refuses_a_ledger_whose_shipments_sell_more_than_was_bought():
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"))
    with refused_by("certified_balance_sold_within_bought"), transaction.atomic():
        CertifiedBalance.objects.filter(pk=balance.pk).update(sold_kg=F("bought_kg") + Decimal("0.01"))
    balance.refresh_from_db()
    assert balance.sold_kg == Decimal("0.00")


def test_the_database_refuses_a_ledger_saved_with_shipments_selling_more_than_was_bought():
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"))
    balance.sold_kg = Decimal("1000.01")
    with refused_by("certified_balance_sold_within_bought"), transaction.atomic():
        balance.save(update_fields=["sold_kg"])
    balance.refresh_from_db()
    assert balance.sold_kg == Decimal("0.00")


@pytest.mark.parametrize(
    ("claimed", "constraint"),
    [("lots_claimed_kg", "certified_balance_lots_within_bought"), ("sold_kg", "certified_balance_sold_within_bought")],
)
def test_the_database_refuses_taking_back_bought_kg_already_claimed(claimed, constraint):
    # A delivery's certified kg withdrawn after they were claimed would leave the claim unbacked.
    balance = CertifiedBalanceFactory(bought_kg=Decimal("1000.00"), **{claimed: Decimal("800.00")})
    with refused_by(constraint), transaction.atomic():
        CertifiedBalance.objects.filter(pk=balance.pk).update(bought_kg=F("bought_kg") - Decimal("200.01"))
    balance.refresh_from_db()
    assert balance.bought_kg == Decimal("1000.00")
