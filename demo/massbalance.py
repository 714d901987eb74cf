"""The demo's certified mass balance: its ledger counted from the rows written in bulk, and a season showing it all.

The demo writes its purchases, lots and shipments in bulk, around the services that keep the
ledger (harvests.ledger.balance_move), so the ledger is counted afterwards from those rows.
Then this season gets, through the services, certified organic cocoa downgraded into a conventional
lot. (Every demo family is Fairtrade certified: the demo has no conventional cocoa that a Fairtrade
lot under mass balance could take.)
"""

from decimal import Decimal

from certifications.models import Standard
from exports.models import Lot
from exports.services import balance_rebuild, lot_allocate
from harvests.models import Delivery

# Kg of certified organic cocoa in stock put into a conventional lot (downgraded).
DOWNGRADED_KG = Decimal(500)


def seed_massbalance(*, cooperative, today):
    """Count the ledger; then downgrade some of `today`'s season's organic cocoa in stock. Returns that lot, or None."""
    balance_rebuild(cooperative=cooperative)
    season = today.year
    organic = Standard.objects.get(code="eu-organic")
    in_stock = (
        Delivery.objects.filter(cooperative=cooperative, date__year=season, certified_standards=organic)
        .with_unallocated_kg()
        .order_by("date", "id")
    )
    downgraded, kg = None, DOWNGRADED_KG
    for delivery in in_stock:
        if kg <= 0:
            break
        if downgraded is None:
            downgraded = Lot.objects.create(
                cooperative=cooperative,
                code=f"L-{season}-C01",
                eudr_segregated=False,
                notes="Cacao orgánico con exceso de humedad: vendido como convencional.",
            )
        take = min(kg, delivery.dry_kg - delivery.allocated_kg)
        lot_allocate(lot=downgraded, delivery=delivery, kg=take)
        kg -= take
    return downgraded
