"""The figures of a cooperative's dashboard and of the federation overview: one service for all.

The pages, the API and the admin (issue 6) read the same figures from here. Each function takes
cooperatives (a Cooperative, an id, or a list of ids) and the day the figures are for, asks the
database once or twice, grouped by cooperative, and returns plain dicts keyed by cooperative id:
the dashboard of one cooperative and the overview of a hundred cost the same number of queries.

What the figures count:
- Members are families (Producer). Women, men and youth count active families by their titular
  member; youth is a titular member under 30 on the day (DOMAIN.md names no age; the pages' brief does).
- Plots are those of member families (active or suspended): an applicant's plots are not yet the
  cooperative's, a withdrawn family's no longer. Hectares are declared areas; measured areas are
  set beside the declared areas of the same (mapped) plots.
- A certified plot is organic on the day and within a certificate in force, as the map colours it
  (plots.maps); in conversion is years 1 to 3. EUDR-ready is `Plot.eudr_ready`: mapped, and assessed
  as not deforested after 31 Dec 2020.
- A season is a calendar year (harvests.plausibility); kilograms are dry kilograms (wet cocoa by its
  collection centre's ratio), money is what the cooperative paid (PEN).
- Plausibility flags (families over their plausible yield, overlapping plots, plots outside their
  district, holdings over 5 ha) are harvests.plausibility's, as the API and the admin show them; the
  overview counts the families over their plausible yield only (the plots' checks read geometries).
- Internal inspections are the year's inspection campaigns' (certifications.selectors.campaigns_progress,
  which campaign_progress is for one campaign), as the campaign page, the API and the admin show them.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Greatest, TruncMonth
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from certifications.models import Certificate, Inspection, InspectionCampaign
from certifications.selectors import Progress, campaigns_progress, covered_on
from cooperatives.models import cooperative_ids
from cooperatives.seasons import season_bounds, season_of
from exports.models import Lot, LotAllocation, Shipment, ShipmentLot
from harvests import plausibility
from harvests.models import Delivery, QualityAnalysis
from plots.models import CONVERSION_YEARS, Plot
from producers.models import HouseholdMember, Producer, Sex

YOUTH_AGE = 30
EXPIRY_DAYS = 90
# This season beside the one before: each season more is another season of purchases to add up
# (about 7 ms for a cooperative of 1,000 families), which a monthly summary table would spare.
SEASONS_SHOWN = 2
# DOMAIN.md: export beans aim at 7.5 % moisture at most, and never above 8 %.
MOISTURE_TARGET = Decimal("7.5")
MOISTURE_MAX = Decimal("8")
MEMBER_STATUSES = [Producer.Status.ACTIVE, Producer.Status.SUSPENDED]
ZERO = Decimal(0)


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pct(part, whole, places="0.1"):
    """`part` as a percentage of `whole`, or None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal(places))


def _by_cooperative(ids, rows, empty):
    """{id: row without its cooperative_id} for every id, `empty()` where the database had no row."""
    result = {pk: empty() for pk in ids}
    for row in rows:
        pk = row.pop("cooperative_id")
        result[pk] = {**empty(), **{k: v for k, v in row.items() if v is not None}}
    return result


# Members


def members(cooperatives, day):
    """Families by status; active ones by the titular member's sex and youth.

    The database counts the families of each status and sex (eight groups at most); the figures
    add those up. One count per figure, each with its own FILTER, cost twice as long to build as
    to run.
    """
    ids = cooperative_ids(cooperatives)
    rows = (
        Producer.objects.for_cooperative(ids)
        .order_by()
        .values("cooperative_id", "status", "sex")
        .annotate(
            families=Count("id"),
            youth=Count("id", filter=Q(birth_date__gt=years_before(day, YOUTH_AGE))),
        )
    )
    keys = ("active", "women", "men", "youth", "young_women", "suspended", "applicants", "withdrawn")
    result = {pk: dict.fromkeys(keys, 0) for pk in ids}
    statuses = {
        Producer.Status.SUSPENDED: "suspended",
        Producer.Status.APPLICANT: "applicants",
        Producer.Status.WITHDRAWN: "withdrawn",
    }
    for row in rows:
        figures = result[row["cooperative_id"]]
        if row["status"] != Producer.Status.ACTIVE:
            figures[statuses[row["status"]]] += row["families"]
            continue
        figures["active"] += row["families"]
        figures["women" if row["sex"] == Sex.FEMALE else "men"] += row["families"]
        figures["youth"] += row["youth"]
        figures["young_women"] += row["youth"] if row["sex"] == Sex.FEMALE else 0
    for figures in result.values():
        figures["women_pct"] = pct(figures["women"], figures["active"])
        figures["youth_pct"] = pct(figures["youth"], figures["active"])
    return result


def households(cooperatives, day):
    """The other people of active families: how many, women, and under 30 (by birth year)."""
    ids = cooperative_ids(cooperatives)
    rows = (
        HouseholdMember.objects.for_cooperative(ids)
        .filter(producer__status=Producer.Status.ACTIVE)
        .order_by()
        .values("cooperative_id")
        .annotate(
            people=Count("id"),
            women=Count("id", filter=Q(sex=Sex.FEMALE)),
            youth=Count("id", filter=Q(birth_year__gt=day.year - YOUTH_AGE)),
        )
    )
    return _by_cooperative(ids, rows, lambda: {"people": 0, "women": 0, "youth": 0})


# Plots: hectares and EUDR readiness


def member_plots(cooperatives):
    """The plots of member families (active or suspended) of `cooperatives`: those the figures count."""
    ids = cooperative_ids(cooperatives)
    # The families as a subquery on their (cooperative, status) index: a join made PostgreSQL
    # read every family of every cooperative.
    families = Producer.objects.for_cooperative(ids).filter(status__in=MEMBER_STATUSES).values("pk")
    return Plot.objects.for_cooperative(ids).filter(producer_id__in=families)


def plots(cooperatives, day):
    """Hectares (total, certified, in conversion; measured beside declared) and EUDR readiness.

    The database adds up the plots of each kind (conversion, certificate, map, assessment, area
    mismatch: a few dozen groups at most); the figures add those up, as in `members`.
    """
    ids = cooperative_ids(cooperatives)
    organic_since = years_before(day, CONVERSION_YEARS)

    def flag(condition):
        return ExpressionWrapper(condition, output_field=BooleanField())

    rows = (
        member_plots(ids)
        .order_by()
        .annotate(
            conversion=Case(
                When(conversion_start__lte=organic_since, then=Value("organic")),
                When(conversion_start__lte=day, then=Value("converting")),
                default=Value("conventional"),
            ),
            covered=covered_on(day),
            mapped=flag(Q(geometry__isnull=False)),
            measured=flag(Q(measured_area_ha__gt=0)),
            # As Plot.area_mismatch: further apart than the cooperative's tolerance, in % of the measured area.
            mismatched=flag(
                Q(
                    GreaterThan(
                        Abs(F("declared_area_ha") - F("measured_area_ha")) * 100,
                        F("measured_area_ha") * F("cooperative__area_tolerance_pct"),
                    )
                )
            ),
        )
        .values("cooperative_id", "conversion", "covered", "mapped", "measured", "mismatched", "deforestation_result")
        .annotate(count=Count("id"), declared=Sum("declared_area_ha"), measured_area=Sum("measured_area_ha"))
    )
    counts = (
        "plots",
        "measured_plots",
        "mismatched_plots",
        "eudr_ready_plots",
        "no_geometry_plots",
        "not_assessed_plots",
        "at_risk_plots",
    )
    areas = ("hectares", "certified_ha", "conversion_ha", "measured_declared_ha", "measured_ha", "eudr_ready_ha")
    result = {pk: {**dict.fromkeys(counts, 0), **dict.fromkeys(areas, ZERO)} for pk in ids}
    for row in rows:
        figures, count, declared = result[row["cooperative_id"]], row["count"], row["declared"]
        figures["plots"] += count
        figures["hectares"] += declared
        if row["conversion"] == "organic" and row["covered"]:
            figures["certified_ha"] += declared
        elif row["conversion"] == "converting":
            figures["conversion_ha"] += declared
        if row["measured"]:
            figures["measured_plots"] += count
            figures["measured_declared_ha"] += declared
            figures["measured_ha"] += row["measured_area"]
        if row["mismatched"]:
            figures["mismatched_plots"] += count
        if not row["mapped"]:
            figures["no_geometry_plots"] += count
        elif row["deforestation_result"] == Plot.DeforestationResult.NOT_DEFORESTED:
            figures["eudr_ready_plots"] += count
            figures["eudr_ready_ha"] += declared
        elif row["deforestation_result"] == Plot.DeforestationResult.NOT_ASSESSED:
            figures["not_assessed_plots"] += count
        else:
            figures["at_risk_plots"] += count
    for figures in result.values():
        figures["eudr_ready_pct"] = pct(figures["eudr_ready_plots"], figures["plots"])
        figures["eudr_ready_ha_pct"] = pct(figures["eudr_ready_ha"], figures["hectares"])
        figures["certified_ha_pct"] = pct(figures["certified_ha"], figures["hectares"])
        # How far the members declare from what was measured, on the mapped plots (+ means declared more).
        figures["declared_over_measured_pct"] = (
            pct(figures["measured_declared_ha"] - figures["measured_ha"], figures["measured_ha"])
            if figures["measured_ha"]
            else None
        )
    return result


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


# Certification and the internal control system


def certificates_expiring(cooperatives, day, days=EXPIRY_DAYS):
    """{id: [certificates in force on `day` that end within `days`, soonest first]}."""
    ids = cooperative_ids(cooperatives)
    rows = (
        Certificate.objects.for_cooperative(ids)
        .filter(valid_from__lte=day)
        .expiring_between(day, day + datetime.timedelta(days=days))
        .order_by("valid_to", "number")
        .values("cooperative_id", "id", "standard__name", "number", "certification_body", "valid_to")
    )
    result = {pk: [] for pk in ids}
    for row in rows:
        row["days_left"] = (row["valid_to"] - day).days
        result[row.pop("cooperative_id")].append(row)
    return result


CAMPAIGN_FIGURES = ("total", "done", "pending", "overdue", "due", "assigned")


def inspection_campaigns(cooperatives, day):
    """{id: [where each inspection campaign of `day`'s year stands on `day`, by standard]}.

    Each campaign's figures are certifications.selectors.campaign_progress's, as the campaign page,
    the API and the admin show them; with the families' ids, done and due, that make up the
    coverage. Four queries whatever the number of cooperatives and campaigns.
    """
    ids = cooperative_ids(cooperatives)
    result = {pk: [] for pk in ids}
    campaigns = list(
        InspectionCampaign.objects.for_cooperative(ids)
        .filter(year=day.year)
        .select_related("standard")
        .order_by("cooperative_id", "standard__code")
    )
    progresses = campaigns_progress(campaigns, on=day)
    for campaign in campaigns:
        progress = progresses[campaign.pk]
        active = {row["producer_id"] for row in progress["rows"] if row["status"] == Producer.Status.ACTIVE}
        done = {row["producer_id"] for row in progress["rows"] if row["state"] == Progress.DONE}
        result[campaign.cooperative_id].append(
            {
                "id": campaign.pk,
                "standard": campaign.standard.code,
                "standard_name": campaign.standard.name,
                "ends_on": campaign.ends_on,
                **{name: progress[name] for name in CAMPAIGN_FIGURES},
                "active_ids": active,
                "due_ids": active - done,
            }
        )
    return result


def inspection_coverage(cooperatives, day, member_figures=None):
    """Active families inspected in `day`'s year, of those the year's inspection campaigns are about.

    From `inspection_campaigns`: a family is inspected once no campaign has it due, still to
    inspect while one has (pending or overdue), so that with one campaign "still to inspect" is the
    campaign's "due". Without a campaign this year nobody's inspection is counted, and every
    active family (`members`, given or asked for) is still to inspect.
    """
    ids = cooperative_ids(cooperatives)
    campaigns = inspection_campaigns(ids, day)
    result = {}
    for pk in ids:
        if campaigns[pk]:
            active = len(set().union(*(c["active_ids"] for c in campaigns[pk])))
            missing = len(set().union(*(c["due_ids"] for c in campaigns[pk])))
        else:
            member_figures = member_figures or members(ids, day)
            active, missing = member_figures[pk]["active"], member_figures[pk]["active"]
        result[pk] = {
            "year": day.year,
            "active": active,
            "inspected": active - missing,
            "missing": missing,
            "pct": pct(active - missing, active),
            "campaigns": [
                {k: v for k, v in campaign.items() if k not in ("active_ids", "due_ids")} for campaign in campaigns[pk]
            ],
        }
    return result


# The pages' figures


def seasons_until(season):
    return list(range(season - SEASONS_SHOWN + 1, season + 1))


def seasons_with_data(cooperative, day):
    """The seasons a dashboard has something to show of, newest first: `day`'s, and those with purchases,
    inspections or an inspection campaign. Three small queries on the (cooperative, date) indexes."""
    pk = cooperative_ids(cooperative)[0]
    seasons = {season_of(day)}
    for model in (Delivery, Inspection):
        seasons.update(season_of(d) for d in model.objects.filter(cooperative_id=pk).dates("date", "year"))
    seasons.update(InspectionCampaign.objects.filter(cooperative_id=pk).values_list("year", flat=True).distinct())
    return sorted((season for season in seasons if season <= season_of(day)), reverse=True)


def dashboard(cooperative, day, season=None):
    """Every figure of one cooperative's dashboard on `day`, purchases of `season` (default: `day`'s).

    The inspections are those of the season too: a past season's as they stood when it ended.
    """
    pk = cooperative_ids(cooperative)[0]
    season = season or season_of(day)
    seasons = seasons_until(season)
    start, end = season_bounds(season)
    months = deliveries_by_month([pk], season_bounds(seasons[0])[0], end)[pk]
    member_figures = members([pk], day)
    inspection_day = min(day, end)
    return {
        "day": day,
        "season": season,
        "seasons": seasons,
        "members": member_figures[pk],
        "households": households([pk], day)[pk],
        "plots": plots([pk], day)[pk],
        "months": months,
        "season_totals": season_totals(months, seasons),
        "quality": quality([pk], start, end)[pk],
        "trade": trade([pk], start, end)[pk],
        "certificates_expiring": certificates_expiring([pk], day)[pk],
        "inspections": inspection_coverage([pk], inspection_day, member_figures)[pk],
        **_plausibility(cooperative, season),
    }


def _plausibility(cooperative, season):
    """The plausibility flags (harvests.plausibility, the API's and the admin's source too)."""
    flags = plausibility.cooperative_flags(cooperative, season)
    return {"flags": flags, "plausibility": flags.over_yield, "plausibility_tolerance": flags.tolerance_pct}


def overview(cooperatives, day):
    """{id: the headline figures of each cooperative on `day`, purchases of `day`'s season}.

    One query per kind of figure, grouped by cooperative, whatever the number of cooperatives.
    """
    ids = cooperative_ids(cooperatives)
    season = season_of(day)
    start, end = season_bounds(season)
    member_figures = members(ids, day)
    plot_figures = plots(ids, day)
    purchases = delivery_totals(ids, start, end)
    coverage = inspection_coverage(ids, day, member_figures)
    expiring = certificates_expiring(ids, day)
    flagged = plausibility.flagged_counts(ids, season)
    return {
        pk: {
            "season": season,
            "members": member_figures[pk],
            "plots": plot_figures[pk],
            "purchases": {"season": season, **purchases[pk]},
            "inspections": coverage[pk],
            "certificates_expiring": len(expiring[pk]),
            "next_expiry": expiring[pk][0]["valid_to"] if expiring[pk] else None,
            "plausibility_flags": flagged[pk],
        }
        for pk in ids
    }


def totals(overview_figures):
    """The federation's totals of `overview` rows: the cooperatives' figures added up."""
    rows = list(overview_figures.values())
    result = {
        "active": sum(r["members"]["active"] for r in rows),
        "women": sum(r["members"]["women"] for r in rows),
        "youth": sum(r["members"]["youth"] for r in rows),
        "plots": sum(r["plots"]["plots"] for r in rows),
        "hectares": sum((r["plots"]["hectares"] for r in rows), ZERO),
        "certified_ha": sum((r["plots"]["certified_ha"] for r in rows), ZERO),
        "conversion_ha": sum((r["plots"]["conversion_ha"] for r in rows), ZERO),
        "eudr_ready_plots": sum(r["plots"]["eudr_ready_plots"] for r in rows),
        "kg": sum((r["purchases"]["kg"] for r in rows), ZERO),
        "pen": sum((r["purchases"]["pen"] for r in rows), ZERO),
        "inspected": sum(r["inspections"]["inspected"] for r in rows),
        "certificates_expiring": sum(r["certificates_expiring"] for r in rows),
        "plausibility_flags": sum(r["plausibility_flags"] for r in rows),
    }
    result["eudr_ready_pct"] = pct(result["eudr_ready_plots"], result["plots"])
    # Of the families the campaigns are about (inspection_coverage), not of every active one.
    result["inspected_pct"] = pct(result["inspected"], sum(r["inspections"]["active"] for r in rows))
    return result
