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

from certifications.models import Inspection, InspectionCampaign
from cooperatives.models import cooperative_ids
from cooperatives.seasons import season_bounds, season_of
from harvests import plausibility
from harvests.models import Delivery

from .certification import CAMPAIGN_FIGURES, certificates_expiring, inspection_campaigns, inspection_coverage
from .common import (
    EXPIRY_DAYS,
    MEMBER_STATUSES,
    MOISTURE_MAX,
    MOISTURE_TARGET,
    SEASONS_SHOWN,
    YOUTH_AGE,
    ZERO,
    pct,
    years_before,
)
from .hectares import member_plots, plots
from .members import households, members
from .purchases import DELIVERY_SUMS, deliveries_by_month, delivery_totals, quality, season_totals
from .trade import trade

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


__all__ = [
    "CAMPAIGN_FIGURES",
    "DELIVERY_SUMS",
    "EXPIRY_DAYS",
    "MEMBER_STATUSES",
    "MOISTURE_MAX",
    "MOISTURE_TARGET",
    "SEASONS_SHOWN",
    "YOUTH_AGE",
    "ZERO",
    "certificates_expiring",
    "dashboard",
    "deliveries_by_month",
    "delivery_totals",
    "households",
    "inspection_campaigns",
    "inspection_coverage",
    "member_plots",
    "members",
    "overview",
    "pct",
    "plots",
    "quality",
    "season_totals",
    "seasons_until",
    "seasons_with_data",
    "totals",
    "trade",
    "years_before",
]
