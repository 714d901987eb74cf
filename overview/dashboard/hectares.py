"""The plots of member families: hectares certified, in conversion and measured, EUDR readiness (overview.dashboard)."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs
from django.db.models.lookups import GreaterThan

from certifications.selectors import covered_on
from cooperatives.models import cooperative_ids
from plots.models import CONVERSION_YEARS, Plot
from producers.models import Producer

from .common import MEMBER_STATUSES, ZERO, pct, years_before

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
