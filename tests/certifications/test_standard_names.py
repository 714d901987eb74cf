"""A standard is shown by its name in the reader's language; the API serves it as stored."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from certifications.models import Standard
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "spanish"),
    [
        ("eu-organic", "Orgánico UE (Reg. 2018/848)"),
        ("usda-nop", "Orgánico USDA NOP"),
        ("fairtrade", "Fairtrade"),
        ("rainforest-alliance", "Rainforest Alliance"),
    ],
)
def test_the_standards_loaded_by_migration_read_in_spanish(code, spanish):
    standard = Standard.objects.get(code=code)

    with translation.override("es"):
        assert str(standard) == spanish
    assert standard.name == str(standard)  # English, as stored


def test_a_standard_added_later_shows_its_name_as_typed():
    standard = Standard.objects.create(code="biosuisse", name="Bio Suisse")

    with translation.override("es"):
        assert str(standard) == "Bio Suisse"


def test_a_receipt_in_spanish_names_the_standard_in_spanish(client, coop, manager):
    family = factories.ProducerFactory(cooperative=coop)
    plot = factories.PlotFactory(producer=family, conversion_start=datetime.date(2018, 1, 1))
    delivery = factories.DeliveryFactory(producer=family, plots=[plot], net_kg=Decimal("100"))
    delivery.certified_standards.set([Standard.objects.get(code="eu-organic")])
    client.force_login(manager)

    response = client.get(reverse("delivery_receipt", args=[coop.code, delivery.pk]), headers={"Accept-Language": "es"})
    listed = client.get(reverse("delivery_list", args=[coop.code]), headers={"Accept-Language": "es"})

    assert "<strong>Orgánico UE (Reg. 2018/848)</strong>" in response.text
    assert '<span class="badge ok">Orgánico UE (Reg. 2018/848)</span>' in listed.text
    assert "EU organic" not in response.text + listed.text


def test_the_dashboards_campaigns_name_their_standard_in_spanish(client, coop, manager):
    today = datetime.date.today()
    factories.InspectionCampaignFactory(
        cooperative=coop,
        standard=Standard.objects.get(code="usda-nop"),
        year=today.year,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )
    client.force_login(manager)

    response = client.get(reverse("dashboard", args=[coop.code]), headers={"Accept-Language": "es"})

    assert "Orgánico USDA NOP" in response.text
    assert "USDA NOP organic" not in response.text
