"""Weights and money read the same on SQLite (the database `make run` serves) as on PostgreSQL.

SQLite keeps decimals as binary floats; config/sqlite reads every decimal expression back with its
places, as PostgreSQL's NUMERIC does, so a page, the API and a spreadsheet print the same figures.
"""

from decimal import Decimal

import pytest
from django.db.models import F, Sum

from harvests.models import Delivery
from producers.models import Producer
from tests.factories import DeliveryFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def test_a_sum_of_weights_reads_with_its_two_places():
    family = ProducerFactory()
    DeliveryFactory(producer=family, net_kg=Decimal("3000.00"))
    DeliveryFactory(producer=family, net_kg=Decimal("669.00"))

    total = Delivery.objects.aggregate(kg=Sum("net_kg"))["kg"]

    assert str(total) == "3669.00"


def test_a_sum_whose_binary_floats_do_not_add_up_reads_exactly():
    family = ProducerFactory()
    for kg in ("0.10", "0.20", "72.03", "0.01"):
        DeliveryFactory(producer=family, net_kg=Decimal(kg))

    total = Delivery.objects.aggregate(kg=Sum("net_kg"))["kg"]

    assert str(total) == "72.34"


def test_an_expression_over_weights_reads_with_the_fields_places():
    family = ProducerFactory()
    DeliveryFactory(producer=family, net_kg=Decimal("10.10"))

    left = Delivery.objects.annotate(left=F("net_kg") - F("allocated_kg")).values_list("left", flat=True).get()

    assert str(left) == "10.10"


@pytest.mark.parametrize("lookup", ["pk", "pk__in", "cooperative_id__in", "pk__gte"])
def test_an_id_beyond_64_bits_finds_no_row_instead_of_failing(lookup):
    """A form or a filter given 10**30 as an id: SQLite's driver cannot bind it; no row has it."""
    ProducerFactory()
    value = [10**30] if lookup.endswith("__in") else 10**30

    assert Producer.objects.filter(**{lookup: value}).exists() is False
