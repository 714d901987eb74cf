"""Plots as map features for the pages: one colour per certification and EUDR status.

Reads plain rows and passes each stored geometry through as text (orjson.Fragment), so a map
of a whole cooperative costs two queries and no parsing of polygons (PERFORMANCE.md).
"""

import orjson
import shapely
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from shapely.geometry import shape

from cooperatives.models import DistrictBoundary

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


def feature_collection(plots, today, link=True):
    """A GeoJSON FeatureCollection (as bytes) of the mapped plots in `plots`: a Plot queryset annotated with
    `covered`, whether the plot is under a certificate on `today` (certifications.selectors.covered_on)."""
    rows = (
        plots.filter(geometry__isnull=False)
        .annotate(geometry_text=Cast("geometry", TextField()))
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


# The plots of a community a map opens on: enough to frame it, few enough to read in one go.
COMMUNITY_PLOTS = 300
# A community spans a few kilometres: closer than this, one neighbour's plot would fill the map.
COMMUNITY_MAX_ZOOM = 15
DISTRICT_MAX_ZOOM = 13
# A district known by one point: a rural district of Peru, some 30 km across, at a phone's width.
DISTRICT_ZOOM = 11


def _corners(west, south, east, north):
    """Leaflet's [[south, west], [north, east]], to about a centimetre."""
    return [[round(south, 7), round(west, 7)], [round(north, 7), round(east, 7)]]


def starting_place(producer):
    """Where a map opens for a family that has no mapped plot yet: its community, else its district.

    A community has no coordinates of its own: it is where the cooperative's families of the same
    community and district have mapped their plots. A district is its boundary's centroid (a point
    inside it, for a district curved around its centroid), framed by the boundary, which is drawn
    too; a district without a boundary is its ubigeo's point, the district capital. None when nothing
    is known. A dict for the page's script: centre [lat, lon], bounds [[south, west], [north, east]]
    or None, max_zoom (the zoom itself without bounds), outline (GeoJSON) or None, kind ("community"
    or "district") and name.
    """
    if producer.community:
        geometries = list(
            Plot.objects.filter(
                cooperative_id=producer.cooperative_id,
                producer__district_id=producer.district_id,
                producer__community__iexact=producer.community,
                geometry__isnull=False,
            )
            .order_by("id")
            .values_list("geometry", flat=True)[:COMMUNITY_PLOTS]
        )
        if geometries:
            west, south, east, north = shapely.GeometryCollection([shape(g) for g in geometries]).bounds
            return {
                "kind": "community",
                "name": producer.community,
                "centre": [round((south + north) / 2, 6), round((west + east) / 2, 6)],
                "bounds": _corners(west, south, east, north),
                "max_zoom": COMMUNITY_MAX_ZOOM,
                "outline": None,
            }
    district = producer.district
    boundary = DistrictBoundary.objects.filter(district_id=district.pk).first()
    if boundary is not None:
        area = shape(boundary.geometry)
        centre = area.centroid if area.contains(area.centroid) else area.representative_point()
        west, south, east, north = area.bounds
        return {
            "kind": "district",
            "name": district.name.title(),
            "centre": [round(centre.y, 6), round(centre.x, 6)],
            "bounds": _corners(west, south, east, north),
            "max_zoom": DISTRICT_MAX_ZOOM,
            "outline": boundary.geometry,
        }
    if district.latitude is not None and district.longitude is not None:
        return {
            "kind": "district",
            "name": district.name.title(),
            "centre": [float(district.latitude), float(district.longitude)],
            "bounds": None,
            "max_zoom": DISTRICT_ZOOM,
            "outline": None,
        }
    return None
