"""Plots as map features for the pages: one colour per certification and EUDR status.

Reads plain rows and passes each stored geometry through as text (orjson.Fragment), so a map
of a whole cooperative costs two queries and no parsing of polygons (PERFORMANCE.md).
"""

import orjson
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from certifications.models import CoveredPlot

from .models import ConversionStatus, Plot, conversion_status

# What a plot's colour on the map says.
CERTIFIED = "certified"  # organic, and in a certificate in force today
IN_CONVERSION = "in_conversion"
NOT_CERTIFIED = "not_certified"

EUDR_READY = "ready"  # mapped, and assessed as not deforested after 31 Dec 2020
EUDR_NOT_ASSESSED = "not_assessed"
EUDR_AT_RISK = "at_risk"  # deforested or inconclusive
EUDR_NO_GEOMETRY = "no_geometry"


def certification_state(conversion, covered):
    if conversion == ConversionStatus.ORGANIC and covered:
        return CERTIFIED
    if conversion in (ConversionStatus.YEAR_1, ConversionStatus.YEAR_2, ConversionStatus.YEAR_3):
        return IN_CONVERSION
    return NOT_CERTIFIED


def eudr_state(has_geometry, result):
    if not has_geometry:
        return EUDR_NO_GEOMETRY
    if result == Plot.DeforestationResult.NOT_DEFORESTED:
        return EUDR_READY
    if result == Plot.DeforestationResult.NOT_ASSESSED:
        return EUDR_NOT_ASSESSED
    return EUDR_AT_RISK


def covered_on(day):
    """An Exists() for a plot in a certificate in force on `day`, not excluded then."""
    return Exists(
        CoveredPlot.objects.filter(
            plot=OuterRef("pk"), certificate__valid_from__lte=day, certificate__valid_to__gte=day
        ).exclude(excluded_on__lte=day)
    )


def feature_collection(plots, today, link=True):
    """A GeoJSON FeatureCollection (as bytes) of the mapped plots in `plots` (a Plot queryset)."""
    rows = (
        plots.filter(geometry__isnull=False)
        .annotate(geometry_text=Cast("geometry", TextField()), covered=covered_on(today))
        .order_by("code", "id")
        .values(
            "id",
            "code",
            "name",
            "producer_id",
            "producer__first_name",
            "producer__last_name",
            "cooperative__code",
            "declared_area_ha",
            "measured_area_ha",
            "conversion_start",
            "deforestation_result",
            "geometry_text",
            "covered",
        )
    )
    features = []
    # One reverse() for the page, not one per plot (it was half the time of a large map).
    profile = reverse("producer_detail", args=["CODE", 0]).replace("/0/", "/{}/").replace("/CODE/", "/{}/")
    for row in rows:
        conversion = conversion_status(row["conversion_start"], today)
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": orjson.Fragment(row["geometry_text"]),
                "properties": {
                    "code": row["code"],
                    "name": row["name"],
                    "family": f"{row['producer__first_name']} {row['producer__last_name']}",
                    "area_ha": float(row["measured_area_ha"] or row["declared_area_ha"] or 0),
                    "conversion": conversion,
                    "certification": certification_state(conversion, row["covered"]),
                    "eudr": eudr_state(True, row["deforestation_result"]),
                    "url": profile.format(row["cooperative__code"], row["producer_id"]) if link else None,
                },
            }
        )
    return orjson.dumps({"type": "FeatureCollection", "features": features})
