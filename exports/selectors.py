"""Reads about lots and shipments that gather many rows."""

from collections import defaultdict

from django.db.models import Prefetch
from django.db.models.fields.json import KT

from certifications.models import CoveredPlot
from plots.models import Plot

from .models import LotAllocation, ShipmentLot


def _covers_on(row, day):
    """A plot's inclusion in a certificate that was in force on `day`."""
    certificate = row.certificate
    return (
        certificate.valid_from <= day <= certificate.valid_to
        and (row.included_on is None or row.included_on <= day)
        and (row.excluded_on is None or row.excluded_on > day)
    )


def shipment_trace(shipment):
    """Where a shipment's cocoa came from: lots → allocations → deliveries → families → plots.

    Returns the shipment's lots, each with `.shipped_kg` and its allocations; each
    delivery's plots carry `.trace_certificates` (the certificates covering the plot on
    the delivery's date), `.trace_conversion_status` (on that date) and
    `.trace_geometry_type` (None when unmapped; the geometry itself is not loaded). A plot delivered
    on several days appears once per delivery, with the state of that day.

    A fixed number of queries, whatever the shipment's size.
    """
    allocations = LotAllocation.objects.select_related("delivery__producer").order_by("delivery__date", "id")
    allocations = allocations.prefetch_related(
        # The geometry's type is all a trace says of it: parsing every polygon cost most of the request.
        Prefetch(
            "delivery__plots",
            queryset=Plot.objects.defer("geometry").annotate(trace_geometry_type=KT("geometry__type")).order_by("code"),
        ),
        "delivery__certified_standards",
    )
    shipment_lots = list(
        ShipmentLot.objects.filter(shipment=shipment)
        .select_related("lot")
        .prefetch_related(Prefetch("lot__allocations", queryset=allocations))
        .order_by("lot__code", "id")
    )
    deliveries = [allocation.delivery for row in shipment_lots for allocation in row.lot.allocations.all()]
    plot_ids = {plot.pk for delivery in deliveries for plot in delivery.plots.all()}
    coverage = defaultdict(list)
    for row in (
        CoveredPlot.objects.filter(plot_id__in=plot_ids)
        .select_related("certificate__standard")
        .order_by("certificate__standard__code", "certificate__number")
    ):
        coverage[row.plot_id].append(row)
    for delivery in deliveries:
        # Prefetching gives each delivery plot objects of its own: a plot delivered on
        # several days reads as it was on each of them.
        for plot in delivery.plots.all():
            plot.trace_conversion_status = plot.conversion_status(delivery.date)
            plot.trace_certificates = [row.certificate for row in coverage[plot.pk] if _covers_on(row, delivery.date)]
    return shipment_lots
