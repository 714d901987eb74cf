"""Plausibility: the internal control system's red flags of a cooperative in a season (DOMAIN.md, ICS).

One service for every face: the dashboard, the API, the admin and the ICS member list all read
`cooperative_flags`, so that they show the same figures. Four checks, the first here:

- A family over its plausible yield. The classic fraud check: certified cocoa bought from a
  member beyond what the member's certified plots can give came from somewhere else (a
  neighbour, a middleman) and would be sold under the member's certificates. Delivered is the
  dry kg of the family's deliveries in the season certified under at least one standard;
  plausible is, over the family's plots within a certificate's scope on any day of the season
  (included by then, not excluded before it began), the estimated yield times the plot's area:
  measured when mapped as a polygon, else declared (a declared area is what a family could
  inflate). A plot excluded during the season still counts whole: the check would rather miss
  a little than flag a family for its last harvest before the exclusion. The family is flagged
  when delivered exceeds plausible by more than the cooperative's tolerance (a family with
  certified deliveries and no plausible yield at all too: nothing it sold is explained).
- Plots of different families that overlap, plots outside their declared district, and families
  holding more than 5 ha: plots.plausibility's, which need no purchase.

A season is a calendar year (cooperatives.seasons).
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from certifications.models import CoveredPlot
from cooperatives.models import Cooperative, cooperative_ids
from cooperatives.seasons import season_bounds, season_of
from plots.models import Plot
from plots.plausibility import HOLDING_MAX_HA, full_name, plot_area, plot_flags
from producers.models import Producer

from .models import Delivery

KG = DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


# The figures of each flag


@dataclass(frozen=True)
class YieldFlag:
    """A family whose certified dry kg in the season exceed its plausible kg by more than the tolerance."""

    producer_id: int
    code: str
    name: str
    delivered_kg: Decimal
    plausible_kg: Decimal
    ratio: Decimal | None  # delivered / plausible; None when nothing is plausible
    tolerance_pct: Decimal


@dataclass
class Flags:
    cooperative_id: int
    season: int
    tolerance_pct: Decimal
    over_yield: list = field(default_factory=list)
    overlaps: list = field(default_factory=list)
    outside_district: list = field(default_factory=list)
    over_holding: list = field(default_factory=list)
    districts_not_checked: list = field(default_factory=list)

    KINDS = ("over_yield", "overlaps", "outside_district", "over_holding")
    holding_limit_ha = HOLDING_MAX_HA

    @property
    def counts(self):
        return {kind: len(getattr(self, kind)) for kind in self.KINDS}

    @property
    def total(self):
        return sum(self.counts.values())

    def as_dict(self):
        return asdict(self)

    def by_family(self):
        """{producer id: {kind: [the flags that name the family]}}: a plot's flag names its family,
        an overlap both families."""
        families = {}

        def add(producer_id, kind, flag):
            families.setdefault(producer_id, {}).setdefault(kind, []).append(flag)

        for flag in self.over_yield:
            add(flag.producer_id, "over_yield", flag)
        for flag in self.over_holding:
            add(flag.producer_id, "over_holding", flag)
        for flag in self.outside_district:
            add(flag.producer_id, "outside_district", flag)
        for flag in self.overlaps:
            add(flag.producer_id, "overlaps", flag)
            add(flag.other_producer_id, "overlaps", flag)
        return families


# Families over their plausible yield


def _per_family(queryset, output_field=KG):
    """A Subquery of one sum per family (the outer row is a Producer), NULL when it has no rows."""
    return Subquery(queryset.order_by().values("producer_id").annotate(total=Sum("kg")).values("total"), output_field)


def certified_in_season(start, end):
    """An Exists() for a plot within a certificate's scope on some day between `start` and `end`."""
    return Exists(
        CoveredPlot.objects.in_force(start, end).filter(
            cooperative_id=OuterRef("cooperative_id"), plot_id=OuterRef("pk")
        )
    )


def _over_yield(cooperative_ids, season, tolerance_pct=None):
    """The families over their plausible yield, as Producers annotated with delivered, plausible and tolerance.

    Each family's deliveries and plots are summed by index ((cooperative, producer, date) and
    (cooperative, producer)) in correlated subqueries: a GROUP BY over the deliveries with the
    plots' subquery in its HAVING made PostgreSQL cost it past its JIT threshold, and compiling
    the query took longer than running it.
    """
    start, end = season_bounds(season)
    family = {"cooperative_id": OuterRef("cooperative_id"), "producer_id": OuterRef("pk")}
    certified = Delivery.certified_standards.through.objects.filter(delivery_id=OuterRef("pk"))
    in_season = Delivery.objects.filter(**family, date__range=(start, end))
    # Everything bought from the family first, from the index alone: certified kg never exceed it,
    # so only the families it puts over their yield have their deliveries' standards read.
    bought = _per_family(in_season.annotate(kg=F("dry_kg")))
    delivered = _per_family(in_season.filter(Exists(certified)).annotate(kg=F("dry_kg")))
    plausible = _per_family(
        Plot.objects.filter(**family)
        .filter(certified_in_season(start, end))
        .annotate(kg=plot_area() * F("estimated_yield_kg_ha"))
    )
    tolerance = (
        F("cooperative__plausibility_tolerance_pct")
        if tolerance_pct is None
        else Value(Decimal(tolerance_pct), output_field=KG)
    )
    # Only a family with a certified purchase in the season can deliver more certified kg than its
    # limit: one pass over the season's certified purchases spares every other family both sums.
    with_certified = Delivery.certified_standards.through.objects.filter(
        delivery__cooperative_id__in=cooperative_ids, delivery__date__range=(start, end)
    ).values("delivery__producer_id")
    return (
        Producer.objects.filter(cooperative_id__in=cooperative_ids, pk__in=with_certified)
        .order_by()
        .alias(plausible=Coalesce(plausible, Value(Decimal(0)), output_field=KG))
        .annotate(tolerance=tolerance)
        .alias(limit=F("plausible") * (Value(100) + F("tolerance")) / Value(100), bought=bought)
        .filter(bought__gt=F("limit"))
        .alias(delivered=delivered)
        .filter(delivered__gt=F("limit"))
    )


def families_over_yield(cooperative, season, tolerance_pct=None):
    """The families of `cooperative` whose certified deliveries in `season` exceed their plausible yield.

    A list of YieldFlag, those with nothing plausible first, then the highest ratio first.
    `tolerance_pct` overrides the cooperative's.
    """
    rows = (
        _over_yield(cooperative_ids(cooperative), season, tolerance_pct)
        .annotate(delivered_kg=F("delivered"), plausible_kg=F("plausible"))
        .values("pk", "code", "first_name", "last_name", "delivered_kg", "plausible_kg", "tolerance")
    )
    flagged = []
    for row in rows:
        plausible = row["plausible_kg"].quantize(CENT)
        flagged.append(
            YieldFlag(
                producer_id=row["pk"],
                code=row["code"],
                name=full_name(row["first_name"], row["last_name"]),
                delivered_kg=row["delivered_kg"],
                plausible_kg=plausible,
                ratio=(row["delivered_kg"] / plausible).quantize(CENT) if plausible else None,
                tolerance_pct=Decimal(row["tolerance"]).quantize(CENT),
            )
        )
    flagged.sort(key=lambda f: (f.ratio is not None, -(f.ratio or 0), f.code))
    return flagged


def flagged_counts(cooperatives, season):
    """{cooperative id: number of families over their plausible yield in `season`}, in one query."""
    counts = dict.fromkeys(cooperative_ids(cooperatives), 0)
    rows = _over_yield(list(counts), season).values("cooperative_id").annotate(families=Count("id"))
    counts.update((row["cooperative_id"], row["families"]) for row in rows)
    return counts


def cooperative_flags(cooperative, season, tolerance_pct=None):
    """Every plausibility flag of `cooperative` in `season`: the one source of the dashboard, the API,
    the admin and the ICS member list. Two queries while the plots' flags are cached, four when not."""
    if not isinstance(cooperative, Cooperative):
        cooperative = Cooperative.objects.only("pk", "plausibility_tolerance_pct").get(pk=cooperative)
    tolerance = Decimal(cooperative.plausibility_tolerance_pct if tolerance_pct is None else tolerance_pct)
    return Flags(
        cooperative_id=cooperative.pk,
        season=season,
        tolerance_pct=tolerance.quantize(CENT),
        over_yield=families_over_yield(cooperative, season, tolerance_pct),
        **plot_flags(cooperative.pk),
    )


def flags_on(cooperative, day):
    """The flags of the season `day` falls in: what the ICS member lists show beside each family."""
    return cooperative_flags(cooperative, season_of(day))
