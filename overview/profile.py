"""A family's profile: everything the cooperative knows of it (household, plots on a map, purchases,
inspections, certificates, status history), read across the apps in a constant number of queries."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext_lazy

from certifications.models import CoveredProducer, Inspection, Sanction
from certifications.selectors import covered_on
from harvests.models import Delivery
from plots import maps
from plots.models import Plot
from producers.models import HouseholdMember, ProducerStatusChange

LAST_DELIVERIES = 20
LAST_INSPECTIONS = 20
# What a plot's colour on the map says (plots.maps), in words.
CERTIFICATION_LABELS = {
    maps.CERTIFIED: gettext_lazy("certified"),
    maps.IN_CONVERSION: gettext_lazy("in conversion"),
    maps.NOT_CERTIFIED: gettext_lazy("not certified"),
}
EUDR_LABELS = {
    maps.EUDR_READY: gettext_lazy("ready"),
    maps.EUDR_NOT_ASSESSED: gettext_lazy("not assessed"),
    maps.EUDR_AT_RISK: gettext_lazy("at risk"),
    maps.EUDR_NO_GEOMETRY: gettext_lazy("not mapped"),
}


def family_profile(coop, producer, today):
    """The profile's figures of `producer`, a family of `coop`, on `today`: the page's context."""
    own = {"cooperative": coop, "producer": producer}

    plots = list(
        Plot.objects.filter(**own)
        .defer("geometry", "deforestation_evidence")
        .annotate(geometry_type=KeyTextTransform("type", "geometry"), covered=covered_on(today))
        .order_by("code")
    )
    for plot in plots:
        plot.cooperative = coop
        plot.conversion = plot.conversion_status(today)
        plot.certification = maps.certification_state(plot.conversion, plot.covered)
        plot.eudr = maps.eudr_state(plot.geometry_type is not None, plot.deforestation_result)
        plot.certification_label = CERTIFICATION_LABELS[plot.certification]
        plot.eudr_label = EUDR_LABELS[plot.eudr]
    features = maps.feature_collection(
        Plot.objects.filter(**own).annotate(covered=covered_on(today)), today, link=False
    )

    deliveries = Delivery.objects.filter(**own)
    inspections = list(
        Inspection.objects.filter(**own)
        .select_related("standard", "inspector")
        .annotate(open_non_conformities=Count("non_conformities", filter=Q(non_conformities__closed_on=None)))
        .order_by("-date", "-id")[:LAST_INSPECTIONS]
    )
    # One query whether the family has inspections or not (a prefetch would skip it for none).
    imposed = defaultdict(list)
    for sanction in (
        Sanction.objects.filter(**own, inspection__isnull=False).select_related("plot").order_by("starts_on", "id")
    ):
        imposed[sanction.inspection_id].append(sanction)
    for inspection in inspections:
        inspection.imposed = imposed[inspection.pk]
    certificates = (
        CoveredProducer.objects.in_force(today)
        .filter(**own)
        .select_related("certificate__standard")
        .order_by("certificate__valid_to")
    )

    return {
        "producer": producer,
        "household": HouseholdMember.objects.filter(**own).order_by("birth_year", "name", "id"),
        "plots": plots,
        "mapped_plots": sum(plot.geometry_type is not None for plot in plots),
        "certification_legend": CERTIFICATION_LABELS,
        "eudr_legend": EUDR_LABELS,
        "plot_totals": {
            "declared": sum(plot.declared_area_ha for plot in plots),
            "measured": sum(plot.measured_area_ha or 0 for plot in plots),
        },
        # The bytes as they are (no parsing): the page escapes them for its <script>.
        "map_features": features,
        "deliveries": deliveries.select_related("collection_centre")
        .prefetch_related("certified_standards")
        .order_by("-date", "-id")[:LAST_DELIVERIES],
        "delivery_totals": deliveries.aggregate(
            count=Count("id"), dry_kg=Sum("dry_kg"), net_kg=Sum("net_kg"), amount_pen=Sum("amount_pen")
        ),
        "inspections": inspections,
        "certificates": certificates,
        "status_changes": ProducerStatusChange.objects.filter(**own)
        .select_related("changed_by")
        .order_by("-effective_date", "-recorded_at"),
        "today": today,
    }
