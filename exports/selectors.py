"""Reads about lots and shipments that gather many rows."""

import datetime
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, CoveredPlot, Standard
from certifications.selectors import covers_on
from harvests.models import CertifiedBalance, Delivery
from plots.models import Plot, conversion_status

from .models import Lot, LotAllocation, Shipment, ShipmentLot

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
                    if covers_on(cover, day)
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


# The certified mass balance

ZERO = Decimal("0.00")
# The figures of a standard's balance in a season, in the order the page, the API, the admin and
# the spreadsheet show them: (key, label, what it counts).
MASS_BALANCE_FIGURES = [
    ("bought_kg", _("Bought"), _("Dry kg of the season's purchases certified under the standard on their date.")),
    ("in_stock_kg", _("In stock"), _("Of those, kg in no lot yet.")),
    ("in_lots_kg", _("In certified lots"), _("Of those, kg in lots that claim the standard.")),
    ("downgraded_kg", _("Downgraded"), _("Of those, kg put into lots that do not claim it: sold as conventional.")),
    (
        "mass_balance_kg",
        _("Claimed under mass balance"),
        _("Kg of purchases not certified so, in lots that claim the standard under mass balance (Fairtrade)."),
    ),
    ("lots_claimed_kg", _("Claimed by lots"), _("In certified lots plus claimed under mass balance.")),
    ("in_unshipped_lots_kg", _("In lots not shipped"), _("Kg claimed by lots that no shipment carries yet.")),
    ("in_shipped_lots_kg", _("In shipped lots"), _("Kg claimed by lots that a shipment carries.")),
    (
        "sold_kg",
        _("Sold"),
        _("Net kg of the shipments that claim the standard, from the seasons their lots' cocoa was bought in."),
    ),
    (
        "losses_kg",
        _("Processing losses"),
        _("In shipped lots less sold: drying and processing."),
    ),
    (
        "gap_kg",
        _("Gap (bought - sold)"),
        _("In stock + downgraded + in lots not shipped + processing losses - claimed under mass balance."),
    ),
    ("left_to_claim_kg", _("Left to claim by lots"), _("Bought less claimed by lots.")),
    ("left_to_sell_kg", _("Left to sell"), _("Bought less sold.")),
]


def apportion(net_kg, weights):
    """`net_kg` shared among seasons in proportion to `weights` ({season: kg}), to the cent, adding up exactly."""
    total = sum(weights.values())
    shares = {season: (net_kg * kg / total).quantize(ZERO, ROUND_DOWN) for season, kg in weights.items()}
    heaviest = max(weights, key=lambda season: (weights[season], season))
    shares[heaviest] += net_kg - sum(shares.values())
    return shares


def sales(cooperative, standards=None):
    """The kg the cooperative's shipments sell: {(standard id, season): kg}, as exports.services.shipment_claims counts.

    Each shipment's net kg under each standard it claims, shared among the seasons of its lots'
    purchases (the season it departs when it has none). Two queries.
    """
    claims = Shipment.certifications_claimed.through.objects.filter(shipment__cooperative=cooperative)
    if standards is not None:
        claims = claims.filter(standard_id__in=[s.pk for s in standards])
    claims = list(claims.values_list("shipment_id", "standard_id", "shipment__net_kg", "shipment__departure_date"))
    weights = defaultdict(dict)
    for row in (
        LotAllocation.objects.filter(lot__shipment_lots__shipment_id__in={c[0] for c in claims})
        .values(shipment_id=F("lot__shipment_lots__shipment_id"), season=ExtractYear("delivery__date"))
        .annotate(kg=Sum("kg"))
        .order_by()
    ):
        if row["kg"]:
            weights[row["shipment_id"]][row["season"]] = row["kg"]
    sold = defaultdict(lambda: ZERO)
    for shipment_id, standard_id, net_kg, departure in claims:
        seasons = weights.get(shipment_id) or ({departure.year: Decimal(1)} if departure else {})
        if seasons:
            for season, kg in apportion(net_kg, seasons).items():
                sold[(standard_id, season)] += kg
    return dict(sold)


def ledger_figures(cooperative):
    """The ledger as the rows count it, every season: {(standard id, season): {bought_kg, lots_claimed_kg, sold_kg}}.

    Four queries; exports.services.balance_rebuild writes them.
    """
    figures = defaultdict(lambda: {"bought_kg": ZERO, "lots_claimed_kg": ZERO, "sold_kg": ZERO})
    bought = (
        Delivery.certified_standards.through.objects.filter(delivery__cooperative=cooperative)
        .values("standard_id", season=ExtractYear("delivery__date"))
        .annotate(kg=Sum("delivery__dry_kg"))
        .order_by()
    )
    claimed = (
        LotAllocation.objects.filter(cooperative=cooperative, lot__standards__isnull=False)
        .values(standard_id=F("lot__standards"), season=ExtractYear("delivery__date"))
        .annotate(kg=Sum("kg"))
        .order_by()
    )
    for column, rows in (("bought_kg", bought), ("lots_claimed_kg", claimed)):
        for row in rows:
            figures[(row["standard_id"], row["season"])][column] = row["kg"]
    for key, kg in sales(cooperative).items():
        figures[key]["sold_kg"] = kg
    return dict(figures)


def mass_balance_standards(cooperative):
    """The standards a cooperative's balance is shown for: those it holds (or held) a certificate of."""
    return Standard.objects.filter(
        pk__in=Certificate.objects.filter(cooperative=cooperative).values("standard_id")
    ).order_by("name")


def mass_balance(cooperative, season, standards=None):
    """The certified mass balance of a cooperative's season, one row per standard (DOMAIN.md, shipments).

    The page, the API and the admin all show these figures. Dry kg throughout; a purchase counts in
    the season of its date, a lot's kg in the season of the purchases they came from, a shipment in
    the season it departs.

    - bought: certified kg bought (the purchases certified under the standard on their date);
      in stock: of those, kg in no lot; in lots: kg in lots claiming the standard; downgraded: kg put
      into lots that do not claim it (sold as conventional). bought = in stock + in lots + downgraded.
    - claimed by lots = in lots + mass balance (kg of uncertified purchases in Fairtrade lots under mass
      balance) = in unshipped lots + in shipped lots.
    - sold: net kg of the shipments claiming the standard, shared among the seasons of their lots'
      purchases (exports.services.shipment_claims); losses: kg of shipped lots less kg sold (drying
      and processing).
    - gap = bought - sold = in stock + downgraded + in unshipped lots + losses - mass balance.
    - left to claim / to sell: what lots / shipments may still claim; `ledger_agrees` says whether
      the ledger the services keep (CertifiedBalance) holds the same three figures.

    Five queries whatever the number of purchases: one aggregate each over purchases and allocations,
    with one filtered sum per standard, two for the shipments' sales, and the ledger's rows.
    """
    standards = list(mass_balance_standards(cooperative) if standards is None else standards)
    if not standards:
        return []
    start, end = datetime.date(season, 1, 1), datetime.date(season, 12, 31)
    link = Delivery.certified_standards.through.objects
    lot_link = Lot.standards.through.objects

    def certified(standard, delivery="pk"):
        return Q(Exists(link.filter(delivery_id=OuterRef(delivery), standard_id=standard.pk)))

    purchases, allocations = {}, {}
    shipped = Q(Exists(ShipmentLot.objects.filter(lot_id=OuterRef("lot_id"))))
    for standard in standards:
        key = standard.pk
        purchases[f"bought_{key}"] = Sum("dry_kg", filter=certified(standard))
        purchases[f"stock_{key}"] = Sum(F("dry_kg") - F("allocated_kg"), filter=certified(standard))
        claims = Q(Exists(lot_link.filter(lot_id=OuterRef("lot_id"), standard_id=key)))
        is_certified = certified(standard, "delivery_id")
        allocations[f"in_lots_{key}"] = Sum("kg", filter=is_certified & claims)
        allocations[f"downgraded_{key}"] = Sum("kg", filter=is_certified & ~claims)
        allocations[f"mass_balance_{key}"] = Sum("kg", filter=~is_certified & claims)
        allocations[f"unshipped_{key}"] = Sum("kg", filter=claims & ~shipped)
        allocations[f"shipped_{key}"] = Sum("kg", filter=claims & shipped)
    purchases = Delivery.objects.filter(cooperative=cooperative, date__range=(start, end)).aggregate(**purchases)
    allocations = LotAllocation.objects.filter(cooperative=cooperative, delivery__date__range=(start, end)).aggregate(
        **allocations
    )
    sold = sales(cooperative, standards)
    ledger = {
        row.standard_id: row
        for row in CertifiedBalance.objects.filter(
            cooperative=cooperative, season=season, standard__in=[s.pk for s in standards]
        )
    }
    rows = []
    for standard in standards:
        key = standard.pk

        def kg(figures, name, key=key):
            return figures[f"{name}_{key}"] or ZERO

        row = {
            "standard": standard,
            "season": season,
            "bought_kg": kg(purchases, "bought"),
            "in_stock_kg": kg(purchases, "stock"),
            "in_lots_kg": kg(allocations, "in_lots"),
            "downgraded_kg": kg(allocations, "downgraded"),
            "mass_balance_kg": kg(allocations, "mass_balance"),
            "in_unshipped_lots_kg": kg(allocations, "unshipped"),
            "in_shipped_lots_kg": kg(allocations, "shipped"),
            "sold_kg": sold.get((key, season), ZERO),
        }
        row["lots_claimed_kg"] = row["in_lots_kg"] + row["mass_balance_kg"]
        row["losses_kg"] = row["in_shipped_lots_kg"] - row["sold_kg"]
        row["gap_kg"] = row["bought_kg"] - row["sold_kg"]
        row["left_to_claim_kg"] = row["bought_kg"] - row["lots_claimed_kg"]
        row["left_to_sell_kg"] = row["bought_kg"] - row["sold_kg"]
        kept = ledger.get(key)
        row["ledger_agrees"] = (
            (kept.bought_kg, kept.lots_claimed_kg, kept.sold_kg) if kept else (ZERO, ZERO, ZERO)
        ) == (row["bought_kg"], row["lots_claimed_kg"], row["sold_kg"])
        rows.append(row)
    return rows


def mass_balance_table(rows):
    """The rows of mass_balance turned for reading: one line per figure, one column per standard."""
    return [
        {
            "key": key,
            "label": label,
            "help": help_text,
            "values": [{"standard": row["standard"].code, "kg": row[key]} for row in rows],
        }
        for key, label, help_text in MASS_BALANCE_FIGURES
    ]
