"""Lots and shipments of a season. (overview.dashboard)"""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)

from cooperatives.models import cooperative_ids
from exports.models import Lot, LotAllocation, Shipment, ShipmentLot

from .common import ZERO, _by_cooperative

# Lots and shipments


def trade(cooperatives, start, end):
    """Shipments departed between `start` and `end` by buyer and destination; lots made and not yet shipped.

    {id: {"shipments": [rows by buyer and destination, largest first], "lots": {...}}}
    """
    ids = cooperative_ids(cooperatives)
    shipped = (
        Shipment.objects.for_cooperative(ids)
        .filter(departure_date__range=(start, end))
        .order_by()
        .values("cooperative_id", "contract__buyer_id", "contract__buyer__name", "destination_country")
        .annotate(
            shipments=Count("id"),
            kg=Sum("net_kg"),
            value_usd=Sum(F("net_kg") * F("price_usd_per_t") / 1000),
        )
    )
    shipped = list(shipped)
    # Lots counted apart (a lot may travel in two shipments, and a join would count shipments
    # twice), and only when something left.
    lot_counts = {}
    if shipped:
        lots_shipped = (
            ShipmentLot.objects.for_cooperative(ids)
            .filter(shipment__departure_date__range=(start, end))
            .order_by()
            .values("cooperative_id", "shipment__contract__buyer_id", "shipment__destination_country")
            .annotate(lots=Count("lot_id", distinct=True))
            .values_list("cooperative_id", "shipment__contract__buyer_id", "shipment__destination_country", "lots")
        )
        lot_counts = {(pk, buyer, country): lots for pk, buyer, country, lots in lots_shipped}
    result = {pk: {"shipments": [], "lots": None} for pk in ids}
    for row in shipped:
        key = (row["cooperative_id"], row["contract__buyer_id"], row["destination_country"])
        result[row["cooperative_id"]]["shipments"].append(
            {
                "buyer_id": row["contract__buyer_id"],
                "buyer": row["contract__buyer__name"],
                "destination": row["destination_country"],
                "shipments": row["shipments"],
                "lots": lot_counts.get(key, 0),
                "kg": row["kg"],
                "value_usd": Decimal(row["value_usd"]).quantize(Decimal("0.01")),
            }
        )
    for figures in result.values():
        figures["shipments"].sort(key=lambda r: (-r["kg"], r["buyer"], str(r["destination"])))

    in_season = Q(production_end__range=(start, end)) | Q(
        production_end__isnull=True, production_start__range=(start, end)
    )
    unshipped = ~Q(Exists(ShipmentLot.objects.filter(lot=OuterRef("pk"))))
    allocated = Subquery(
        LotAllocation.objects.filter(lot=OuterRef("pk")).order_by().values("lot").annotate(kg=Sum("kg")).values("kg"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    lots = (
        Lot.objects.for_cooperative(ids)
        .order_by()
        .values("cooperative_id")
        .annotate(
            made=Count("id", filter=in_season),
            eudr_segregated=Count("id", filter=in_season & Q(eudr_segregated=True)),
            unshipped=Count("id", filter=unshipped),
            unshipped_kg=Sum(allocated, filter=unshipped),
        )
    )
    empty = {"made": 0, "eudr_segregated": 0, "unshipped": 0, "unshipped_kg": ZERO}
    lot_figures = _by_cooperative(ids, lots, lambda: dict(empty))
    for pk, figures in result.items():
        figures["lots"] = lot_figures[pk]
    return result
