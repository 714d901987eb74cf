"""The plots' red flags for the internal control system (DOMAIN.md, ICS), which need no purchase:

- Plots of different families that overlap by more than GPS noise (OVERLAP_MIN_M2,
  OVERLAP_MIN_SHARE).
- Plots outside the district their family declared, past the boundary's own tolerance
  (cooperatives.DistrictBoundary). A district without a boundary is "not checked".
- Families whose plots add up to more than 5 ha (EU Reg. 2018/848 Art. 36: a member of an
  organic group holds at most 5 ha, unless its turnover and certification cost qualify it,
  which only the ICS can tell: a flag to review, not a verdict).

They look at the plots of families that have not withdrawn (applicants included: the ICS checks
them before admission). harvests.plausibility adds the families over their plausible yield and
gives all four to every face.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

import numpy
import shapely
from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, F, Max, OuterRef, Subquery, TextField, When
from django.db.models.functions import Cast
from pyproj import Geod
from shapely.geometry.polygon import orient

from cooperatives.models import Cooperative, DistrictBoundary
from producers.models import Producer

from .models import Plot

HA = DecimalField(max_digits=12, decimal_places=4)
CENT = Decimal("0.01")
# An overlap counts when it is larger than both: 100 m² is a 2 m sliver along a 50 m side, what two
# neighbours mapped apart with phone GPS (±2 to 5 m) leave along their shared boundary; 1 % of the
# smaller plot keeps the same noise along a long boundary (a 5 ha plot: 500 m², 2 m along 250 m)
# from counting. A family claiming a neighbour's land overlaps by far more.
OVERLAP_MIN_M2 = Decimal(100)
OVERLAP_MIN_SHARE = Decimal("0.01")
# EU Reg. 2018/848 Art. 36(1)(b): the holding of a member of a group of operators.
HOLDING_MAX_HA = Decimal(5)
# Metres per degree of latitude (WGS84 mean); a degree of longitude near the equator, where Peru's
# cocoa grows (6° S: cos 6° = 0.995), is within 1 % of it, far finer than a district boundary.
METRES_PER_DEGREE = 111_320
GEOD = Geod(ellps="WGS84")
# A degree of longitude is shorter than METRES_PER_DEGREE away from the equator; half of it still
# holds at 60° of latitude, so an overlap that passes OVERLAP_MIN_M2 is never ruled out as too small.
PLANAR_MARGIN = 0.5
PLOT_FLAGS_SECONDS = 600
NOT_WITHDRAWN = [Producer.Status.APPLICANT, Producer.Status.ACTIVE, Producer.Status.SUSPENDED]


def full_name(first, last):
    return f"{first} {last}".strip()


def _family_name(row):
    return full_name(row.producer__first_name, row.producer__last_name)


# The figures of each flag


@dataclass(frozen=True)
class OverlapFlag:
    """Two plots of different families that share more land than GPS noise explains."""

    plot_id: int
    plot_code: str
    producer_id: int
    producer_code: str
    producer_name: str
    other_plot_id: int
    other_plot_code: str
    other_producer_id: int
    other_producer_code: str
    other_producer_name: str
    overlap_m2: Decimal
    overlap_pct: Decimal  # of the smaller plot


@dataclass(frozen=True)
class OutsideDistrictFlag:
    """A plot that reaches further past its declared district's boundary than the boundary's tolerance."""

    plot_id: int
    plot_code: str
    producer_id: int
    producer_code: str
    producer_name: str
    district: str  # INEI ubigeo
    district_name: str
    distance_m: int  # of the plot's furthest point from the boundary
    tolerance_m: int


@dataclass(frozen=True)
class HoldingFlag:
    """A family whose plots add up to more than an EU organic group member may hold."""

    producer_id: int
    code: str
    name: str
    plots: int
    hectares: Decimal
    limit_ha: Decimal


@dataclass(frozen=True)
class DistrictNotChecked:
    """A district that plots declare and that has no boundary to check them against."""

    district: str
    district_name: str
    plots: int


def plot_area():
    """A plot's area for the checks: measured when mapped as a polygon, else declared."""
    return Case(
        When(measured_area_ha__gt=0, then=F("measured_area_ha")), default=F("declared_area_ha"), output_field=HA
    )


# Plots: overlaps, districts, holdings


def _plots(cooperative_id):
    """Every plot of the families that have not withdrawn, with what the checks read, in one query."""
    families = Producer.objects.filter(cooperative_id=cooperative_id, status__in=NOT_WITHDRAWN).values("pk")
    return list(
        Plot.objects.filter(cooperative_id=cooperative_id, producer_id__in=families)
        .order_by("code", "id")
        .annotate(area=plot_area(), geometry_text=Cast("geometry", TextField()))
        .values_list(
            "id",
            "code",
            "producer_id",
            "producer__code",
            "producer__first_name",
            "producer__last_name",
            "district_id",
            "district__name",
            "area",
            "geometry_text",
            named=True,
        )
    )


def read_shapes(plots):
    """The shapely geometry of each plot row (None when not mapped), parsed by GEOS in one call."""
    mapped = [i for i, row in enumerate(plots) if row.geometry_text]
    shapes = [None] * len(plots)
    if mapped:
        for i, geometry in zip(mapped, shapely.from_geojson([plots[i].geometry_text for i in mapped]), strict=True):
            shapes[i] = geometry
    return shapes


def geodesic_m2(geometry):
    """The area of a shapely (Multi)Polygon or collection on the WGS84 ellipsoid, in m²."""
    parts = shapely.get_parts(geometry)
    total = 0.0
    for part in parts:
        if isinstance(part, shapely.Polygon) and not part.is_empty:
            total += abs(GEOD.geometry_area_perimeter(orient(part, sign=1.0))[0])
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            total += geodesic_m2(part)
    return total


def overlaps(plots, shapes):
    """Pairs of plots of different families whose shared land is more than GPS noise, the largest first.

    `plots` are rows of `_plots`, `shapes` their shapely geometries (None when not mapped). One
    STRtree query finds the candidate pairs; only those are intersected and measured.
    """
    polygons = [i for i, s in enumerate(shapes) if s is not None and s.geom_type in ("Polygon", "MultiPolygon")]
    if len(polygons) < 2:
        return []
    geometries = numpy.array([shapes[i] for i in polygons], dtype=object)
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    families = numpy.array([plots[i].producer_id for i in polygons])
    keep = (left < right) & (families[left] != families[right])
    left, right = left[keep], right[keep]
    # Neighbours' plots that only touch are most of the candidates: their planar shared area (square
    # degrees, in one vectorised call) rules them out before any pair is measured on the ellipsoid.
    planar = shapely.area(shapely.intersection(geometries[left], geometries[right])) * METRES_PER_DEGREE**2
    candidates = planar > float(OVERLAP_MIN_M2) * PLANAR_MARGIN
    pairs = [
        (polygons[a], polygons[b]) for a, b in zip(left[candidates].tolist(), right[candidates].tolist(), strict=True)
    ]
    flagged = []
    for a, b in pairs:
        shared = Decimal(geodesic_m2(shapely.intersection(shapes[a], shapes[b]))).quantize(Decimal(1))
        smaller_m2 = min(plots[a].area, plots[b].area) * 10_000
        if shared <= OVERLAP_MIN_M2 or shared <= smaller_m2 * OVERLAP_MIN_SHARE:
            continue
        one, other = plots[a], plots[b]
        flagged.append(
            OverlapFlag(
                plot_id=one.id,
                plot_code=one.code,
                producer_id=one.producer_id,
                producer_code=one.producer__code,
                producer_name=_family_name(one),
                other_plot_id=other.id,
                other_plot_code=other.code,
                other_producer_id=other.producer_id,
                other_producer_code=other.producer__code,
                other_producer_name=_family_name(other),
                overlap_m2=shared,
                overlap_pct=(shared * 100 / smaller_m2).quantize(Decimal("0.1")) if smaller_m2 else Decimal(100),
            )
        )
    flagged.sort(key=lambda f: (-f.overlap_m2, f.plot_code, f.other_plot_code))
    return flagged


def outside_districts(plots, shapes):
    """Plots further outside their declared district's boundary than its tolerance, and the districts unchecked.

    Returns (flags, districts not checked). The distance is that of the plot's furthest corner
    from the boundary (0 for a corner inside), in metres.
    """
    declared = {row.district_id for row, s in zip(plots, shapes, strict=True) if s is not None}
    boundaries = {
        b.district_id: b for b in DistrictBoundary.objects.filter(district_id__in=declared).select_related("district")
    }
    shapes_of = {pk: shapely.from_geojson(json.dumps(b.geometry)) for pk, b in boundaries.items()}
    for boundary in shapes_of.values():
        shapely.prepare(boundary)
    flagged, unchecked = [], {}
    for row, plot in zip(plots, shapes, strict=True):
        if plot is None:
            continue
        district = row.district_id
        if district not in boundaries:
            name, count = unchecked.get(district, (row.district__name, 0))
            unchecked[district] = (name, count + 1)
            continue
        boundary, tolerance = shapes_of[district], boundaries[district].tolerance_m
        if boundary.contains(plot):
            continue
        corners = shapely.points(shapely.get_coordinates(plot))
        distance = round(float(shapely.distance(boundary, corners).max()) * METRES_PER_DEGREE)
        if distance <= tolerance:
            continue
        flagged.append(
            OutsideDistrictFlag(
                plot_id=row.id,
                plot_code=row.code,
                producer_id=row.producer_id,
                producer_code=row.producer__code,
                producer_name=_family_name(row),
                district=district,
                district_name=row.district__name,
                distance_m=distance,
                tolerance_m=tolerance,
            )
        )
    flagged.sort(key=lambda f: (-f.distance_m, f.plot_code))
    not_checked = [DistrictNotChecked(pk, name, n) for pk, (name, n) in sorted(unchecked.items())]
    return flagged, not_checked


def over_holding(plots):
    """Families whose plots add up to more than HOLDING_MAX_HA, the largest holding first."""
    holdings = {}
    for row in plots:
        holding = holdings.setdefault(row.producer_id, {"row": row, "plots": 0, "hectares": Decimal(0)})
        holding["plots"] += 1
        holding["hectares"] += row.area
    flagged = [
        HoldingFlag(
            producer_id=pk,
            code=h["row"].producer__code,
            name=_family_name(h["row"]),
            plots=h["plots"],
            hectares=h["hectares"].quantize(CENT),
            limit_ha=HOLDING_MAX_HA,
        )
        for pk, h in holdings.items()
        if h["hectares"] > HOLDING_MAX_HA
    ]
    flagged.sort(key=lambda f: (-f.hectares, f.code))
    return flagged


def plot_flags(cooperative_id):
    """Overlaps, plots outside their district and holdings: read from the cache while the plots stand.

    They depend on the plots, their families and the boundaries alone, not on the season. Reading
    2,000 polygons and parsing them costs about 60 ms, more than the rest of a dashboard; one query
    for the newest change to any of them (`modified`, which every write and import keeps, and the
    number of plots, which a deletion changes) says whether the cached flags still hold. They are
    dropped after PLOT_FLAGS_SECONDS anyway, so a write that bypassed `modified` shows soon.
    """
    key = f"plausibility:plots:{cooperative_id}:{_plots_version(cooperative_id)}"
    flags = cache.get(key)
    if flags is None:
        plots = _plots(cooperative_id)
        shapes = read_shapes(plots)
        outside, not_checked = outside_districts(plots, shapes)
        flags = {
            "overlaps": overlaps(plots, shapes),
            "outside_district": outside,
            "over_holding": over_holding(plots),
            "districts_not_checked": not_checked,
        }
        cache.set(key, flags, PLOT_FLAGS_SECONDS)
    return flags


def _plots_version(cooperative_id):
    """What changes when the plots' flags may: counts and newest changes of plots, families and boundaries."""

    def newest(queryset):
        return Subquery(queryset.order_by().values("cooperative_id").annotate(last=Max("modified")).values("last"))

    own = {"cooperative_id": OuterRef("pk")}
    row = (
        Cooperative.objects.filter(pk=cooperative_id)
        .annotate(
            plots=Subquery(
                Plot.objects.filter(**own).order_by().values("cooperative_id").annotate(n=Count("id")).values("n")
            ),
            plot_changed=newest(Plot.objects.filter(**own)),
            family_changed=newest(Producer.objects.filter(**own)),
            boundary_changed=Subquery(DistrictBoundary.objects.order_by("-modified").values("modified")[:1]),
        )
        .values_list("plots", "plot_changed", "family_changed", "boundary_changed")
        .first()
    )
    return "-".join(str(value.timestamp() if hasattr(value, "timestamp") else value) for value in row or ())
