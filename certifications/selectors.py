"""Reads of the internal control system (ICS) that gather a whole cooperative's rows."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from plots.models import Plot, conversion_status
from producers.models import Producer

from .models import ApprovalDecision, CampaignAssignment, CoveredPlot, CoveredProducer, Inspection, Sanction

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


def covered_on(day):
    """An Exists() for a plot within a certificate's scope on `day`, the certificate in force then.

    The one rule for "covered on a day" (CoverageQuerySet.in_force), for the maps and the pages as for
    purchases; covers_on is the same rule on rows already read.
    """
    return Exists(CoveredPlot.objects.in_force(day).filter(plot=OuterRef("pk")))


def covers_on(row, day):
    """Whether a coverage row (a family's or a plot's) puts it under a certificate in force on `day`:
    CoverageQuerySet.in_force's rule, on a row of COVERAGE's values."""
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


def ics_member_list(cooperative, *, flags, certificate=None, standard=None, on=None, personal_data=False):
    """The ICS register of `cooperative` on day `on` (today unless told), as plain data for certifiers.

    Each member family with its plots; for each the certificates covering it on `on` and the
    exclusions recorded; the family's last internal inspection, its open non-conformities and
    every sanction it received; and the plausibility `flags` that name it, which the caller reads
    (harvests.plausibility.flags_on(cooperative, on): the same flags the dashboard and the API show).
    With `certificate`, only the families and plots within that certificate's scope, and only the inspections of its
    standard (or of none). With `standard`, every family, but only the certificates of that
    standard and the plots within their scope (all of a family's plots when the family is), and
    only the inspections of that standard (or of none). The DNI only with `personal_data`.

    Six queries of plain rows, and the flags' (at most four), whatever the cooperative's size.
    """
    on = on or timezone.localdate()
    scope = {"cooperative": cooperative}
    if certificate is not None:
        scope["certificate"] = certificate
        standard = certificate.standard
    elif standard is not None:
        scope["certificate__standard"] = standard

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
            standard is None or row["id"] in plot_coverage or row["producer_id"] in family_coverage
        ):
            plots[row["producer_id"]].append(row)

    inspections = defaultdict(list)
    scoped = Inspection.objects.filter(cooperative=cooperative)
    if standard is not None:
        scoped = scoped.filter(Q(standard=standard) | Q(standard__isnull=True))
    for row in (
        scoped.annotate(
            open_non_conformities=Count("non_conformities", filter=Q(non_conformities__closed_on__isnull=True))
        )
        .order_by("date", "id")
        .values("producer_id", "id", "date", "decision", "open_non_conformities")
    ):
        inspections[row["producer_id"]].append(row)

    sanctions = defaultdict(list)
    for row in (
        Sanction.objects.filter(cooperative=cooperative)
        .order_by("starts_on", "id")
        .values("producer_id", "starts_on", "kind", "plot__code")
    ):
        sanctions[row["producer_id"]].append(
            {"date": row["starts_on"], "sanction": row["kind"], "plot": row["plot__code"]}
        )

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
            "sanctions": sanctions[row["id"]],
            "plausibility": flagged.get(row["id"], {}),
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

    flagged = flags.by_family()
    return {
        "cooperative": cooperative.name,
        "certificate": certificate and {"standard": certificate.standard.code, "number": certificate.number},
        "on": on,
        "season": flags.season,
        "families": [family(row) for row in families],
    }


# Campaigns


class Progress:
    DONE = "done"
    PENDING = "pending"
    OVERDUE = "overdue"


def campaign_progress(campaign, *, on=None):
    """Where a campaign stands on day `on` (today unless told): one row per family it is about.

    The families are the cooperative's active members (who joined before the campaign ended) and
    any other family already assigned or inspected. A family is *done* once inspected under the
    campaign's standard (or under none) in the campaign's year; otherwise *pending* until the
    campaign ends and *overdue* after. "Due" are the active members not yet done. Three queries
    whatever the number of families.
    """
    return campaigns_progress([campaign], on=on)[campaign.pk]


def campaigns_progress(campaigns, *, on=None):
    """{campaign id: campaign_progress} for many campaigns, of any cooperatives, in three queries.

    The dashboards of many cooperatives read their campaigns' figures together, so the cost must
    not grow with the number of campaigns.
    """
    on = on or timezone.localdate()
    campaigns = list(campaigns)
    if not campaigns:
        return {}
    cooperative_ids = {campaign.cooperative_id for campaign in campaigns}
    assigned = CampaignAssignment.objects.filter(campaign__in=campaigns)
    assignments = defaultdict(dict)
    for row in assigned.values(
        "campaign_id",
        "producer_id",
        "inspector_id",
        "inspector__username",
        "inspector__first_name",
        "inspector__last_name",
    ):
        assignments[row["campaign_id"]][row["producer_id"]] = row
    # The last inspection of each family per (cooperative, year, standard or None), oldest first so
    # later ones overwrite.
    inspected = Inspection.objects.filter(
        cooperative_id__in=cooperative_ids, date__year__in={campaign.year for campaign in campaigns}
    ).filter(Q(standard_id__in={campaign.standard_id for campaign in campaigns}) | Q(standard__isnull=True))
    inspections = defaultdict(dict)
    for row in inspected.order_by("date", "id").values(
        "cooperative_id", "standard_id", "producer_id", "id", "date", "decision"
    ):
        inspections[row["cooperative_id"], row["date"].year, row["standard_id"]][row["producer_id"]] = row
    families = defaultdict(list)
    for family in (
        Producer.objects.filter(cooperative_id__in=cooperative_ids)
        .filter(
            Q(status=Producer.Status.ACTIVE)
            | Q(pk__in=assigned.values("producer_id"))
            | Q(pk__in=inspected.values("producer_id"))
        )
        .order_by("code", "id")
        .values("id", "cooperative_id", "code", "first_name", "last_name", "community", "status", "entry_date")
    ):
        families[family["cooperative_id"]].append(family)
    return {
        campaign.pk: _progress(
            campaign,
            on,
            families[campaign.cooperative_id],
            assignments[campaign.pk],
            _latest(
                # An inspection under no standard counts for every campaign of its year.
                inspections[campaign.cooperative_id, campaign.year, None],
                inspections[campaign.cooperative_id, campaign.year, campaign.standard_id],
            ),
        )
        for campaign in campaigns
    }


def _latest(*by_family):
    """{family: its latest inspection} of several such maps."""
    latest = {}
    for inspections in by_family:
        for producer_id, row in inspections.items():
            if producer_id not in latest or (row["date"], row["id"]) > (
                latest[producer_id]["date"],
                latest[producer_id]["id"],
            ):
                latest[producer_id] = row
    return latest


def _progress(campaign, on, families, assignments, inspected):
    rows = []
    counts = {Progress.DONE: 0, Progress.PENDING: 0, Progress.OVERDUE: 0}
    for family in families:
        last = inspected.get(family["id"])
        assignment = assignments.get(family["id"])
        # A family that joined after the campaign ended is not due in it, unless already named in it.
        joined_in_time = family["entry_date"] is None or family["entry_date"] <= campaign.ends_on
        if not (family["status"] == Producer.Status.ACTIVE and joined_in_time) and last is None and not assignment:
            continue
        if last is not None:
            state = Progress.DONE
        elif on > campaign.ends_on:
            state = Progress.OVERDUE
        else:
            state = Progress.PENDING
        counts[state] += 1
        rows.append(
            {
                "producer_id": family["id"],
                "code": family["code"],
                "family": f"{family['last_name']}, {family['first_name']}",
                "community": family["community"],
                "status": family["status"],
                "inspector_id": assignment and assignment["inspector_id"],
                "inspector": assignment and _person(assignment),
                "inspection_id": last and last["id"],
                "inspected_on": last and last["date"],
                "state": state,
            }
        )
    due = sum(1 for row in rows if row["state"] != Progress.DONE and row["status"] == Producer.Status.ACTIVE)
    return {
        "on": on,
        "total": len(rows),
        "done": counts[Progress.DONE],
        "pending": counts[Progress.PENDING],
        "overdue": counts[Progress.OVERDUE],
        "due": due,
        "assigned": len(assignments),
        "rows": rows,
    }


def _person(row):
    name = f"{row['inspector__first_name']} {row['inspector__last_name']}".strip()
    return name or row["inspector__username"]


def inspectors_of(cooperative):
    """The people who may be given inspections: the cooperative's managers and field officers."""
    from django.contrib.auth import get_user_model

    from cooperatives import roles

    return (
        get_user_model()
        .objects.filter(
            memberships__cooperative=cooperative, groups__name__in=[roles.MANAGER, roles.FIELD_OFFICER], is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def approved_member_list(cooperative, *, standard, year, flags, on=None, personal_data=False):
    """The families approved (or approved with conditions) under `standard` for `year`, as the
    certifier asks for them: the ICS member list's rows of those families, each with its decision.

    The list's certificates, plots and inspections are those of `standard` (ics_member_list with
    `standard`): another standard's certificate is not the certifier's business here. Seven
    queries whatever the size.
    """
    on = on or timezone.localdate()
    decisions = {
        row["producer_id"]: row
        for row in ApprovalDecision.objects.filter(
            cooperative=cooperative,
            standard=standard,
            year=year,
            decision__in=[ApprovalDecision.Decision.APPROVED, ApprovalDecision.Decision.CONDITIONAL],
        ).values("producer_id", "decision", "decided_on", "reason")
    }
    members = ics_member_list(cooperative, flags=flags, standard=standard, on=on, personal_data=personal_data)
    families = []
    for family in members["families"]:
        decision = decisions.get(family["id"])
        if decision is not None:
            families.append({**family, "approval": decision})
    return {**members, "standard": {"code": standard.code, "name": standard.name}, "year": year, "families": families}
