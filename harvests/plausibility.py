"""Plausibility of purchases: a family cannot deliver more than its plots can yield (DOMAIN.md, ICS).

The classic check of an internal control system: cocoa bought from a member beyond what the
member's plots can give came from somewhere else (a neighbour, a middleman), and would be sold
under the member's certificates. A family is flagged when the dry kilograms it delivered in a
season exceed the estimated yield times the declared area of its plots, times a tolerance.

A season is a calendar year, as the demo's seasons are: cocoa in Peru is picked all year round.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from plots.models import Plot
from producers.models import Producer

from .models import Delivery

# Flag a family above plausible kg times this. The cooperative has no field for it yet (a lead's
# decision, see the pages report), so 1.0: anything over what the plots can yield.
DEFAULT_TOLERANCE = Decimal("1.0")
KG = DecimalField(max_digits=14, decimal_places=2)


def season_of(day):
    return day.year


def season_bounds(season):
    """The first and last day of a season."""
    return datetime.date(season, 1, 1), datetime.date(season, 12, 31)


def _ids(cooperatives):
    if hasattr(cooperatives, "pk"):
        return [cooperatives.pk]
    if isinstance(cooperatives, int):
        return [cooperatives]
    return [getattr(c, "pk", c) for c in cooperatives]


def _per_family(queryset, output_field=KG):
    """A Subquery of one sum per family (the outer row is a Producer), NULL when it has no rows."""
    return Subquery(queryset.order_by().values("producer_id").annotate(total=Sum("kg")).values("total"), output_field)


def _over_yield(cooperative_ids, season, tolerance):
    """The families over their plausible yield, as Producers annotated with delivered_kg and plausible_kg.

    Each family's deliveries and plots are summed by index ((cooperative, producer, date) and
    (cooperative, producer)) in correlated subqueries: a GROUP BY over the deliveries with the
    plots' subquery in its HAVING made PostgreSQL cost it past its JIT threshold, and compiling
    the query took longer than running it.
    """
    start, end = season_bounds(season)
    family = {"cooperative_id": OuterRef("cooperative_id"), "producer_id": OuterRef("pk")}
    delivered = _per_family(Delivery.objects.filter(**family, date__range=(start, end)).annotate(kg=F("dry_kg")))
    plausible = _per_family(
        Plot.objects.filter(**family).annotate(kg=F("declared_area_ha") * F("estimated_yield_kg_ha"))
    )
    return (
        Producer.objects.filter(cooperative_id__in=cooperative_ids)
        .order_by()
        # A family with no yield estimate at all is flagged too: nothing it delivered is plausible.
        .alias(delivered=delivered, plausible=Coalesce(plausible, Value(Decimal(0)), output_field=KG))
        .filter(delivered__gt=F("plausible") * Value(tolerance, output_field=KG))
    )


def families_over_yield(cooperative, season, tolerance=None):
    """The families of `cooperative` whose deliveries in `season` exceed their plots' plausible yield.

    A list of dicts, the highest ratio first: producer_id, code, name, delivered_kg (dry),
    plausible_kg (estimated yield times declared area of the family's plots, a year) and ratio
    (delivered / plausible; None when the family's plots have no yield estimate).
    """
    tolerance = DEFAULT_TOLERANCE if tolerance is None else Decimal(tolerance)
    rows = (
        _over_yield(_ids(cooperative), season, tolerance)
        .annotate(delivered_kg=F("delivered"), plausible_kg=F("plausible"))
        .values("pk", "code", "first_name", "last_name", "delivered_kg", "plausible_kg")
    )
    flagged = []
    for row in rows:
        plausible = row["plausible_kg"]
        flagged.append(
            {
                "producer_id": row["pk"],
                "code": row["code"],
                "name": f"{row['first_name']} {row['last_name']}",
                "delivered_kg": row["delivered_kg"],
                "plausible_kg": plausible.quantize(Decimal("0.01")),
                "ratio": (row["delivered_kg"] / plausible).quantize(Decimal("0.01")) if plausible else None,
            }
        )
    # No estimate at all first (nothing to compare with), then the largest excess.
    flagged.sort(key=lambda f: (f["ratio"] is not None, -(f["ratio"] or 0), f["code"]))
    return flagged


def flagged_counts(cooperative_ids, season, tolerance=None):
    """{cooperative id: number of families over their plausible yield in `season`}, in one query."""
    tolerance = DEFAULT_TOLERANCE if tolerance is None else Decimal(tolerance)
    counts = dict.fromkeys(_ids(cooperative_ids), 0)
    rows = _over_yield(list(counts), season, tolerance).values("cooperative_id").annotate(families=Count("id"))
    counts.update((row["cooperative_id"], row["families"]) for row in rows)
    return counts
