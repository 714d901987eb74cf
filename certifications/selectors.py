"""Reads of the internal control system (ICS) that gather a whole cooperative's rows."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from plots.models import Plot, conversion_status
from producers.models import Producer

from .models import CoveredPlot, CoveredProducer, Inspection

ORDER = ["certificate__standard__code", "certificate__number", "id"]
COVERAGE = [
    "included_on",
    "excluded_on",
    "certificate_id",
    "certificate__number",
    "certificate__standard__code",
    "certificate__valid_from",
    "certificate__valid_to",
]


def covers_on(row, day):
    """Whether a coverage row (a family's or a plot's) puts it under a certificate in force on `day`."""
    return (
        row["certificate__valid_from"] <= day <= row["certificate__valid_to"]
        and (row["included_on"] is None or row["included_on"] <= day)
        and (row["excluded_on"] is None or row["excluded_on"] > day)
    )


def _coverage(row):
    return {
        "standard": row["certificate__standard__code"],
        "number": row["certificate__number"],
        "included_on": row["included_on"],
        "excluded_on": row["excluded_on"],
    }


def ics_member_list(cooperative, *, certificate=None, on=None, personal_data=False):
    """The ICS register of `cooperative` on day `on` (today unless told), as plain data for certifiers.

    Each member family with its plots; for each the certificates covering it on `on` and the
    exclusions recorded; the family's last internal inspection, its open non-conformities and
    every sanction it received. With `certificate`, only the families and plots within that
    certificate's scope, and only the inspections of its standard (or of none).
    The DNI only with `personal_data`.

    Five queries of plain rows whatever the cooperative's size.
    """
    on = on or timezone.localdate()
    scope = {"cooperative": cooperative}
    if certificate is not None:
        scope["certificate"] = certificate

    family_coverage = defaultdict(list)
    for row in CoveredProducer.objects.filter(**scope).order_by(*ORDER).values("producer_id", *COVERAGE):
        family_coverage[row["producer_id"]].append(row)
    plot_coverage = defaultdict(list)
    for row in CoveredPlot.objects.filter(**scope).order_by(*ORDER).values("plot_id", "plot__producer_id", *COVERAGE):
        plot_coverage[row["plot_id"]].append(row)

    families = Producer.objects.filter(cooperative=cooperative)
    if certificate is not None:
        in_scope = set(family_coverage) | {rows[0]["plot__producer_id"] for rows in plot_coverage.values()}
        families = families.filter(pk__in=in_scope)
    families = list(
        families.order_by("code", "id").values(
            "id", "code", "first_name", "last_name", "dni", "sex", "community", "district__name", "status", "entry_date"
        )
    )

    plots = defaultdict(list)
    wanted = {family["id"] for family in families}
    for row in (
        Plot.objects.filter(cooperative=cooperative)
        .order_by("code", "id")
        .values("id", "producer_id", "code", "name", "declared_area_ha", "measured_area_ha", "conversion_start")
    ):
        if row["producer_id"] in wanted and (
            certificate is None or row["id"] in plot_coverage or row["producer_id"] in family_coverage
        ):
            plots[row["producer_id"]].append(row)

    inspections = defaultdict(list)
    scoped = Inspection.objects.filter(cooperative=cooperative)
    if certificate is not None:
        scoped = scoped.filter(Q(standard=certificate.standard_id) | Q(standard__isnull=True))
    for row in (
        scoped.annotate(
            open_non_conformities=Count("non_conformities", filter=Q(non_conformities__closed_on__isnull=True))
        )
        .order_by("date", "id")
        .values("producer_id", "date", "decision", "sanction", "sanctioned_plot__code", "open_non_conformities")
    ):
        inspections[row["producer_id"]].append(row)

    def family(row):
        done = inspections[row["id"]]
        last = done[-1] if done else None
        answer = {
            "id": row["id"],
            "code": row["code"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "sex": row["sex"],
            "community": row["community"],
            "district": row["district__name"],
            "status": row["status"],
            "entry_date": row["entry_date"],
            "certificates": [_coverage(c) for c in family_coverage[row["id"]] if covers_on(c, on)],
            "exclusions": [_coverage(c) for c in family_coverage[row["id"]] if c["excluded_on"] is not None],
            "last_inspection": last and {"date": last["date"], "decision": last["decision"]},
            "open_non_conformities": sum(inspection["open_non_conformities"] for inspection in done),
            "sanctions": [
                {"date": i["date"], "sanction": i["sanction"], "plot": i["sanctioned_plot__code"]}
                for i in done
                if i["sanction"]
            ],
            "plots": [plot(plot_row) for plot_row in plots[row["id"]]],
        }
        if personal_data:
            answer["dni"] = row["dni"]
        return answer

    def plot(row):
        return {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "declared_area_ha": row["declared_area_ha"],
            "measured_area_ha": row["measured_area_ha"],
            "conversion_start": row["conversion_start"],
            "conversion_status": conversion_status(row["conversion_start"], on),
            "certificates": [_coverage(c) for c in plot_coverage[row["id"]] if covers_on(c, on)],
            "exclusions": [_coverage(c) for c in plot_coverage[row["id"]] if c["excluded_on"] is not None],
        }

    return {
        "cooperative": cooperative.name,
        "certificate": certificate and {"standard": certificate.standard.code, "number": certificate.number},
        "on": on,
        "families": [family(row) for row in families],
    }
