"""A delivery's certification is derived at its date, stored, and never recomputed silently afterwards.

A purchase of 15 June 2026 from an organic plot is recorded as EU organic and Fairtrade. What
happens later to the family or the certificates (a suspension dated back before the purchase, a
certificate whose validity is corrected) changes nothing stored until delivery_recertify derives it
again, on the record: the Recertification keeps what it was, what it became, who and why.
"""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from certifications.models import Certificate, SanctionKind
from certifications.services import sanction_impose
from harvests.models import CertifiedBalance, Delivery, Recertification
from harvests.services import delivery_recertify
from plots.models import ConversionStatus
from tests.exports.certified import HARVEST_DAY, buy, certified_plot
from tests.factories import SanctionTypeFactory

pytestmark = pytest.mark.django_db

BOTH = ["eu-organic", "fairtrade"]


def stored(delivery):
    """The delivery's certification as the database holds it: (organic status, standard codes)."""
    row = Delivery.objects.get(pk=delivery.pk)
    return row.organic_status, sorted(row.certified_standards.values_list("code", flat=True))


def bought(coop):
    return dict(CertifiedBalance.objects.filter(cooperative=coop).values_list("standard__code", "bought_kg"))


def shown_by_the_api(user, delivery):
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user)
    answer = client.get(f"/api/v1/deliveries/{delivery.pk}/").json()
    return answer["organic_status"], sorted(answer["certified_standards"])


@pytest.fixture
def delivery(coop):
    return buy(certified_plot(coop), "300")


def test_the_delivery_is_stored_as_certified_at_its_date(coop, delivery):
    assert stored(delivery) == (ConversionStatus.ORGANIC, BOTH)
    assert bought(coop) == {"eu-organic": Decimal("300.00"), "fairtrade": Decimal("300.00")}


def test_a_suspension_dated_back_before_the_delivery_leaves_it_certified_until_it_is_recertified(
    coop, manager, delivery
):
    sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.SUSPENSION),
        producer=delivery.producer,
        starts_on=HARVEST_DAY - datetime.timedelta(days=14),
        reason="Vendió cacao de un vecino como propio.",
        imposed_by=manager,
    )

    assert stored(delivery) == (ConversionStatus.ORGANIC, BOTH)
    assert shown_by_the_api(manager, delivery) == (ConversionStatus.ORGANIC, BOTH)
    assert bought(coop) == {"eu-organic": Decimal("300.00"), "fairtrade": Decimal("300.00")}
    assert Recertification.objects.exists() is False

    record = delivery_recertify(delivery=delivery, reason="Suspensión del 1 de junio registrada tarde.", user=manager)

    assert stored(delivery) == (ConversionStatus.ORGANIC, [])
    assert list(Recertification.objects.all()) == [record]
    assert (record.delivery, record.recorded_by) == (Delivery.objects.get(pk=delivery.pk), manager)
    assert (record.old_standards, record.new_standards) == (BOTH, [])
    assert record.reason == "Suspensión del 1 de junio registrada tarde."
    assert bought(coop) == {"eu-organic": Decimal("0.00"), "fairtrade": Decimal("0.00")}


def test_a_certificate_whose_validity_changes_leaves_the_delivery_certified_until_it_is_recertified(
    coop, manager, delivery
):
    # The organic certificate's end, entered wrongly, is corrected to the end of May.
    organic = Certificate.objects.get(cooperative=coop, standard__code="eu-organic")
    organic.valid_to = datetime.date(2026, 5, 31)
    organic.save(update_fields=["valid_to"])

    assert stored(delivery) == (ConversionStatus.ORGANIC, BOTH)
    assert shown_by_the_api(manager, delivery) == (ConversionStatus.ORGANIC, BOTH)
    assert Recertification.objects.exists() is False

    record = delivery_recertify(delivery=delivery, reason="Fin del certificado orgánico corregido.", user=manager)

    assert stored(delivery) == (ConversionStatus.ORGANIC, ["fairtrade"])
    assert list(Recertification.objects.all()) == [record]
    assert (record.old_standards, record.new_standards, record.recorded_by) == (BOTH, ["fairtrade"], manager)
    assert bought(coop) == {"eu-organic": Decimal("0.00"), "fairtrade": Decimal("300.00")}
