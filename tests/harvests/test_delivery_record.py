import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from certifications.models import Standard
from exports.services import lot_allocate
from harvests.models import Delivery
from harvests.services import delivery_record
from plots.models import ConversionStatus
from producers.models import Producer
from producers.services import producer_change_status
from tests.factories import (
    CertificateFactory,
    CollectionCentreFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    LotFactory,
    PlotFactory,
)

pytestmark = pytest.mark.django_db
HARVEST_DAY = datetime.date(2026, 6, 15)


@pytest.fixture
def certified_plot():
    """An organic plot of an active family, covered by valid EU organic and Fairtrade certificates."""
    plot = PlotFactory(conversion_start=datetime.date(2018, 1, 1))
    for code in ("eu-organic", "fairtrade"):
        certificate = CertificateFactory(cooperative=plot.cooperative, standard=Standard.objects.get(code=code))
        CoveredProducerFactory(certificate=certificate, producer=plot.producer)
        CoveredPlotFactory(certificate=certificate, plot=plot)
    return plot


def record(plot, **fields):
    fields = {
        "receipt_number": "R-000101",
        "date": HARVEST_DAY,
        "net_kg": Decimal("180"),
        "price_pen_per_kg": Decimal("10.50"),
        "moisture_pct": Decimal("7.0"),
    } | fields
    centre = CollectionCentreFactory(cooperative=plot.cooperative, wet_to_dry_ratio=Decimal("2.60"))
    return delivery_record(producer=plot.producer, plots=[plot], collection_centre=centre, **fields)


def test_a_delivery_from_a_covered_organic_plot_is_certified_organic_and_fairtrade(certified_plot):
    delivery = record(certified_plot)

    assert delivery.organic_status == ConversionStatus.ORGANIC
    assert sorted(delivery.certified_standards.values_list("code", flat=True)) == ["eu-organic", "fairtrade"]
    assert delivery.amount_pen == Decimal("1890.00")


def test_a_wet_delivery_keeps_the_centres_ratio_of_that_day(certified_plot):
    delivery = record(certified_plot, state=Delivery.State.WET, net_kg=Decimal("260"), moisture_pct=None)

    assert delivery.wet_to_dry_ratio == Decimal("2.60")
    assert delivery.dry_kg == Decimal("100.00")


def test_a_suspended_familys_delivery_is_not_certified(certified_plot):
    producer_change_status(
        producer=certified_plot.producer, to_status=Producer.Status.SUSPENDED, effective_date=datetime.date(2026, 5, 1)
    )

    delivery = record(certified_plot)

    assert list(delivery.certified_standards.all()) == []


def test_cocoa_from_a_plot_in_its_third_conversion_year_is_fairtrade_but_not_organic(certified_plot):
    certified_plot.conversion_start = datetime.date(2023, 9, 1)
    certified_plot.save(update_fields=["conversion_start"])

    delivery = record(certified_plot)

    assert delivery.organic_status == ConversionStatus.YEAR_3
    assert list(delivery.certified_standards.values_list("code", flat=True)) == ["fairtrade"]


def test_an_excluded_plot_leaves_the_organic_certificate_from_its_exclusion_date(certified_plot):
    certified_plot.covered_by.filter(certificate__standard__code="eu-organic").update(
        excluded_on=datetime.date(2026, 6, 1)
    )

    delivery = record(certified_plot)

    assert list(delivery.certified_standards.values_list("code", flat=True)) == ["fairtrade"]


def test_a_plot_a_sanction_excluded_from_every_certificate_sells_under_none(certified_plot):
    # As certifications.services.plot_exclude does: the plot leaves each certificate that lists it.
    certified_plot.covered_by.update(excluded_on=datetime.date(2026, 6, 1))

    delivery = record(certified_plot)

    assert list(delivery.certified_standards.all()) == []


def test_a_delivery_must_name_its_familys_own_plots(certified_plot):
    stranger = PlotFactory(cooperative=certified_plot.cooperative, producer__cooperative=certified_plot.cooperative)

    with pytest.raises(ValidationError) as error:
        delivery_record(
            producer=certified_plot.producer,
            plots=[stranger],
            collection_centre=CollectionCentreFactory(cooperative=certified_plot.cooperative),
            receipt_number="R-1",
            net_kg=Decimal("10"),
            price_pen_per_kg=Decimal("10"),
        )

    assert error.value.message_dict["plots"] == [f"These plots are not this family's: {stranger.code}."]
    assert Delivery.objects.count() == 0


def test_a_delivery_with_zero_kilograms_is_refused_and_nothing_is_written(certified_plot):
    with pytest.raises(ValidationError) as error:
        record(certified_plot, net_kg=Decimal("0"))

    assert error.value.message_dict["net_kg"] == ["This must be more than zero; got 0."]
    assert Delivery.objects.count() == 0


def test_a_delivery_cannot_be_corrected_below_what_lots_already_hold(certified_plot):
    delivery = record(certified_plot)
    lot_allocate(lot=LotFactory(cooperative=delivery.cooperative), delivery=delivery, kg="150")
    delivery.refresh_from_db()

    delivery.net_kg = Decimal("149")
    with pytest.raises(ValidationError) as error:
        delivery.full_clean()

    assert error.value.message_dict["net_kg"] == [
        "Lots already hold 150.00 dry kg of this delivery; it cannot weigh less."
    ]
