"""Purchases by month and season, and their quality. (overview.dashboard)"""

from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Greatest, TruncMonth
from django.db.models.lookups import LessThanOrEqual

from cooperatives.models import cooperative_ids
from harvests.models import Delivery, QualityAnalysis

from .common import MOISTURE_MAX, MOISTURE_TARGET, ZERO, _by_cooperative, pct

# Purchases


DELIVERY_SUMS = (
    "deliveries",
    "kg",
    "pen",
    "moisture_measured",
    "moisture_sum",
    "moisture_over_target",
    "moisture_over_max",
)


def _delivery_sums():
    """Purchases added up: how many, dry kg, soles paid, and the moisture measured on dry cocoa.

    Every column counted lies in the index on (cooperative, date): no COUNT(id), which would
    send PostgreSQL to the table for each row.
    """
    dry = Q(state=Delivery.State.DRY, moisture_pct__isnull=False)
    return {
        "deliveries": Count("date"),
        "kg": Sum("dry_kg"),
        "pen": Sum("amount_pen"),
        "moisture_measured": Count("moisture_pct", filter=dry),
        "moisture_sum": Sum("moisture_pct", filter=dry),
        "moisture_over_target": Count("moisture_pct", filter=dry & Q(moisture_pct__gt=MOISTURE_TARGET)),
        "moisture_over_max": Count("moisture_pct", filter=dry & Q(moisture_pct__gt=MOISTURE_MAX)),
    }


def _purchases(ids, start, end):
    return Delivery.objects.for_cooperative(ids).filter(date__range=(start, end)).order_by()


def _finish(total):
    """Averages and shares of a sum of purchases."""
    total["kg"], total["pen"], total["moisture_sum"] = (Decimal(total[k] or 0) for k in ("kg", "pen", "moisture_sum"))
    measured = total["moisture_measured"]
    total["moisture_avg"] = (total["moisture_sum"] / measured).quantize(Decimal("0.01")) if measured else None
    total["moisture_over_target_pct"] = pct(total["moisture_over_target"], measured)
    total["moisture_over_max_pct"] = pct(total["moisture_over_max"], measured)
    total["price_avg"] = (total["pen"] / total["kg"]).quantize(Decimal("0.01")) if total["kg"] else None
    return total


def deliveries_by_month(cooperatives, start, end):
    """{id: [one dict a month with purchases, oldest first]} between `start` and `end`.

    Each month: season, month, and the sums of `_delivery_sums`. For one cooperative the months
    are grouped without the cooperative: PostgreSQL then expects as many months as distinct dates
    and adds them up in a hash table, where grouping by (cooperative, month) made it expect a group
    per delivery and sort them all (2.4 times slower for 20,000 deliveries).
    """
    ids = cooperative_ids(cooperatives)
    keys = ["month"] if len(ids) == 1 else ["cooperative_id", "month"]
    rows = _purchases(ids, start, end).annotate(month=TruncMonth("date")).values(*keys).annotate(**_delivery_sums())
    result = {pk: [] for pk in ids}
    for row in sorted(rows, key=lambda r: (r.get("cooperative_id", 0), r["month"])):
        day = row.pop("month")
        row["moisture_sum"] = row["moisture_sum"] or ZERO  # a month of wet cocoa only has no moisture
        result[row.pop("cooperative_id", ids[0])].append({"season": day.year, "month": day.month, **row})
    return result


def delivery_totals(cooperatives, start, end):
    """{id: the sums of `_delivery_sums` between `start` and `end`, with averages and shares}."""
    ids = cooperative_ids(cooperatives)
    rows = _purchases(ids, start, end).values("cooperative_id").annotate(**_delivery_sums())
    totals = _by_cooperative(ids, rows, lambda: dict.fromkeys(DELIVERY_SUMS, 0))
    return {pk: _finish(total) for pk, total in totals.items()}


def season_totals(months, seasons):
    """The months of `deliveries_by_month` (one cooperative) added up by season, for each of `seasons`."""
    totals = {season: {"season": season, **dict.fromkeys(DELIVERY_SUMS, 0)} for season in seasons}
    for month in months:
        if month["season"] in totals:
            for name in DELIVERY_SUMS:
                totals[month["season"]][name] += month[name]
    return [_finish(totals[season]) for season in seasons]


def quality(cooperatives, start, end):
    """Quality analyses between `start` and `end`: moisture, the cut test by class and ISO 2451 grades."""
    ids = cooperative_ids(cooperatives)

    # ISO 2451 in whole numbers: grade I has each defect at 3 % of the beans cut at most; the limits
    # of grade II (4 % mouldy, 8 % slaty, 6 % other) take grade I in too.
    grade_1 = Q(LessThanOrEqual(Greatest("mouldy", "slaty", "defective") * 100, F("beans_cut") * 3))
    grade_2_limits = (
        Q(LessThanOrEqual(F("mouldy") * 100, F("beans_cut") * 4))
        & Q(LessThanOrEqual(F("slaty") * 100, F("beans_cut") * 8))
        & Q(LessThanOrEqual(F("defective") * 100, F("beans_cut") * 6))
    )
    classes = ("well_fermented", "violet", "slaty", "mouldy", "defective")
    rows = (
        QualityAnalysis.objects.for_cooperative(ids)
        .filter(date__range=(start, end))
        .order_by()
        .values("cooperative_id")
        .annotate(
            analyses=Count("id"),
            moisture_avg=Avg("moisture_pct"),
            moisture_over_target=Count("id", filter=Q(moisture_pct__gt=MOISTURE_TARGET)),
            moisture_over_max=Count("id", filter=Q(moisture_pct__gt=MOISTURE_MAX)),
            grade_1=Count("id", filter=grade_1),
            grade_2_at_most=Count("id", filter=grade_2_limits),
            # Named apart from the fields: the grades above read the fields, not these sums.
            total_cut=Sum("beans_cut"),
            **{f"total_{name}": Sum(name) for name in classes},
        )
    )
    totals = ("total_cut", *(f"total_{name}" for name in classes))
    keys = ("analyses", "moisture_over_target", "moisture_over_max", "grade_1", "grade_2_at_most", *totals)
    result = _by_cooperative(ids, rows, lambda: {**dict.fromkeys(keys, 0), "moisture_avg": None})
    for figures in result.values():
        cut = figures.pop("total_cut")
        beans = {name: figures.pop(f"total_{name}") for name in classes}
        beans["other"] = cut - sum(beans.values())
        figures["beans_cut"] = cut
        figures["cut_test"] = [{"class": name, "beans": n, "pct": pct(n, cut)} for name, n in beans.items()]
        figures["grade_2"] = figures.pop("grade_2_at_most") - figures["grade_1"]
        figures["substandard"] = figures["analyses"] - figures["grade_1"] - figures["grade_2"]
        if figures["moisture_avg"] is not None:
            figures["moisture_avg"] = Decimal(figures["moisture_avg"]).quantize(Decimal("0.01"))
        figures["moisture_over_target_pct"] = pct(figures["moisture_over_target"], figures["analyses"])
        figures["moisture_over_max_pct"] = pct(figures["moisture_over_max"], figures["analyses"])
    return result
