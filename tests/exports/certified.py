"""Certified cocoa for the mass balance tests: plots, certificates and purchases recorded by the services."""

import datetime
from decimal import Decimal

from certifications.models import Certificate, Standard
from harvests.services import delivery_record
from tests.factories import (
    CertificateFactory,
    CollectionCentreFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    PlotFactory,
    ProducerFactory,
)

HARVEST_DAY = datetime.date(2026, 6, 15)


def standard(code):
    return Standard.objects.get(code=code)


def certified_plot(coop, codes=("eu-organic", "fairtrade")):
    """An organic, mapped and assessed plot of an active family, covered by certificates valid all 2026."""
    plot = PlotFactory(producer=ProducerFactory(cooperative=coop), conversion_start=datetime.date(2018, 1, 1))
    for code in codes:
        certificate = Certificate.objects.filter(cooperative=coop, standard__code=code).first() or CertificateFactory(
            cooperative=coop, standard=standard(code)
        )
        CoveredProducerFactory(certificate=certificate, producer=plot.producer)
        CoveredPlotFactory(certificate=certificate, plot=plot)
    return plot


def conventional_plot(coop):
    """A mapped and assessed plot of a family no certificate covers."""
    return PlotFactory(producer=ProducerFactory(cooperative=coop), conversion_start=None)


def buy(plot, kg, *, day=HARVEST_DAY, **fields):
    """Record a dry purchase of `kg` from the plot through delivery_record (certified as the plot is on `day`)."""
    centre = CollectionCentreFactory(cooperative=plot.cooperative)
    return delivery_record(
        producer=plot.producer,
        plots=[plot],
        collection_centre=centre,
        date=day,
        net_kg=Decimal(kg),
        price_pen_per_kg=Decimal("10.00"),
        moisture_pct=Decimal("7.0"),
        **{"receipt_number": f"R-{plot.pk}-{day:%m%d}-{kg}"} | fields,
    )
