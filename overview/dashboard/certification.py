"""Certificates expiring, and the year's internal inspections. (overview.dashboard)"""

import datetime

from certifications.models import Certificate, InspectionCampaign
from certifications.selectors import Progress, campaigns_progress
from cooperatives.models import cooperative_ids
from producers.models import Producer

from .common import (
    EXPIRY_DAYS,
    pct,
)
from .members import members

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
