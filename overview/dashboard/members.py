"""Members: families by status, sex and youth, and the people of their households. (overview.dashboard)"""

from django.db.models import (
    Count,
    Q,
)

from cooperatives.models import cooperative_ids
from producers.models import HouseholdMember, Producer, Sex

from .common import YOUTH_AGE, _by_cooperative, pct, years_before

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
