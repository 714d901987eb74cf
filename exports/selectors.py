"""Reads about lots and shipments that gather many rows."""

from collections import defaultdict

from django.db.models.fields.json import KeyTextTransform

from certifications.models import CoveredPlot
from harvests.models import Delivery
from plots.models import Plot, conversion_status

from .models import LotAllocation, ShipmentLot

# The columns of a purchase and of a plot that a trace reports.
DELIVERY = ["receipt_number", "date", "state", "net_kg", "dry_kg", "organic_status"]
PLOT = [
    "id",
    "code",
    "name",
    "declared_area_ha",
    "measured_area_ha",
    "conversion_start",
    "deforestation_result",
]


def _covers_on(row, day):
    """A plot's inclusion in a certificate that was in force on `day`."""
    return (
        row["certificate__valid_from"] <= day <= row["certificate__valid_to"]
        and (row["included_on"] is None or row["included_on"] <= day)
        and (row["excluded_on"] is None or row["excluded_on"] > day)
    )


def _decimal(value):
    # As DRF writes a decimal: the stored places, as text.
    return None if value is None else f"{value:f}"


def shipment_trace(shipment, personal_data=False):
    """Where a shipment's cocoa came from: lots → allocations → deliveries → families → plots.

    The answer of GET /shipments/{id}/trace/ (documented by exports.api.trace), as plain data:
    each plot as it stood on the delivery's date (its conversion status then, the certificates
    covering it then), the kg along each step, and each plot's EUDR state from its geometry's
    type (the polygon itself is never read). The family's DNI only with `personal_data`.

    Five queries of plain rows whatever the shipment's size; no model objects are built, which
    made the trace of a 1,000-row shipment several times faster.
    """
    shipment_lots = list(
        ShipmentLot.objects.filter(shipment=shipment)
        .order_by("lot__code", "id")
        .values("id", "kg", "lot_id", "lot__code", "lot__eudr_segregated", "lot__fairtrade_mode")
    )
    allocations = defaultdict(list)
    producer = ["producer_id", "producer__code", "producer__first_name", "producer__last_name", "producer__dni"]
    for row in (
        LotAllocation.objects.filter(lot_id__in={row["lot_id"] for row in shipment_lots})
        .order_by("delivery__date", "id")
        .values("id", "lot_id", "kg", "delivery_id", *(f"delivery__{name}" for name in [*DELIVERY, *producer]))
    ):
        allocations[row["lot_id"]].append(row)
    delivery_ids = {row["delivery_id"] for rows in allocations.values() for row in rows}

    standards = defaultdict(list)
    for delivery_id, code in (
        Delivery.certified_standards.through.objects.filter(delivery_id__in=delivery_ids)
        .order_by("standard__name", "standard_id")
        .values_list("delivery_id", "standard__code")
    ):
        standards[delivery_id].append(code)

    plots = defaultdict(list)
    for row in (
        Delivery.plots.through.objects.filter(delivery_id__in=delivery_ids)
        .annotate(geometry_type=KeyTextTransform("type", "plot__geometry"))
        .order_by("plot__code", "plot_id")
        .values("delivery_id", "geometry_type", *(f"plot__{name}" for name in PLOT))
    ):
        plots[row["delivery_id"]].append(row)

    coverage = defaultdict(list)
    for row in (
        CoveredPlot.objects.filter(plot_id__in={row["plot__id"] for rows in plots.values() for row in rows})
        .order_by("certificate__standard__code", "certificate__number")
        .values(
            "plot_id",
            "included_on",
            "excluded_on",
            "certificate_id",
            "certificate__number",
            "certificate__standard__code",
            "certificate__valid_from",
            "certificate__valid_to",
        )
    ):
        coverage[row["plot_id"]].append(row)

    def plot(row, day):
        return {
            "id": row["plot__id"],
            "code": row["plot__code"],
            "name": row["plot__name"],
            "declared_area_ha": _decimal(row["plot__declared_area_ha"]),
            "measured_area_ha": _decimal(row["plot__measured_area_ha"]),
            "certification": {
                "conversion_status": conversion_status(row["plot__conversion_start"], day),
                "certificates": [
                    {
                        "id": cover["certificate_id"],
                        "standard": cover["certificate__standard__code"],
                        "number": cover["certificate__number"],
                    }
                    for cover in coverage[row["plot__id"]]
                    if _covers_on(cover, day)
                ],
            },
            "eudr": {
                "has_geometry": row["geometry_type"] is not None,
                "geometry_type": row["geometry_type"],
                "deforestation_result": row["plot__deforestation_result"],
                "eudr_ready": Plot.is_eudr_ready(row["geometry_type"], row["plot__deforestation_result"]),
            },
        }

    def family(row):
        answer = {
            "id": row["delivery__producer_id"],
            "code": row["delivery__producer__code"],
            "first_name": row["delivery__producer__first_name"],
            "last_name": row["delivery__producer__last_name"],
        }
        if personal_data:
            answer["dni"] = row["delivery__producer__dni"]
        return answer

    def allocation(row):
        day = row["delivery__date"]
        return {
            "id": row["id"],
            "kg": _decimal(row["kg"]),
            "delivery": {
                "id": row["delivery_id"],
                "receipt_number": row["delivery__receipt_number"],
                "date": day,
                "state": row["delivery__state"],
                "net_kg": _decimal(row["delivery__net_kg"]),
                "dry_kg": _decimal(row["delivery__dry_kg"]),
                "organic_status": row["delivery__organic_status"],
                "certified_standards": standards[row["delivery_id"]],
                "producer": family(row),
                "plots": [plot(plot_row, day) for plot_row in plots[row["delivery_id"]]],
            },
        }

    return {
        "id": shipment.pk,
        "number": shipment.number,
        "departure_date": shipment.departure_date,
        "net_kg": _decimal(shipment.net_kg),
        "lots": [
            {
                "id": row["lot_id"],
                "code": row["lot__code"],
                "kg": _decimal(row["kg"]),
                "eudr_segregated": row["lot__eudr_segregated"],
                "fairtrade_mode": row["lot__fairtrade_mode"],
                "allocations": [allocation(allocation_row) for allocation_row in allocations[row["lot_id"]]],
            }
            for row in shipment_lots
        ],
    }
