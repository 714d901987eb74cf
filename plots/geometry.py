"""Plot geometries: GeoJSON in, EUDR rules E1-E5 checked, geodesic area out.

A geometry is kept as a GeoJSON geometry object (a dict), WGS84, longitude first.
Rule names (E1...) are those of DOMAIN.md; each problem carries the EU system's
error code so that what the EU would refuse is refused here first, in words a
field officer understands.
"""

import math
import re
from decimal import ROUND_DOWN, Decimal

import orjson
import shapely
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from pyproj import Geod
from shapely import is_valid_reason
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

GEOD = Geod(ellps="WGS84")
EUDR_DECIMALS = 6
EUDR_POINT_MAX_HA = Decimal(4)
EUDR_POINT_MIN_HA = Decimal("0.0001")
ACCEPTED_TYPES = ("Point", "Polygon", "MultiPolygon")
# How deep each type's coordinates are nested: a position, rings, polygons.
NESTING = {"Point": 1, "Polygon": 3, "MultiPolygon": 4}
COLLINEAR_TOLERANCE = 1e-10
# The largest plot a polygon may enclose. A family's cocoa plot is 0.5-5 ha and a whole cooperative
# maps a few hundred (DOMAIN.md), but the EU's own example "farms" enclose up to 20,687 ha and Whisp's
# sample plots 1,409 ha: the bound refuses what no farm is (a corner typed wrong, a polygon round the
# globe, which overflowed the measured area's column), not what is merely large.
PLOT_MAX_HA = 100_000
# How deep JSON text may nest: a MultiPolygon's numbers lie 6 deep in a feature collection, and a
# feature's properties a few more. Deeper text is refused as it is read, before anything recursive
# (Python's json, the checks below, the database's JSON) meets it.
MAX_NESTING = 32

# The EU's own error codes (fixtures/eudr/eudr_geo_error_codes.csv).
EU_INVALID = "EUDR_COMMODITIES_PRODUCER_GEO_INVALID"
EU_LATITUDE = "EUDR_COMMODITIES_PRODUCER_GEO_LATITUDE_INVALID"
EU_LONGITUDE = "EUDR_COMMODITIES_PRODUCER_GEO_LONGITUDE_INVALID"
EU_POLYGON = "EUDR_COMMODITIES_PRODUCER_GEO_POLYGON_INVALID"
EU_AREA = "EUDR_COMMODITIES_PRODUCER_GEO_AREA_INVALID"


def _error(message, code, **params):
    return ValidationError(message, code=code, params=params or None)


class TooDeep(ValueError):
    """JSON text nested deeper than MAX_NESTING."""


def nesting_exceeds(value, limit):
    """Whether lists and objects in `value` nest more than `limit` deep (the outermost counts 1).

    A loop, not a recursion, so that it answers for any depth.
    """
    if type(value) is not list and type(value) is not dict:
        return False
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        for child in value.values() if type(value) is dict else value:
            if type(child) is list or type(child) is dict:
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def loads(text):
    """Read JSON text (str or UTF-8 bytes); ValueError if it is not JSON, TooDeep if it nests too deep.

    orjson refuses what Python's json takes but nothing after it can store: lone surrogates
    ("\\ud800"), numbers too large for a float (1e400), NaN and Infinity.
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "depth" in str(error):  # orjson's own limit, 1024 levels
            raise TooDeep(str(error)) from None
        raise
    if nesting_exceeds(value, MAX_NESTING):
        raise TooDeep(f"nested more than {MAX_NESTING} levels deep")
    return value


def parse(value):
    """Return a GeoJSON geometry dict from a dict, a JSON text or a Feature."""
    if isinstance(value, (str, bytes)):
        try:
            value = loads(value)
        except TooDeep:
            raise _error(
                _("This GeoJSON text nests more than %(limit)d levels deep; a plot's shape needs 6 at most."),
                EU_INVALID,
                limit=MAX_NESTING,
            ) from None
        except ValueError:
            raise _error(_("This is not valid GeoJSON text."), EU_INVALID) from None
    if not isinstance(value, dict):
        raise _error(_("A geometry must be a GeoJSON object."), EU_INVALID)
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise _error(_("This GeoJSON feature has no geometry."), EU_INVALID)
    return value


def _is_number(value):
    kind = type(value)
    if kind is float or kind is int:  # what JSON gives, told apart from bool without two isinstance calls
        return math.isfinite(value)
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_position(position, errors):
    if not isinstance(position, (list, tuple)) or len(position) < 2 or not all(_is_number(c) for c in position):
        errors.append(_error(_("Each position must be a list of numbers [longitude, latitude]."), EU_INVALID))
        return False
    lon, lat = position[0], position[1]
    ok = True
    if not -180 <= lon <= 180:
        errors.append(
            _error(
                _("Longitude %(lon)s lies outside -180 to 180 (is it swapped with the latitude?)."),
                EU_LONGITUDE,
                lon=lon,
            )
        )
        ok = False
    if not -90 <= lat <= 90:
        errors.append(
            _error(
                _("Latitude %(lat)s lies outside -90 to 90 (is it swapped with the longitude?)."), EU_LATITUDE, lat=lat
            )
        )
        ok = False
    return ok


def _depth(coords):
    depth = 0
    while isinstance(coords, (list, tuple)) and coords:
        depth += 1
        coords = coords[0]
    return depth


def _plain_positions(ring):
    """Whether every position of the ring is a list of finite numbers with longitude and latitude in range.

    The usual case, checked in one loop: a call of _check_position per position and of _is_number per
    coordinate cost a third of the checks of an import of 10,000 plots. Anything else takes the slow
    path, which says what is wrong.
    """
    isfinite = math.isfinite
    for position in ring:
        if type(position) is not list or len(position) < 2:
            return False
        for c in position:
            if (type(c) is not float and type(c) is not int) or not isfinite(c):
                return False
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            return False
    return True


def _check_ring(ring, errors):
    if not isinstance(ring, (list, tuple)):
        errors.append(_error(_("A polygon ring must be a list of positions."), EU_INVALID))
        return
    if not _plain_positions(ring) and not all(_check_position(p, errors) for p in ring):
        return
    if len(ring) < 4:
        errors.append(
            _error(_("A polygon ring needs at least 4 positions; this one has %(count)d."), EU_POLYGON, count=len(ring))
        )
        return
    if list(ring[0][:2]) != list(ring[-1][:2]):
        errors.append(_error(_("A polygon ring must end where it starts (it is not closed)."), EU_POLYGON))
        return
    distinct = {tuple(p[:2]) for p in ring}
    if len(distinct) < 3:
        errors.append(_error(_("A polygon ring needs at least 3 different corners."), EU_POLYGON))


def _check_polygon(rings, errors):
    if not isinstance(rings, (list, tuple)) or not rings:
        errors.append(_error(_("A polygon needs at least one ring of positions."), EU_INVALID))
        return
    if len(rings) > 1:
        errors.append(
            _error(
                ngettext_lazy(
                    "This polygon has %(count)d hole; the EU system does not process holes.",
                    "This polygon has %(count)d holes; the EU system does not process holes.",
                    "count",
                ),
                EU_POLYGON,
                count=len(rings) - 1,
            )
        )
        return
    before = len(errors)
    _check_ring(rings[0], errors)
    if len(errors) > before:
        return
    corners = [p[:2] for p in rings[0]]
    polygon = Polygon(corners)
    if _all_on_one_line(corners):
        errors.append(_error(_("All corners of this polygon lie on one line: it encloses no area."), EU_POLYGON))
    elif not polygon.is_valid:
        errors.append(_invalid_shape(_("This polygon's sides cross or touch each other"), polygon))


def _all_on_one_line(corners):
    """Whether the corners lie on one line, allowing for the noise of float coordinates.

    Not polygon.area == 0: the two halves of a symmetric bow-tie cancel out to zero
    area too, and that one is a crossing. And not an exact zero either: corners
    typed on one line, such as (-76.138, -6.574), (-76.137, -6.573), (-76.136, -6.572),
    enclose 1.5e-17 square degrees as floats, which GEOS takes for a valid sliver.
    The tolerance compares the hull's area with its squared perimeter: float noise
    gives about 1e-12, the thinnest triangle with 6-decimal corners about 1e-9.
    """
    # shapely.multipoints builds the set in one call; MultiPoint() made a Point per corner (half of an export's time).
    hull = shapely.multipoints(corners).convex_hull
    return hull.area <= COLLINEAR_TOLERANCE * hull.length**2


def _invalid_shape(problem, geom):
    """Say where GEOS found a shape invalid, so that the officer knows which corner to look at."""
    reason = is_valid_reason(geom)
    where = re.search(r"\[(\S+) (\S+)\]", reason)
    if where:
        return _error(
            _("%(problem)s near longitude %(lon)s, latitude %(lat)s."),
            EU_POLYGON,
            problem=problem,
            lon=where[1],
            lat=where[2],
        )
    return _error(_("%(problem)s (%(reason)s)."), EU_POLYGON, problem=problem, reason=reason)


def validate(geometry):
    """Raise a ValidationError listing every problem of a geometry (rules E3 and E5)."""
    geometry = parse(geometry)
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind not in ACCEPTED_TYPES:
        raise _error(
            _("A plot is a Point, a Polygon or a MultiPolygon, not %(kind)s."), EU_INVALID, kind=kind or _("nothing")
        )
    if not isinstance(coords, (list, tuple)) or not coords:
        raise _error(_("This geometry has no coordinates."), EU_INVALID)
    depth = _depth(coords)
    if kind == "Polygon" and depth == 4:
        raise _error(_("This geometry says Polygon but its coordinates are nested like a MultiPolygon."), EU_INVALID)
    if kind == "MultiPolygon" and depth == 3:
        raise _error(_("This geometry says MultiPolygon but its coordinates are nested like a Polygon."), EU_INVALID)
    if depth != NESTING[kind]:
        # Read as they stand, a Polygon's single ring would pass for a polygon with holes.
        raise _error(
            _("The coordinates of this %(kind)s are nested %(depth)d deep; GeoJSON nests them %(expected)d deep."),
            EU_INVALID,
            kind=kind,
            depth=depth,
            expected=NESTING[kind],
        )
    errors = []
    if kind == "Point":
        _check_position(coords, errors)
    elif kind == "Polygon":
        _check_polygon(coords, errors)
    else:
        for part in coords:
            _check_polygon(part, errors)
        if not errors:
            multi = MultiPolygon([Polygon([p[:2] for p in part[0]]) for part in coords])
            if not multi.is_valid:
                errors.append(_invalid_shape(_("The parts of this plot overlap each other"), multi))
    if errors:
        raise ValidationError(errors)
    if kind != "Point" and _may_exceed(coords, PLOT_MAX_HA):
        # Abs: a ring around most of the globe comes out negative, pyproj taking the rest of it for the inside.
        area = abs(geodesic_area_ha(geometry))
        if area > PLOT_MAX_HA:
            raise _error(
                _(
                    "This shape encloses %(area)s ha; a plot is at most %(limit)s ha. Check that its corners "
                    "follow the plot's boundary: one typed wrong can span a province."
                ),
                EU_AREA,
                area=number_format(area, 0, force_grouping=True),
                limit=number_format(PLOT_MAX_HA, 0, force_grouping=True),
            )
    return geometry


def _may_exceed(coords, limit_ha):
    """Whether the shape's bounding box could hold more than `limit_ha`, so that only large shapes pay for
    a geodesic area: a degree is at most 111.7 km north-south (at the poles) and 111.4 km east-west (at
    the equator)."""
    positions = [p for part in (coords if isinstance(coords[0][0][0], list) else [coords]) for p in part[0]]
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    box_km2 = (max(lons) - min(lons)) * 111.4 * (max(lats) - min(lats)) * 111.7
    return box_km2 * 100 > limit_ha


def truncate(geometry, decimals=EUDR_DECIMALS):
    """Cut every coordinate to `decimals` digits, toward zero, as the EU format asks (E4).

    Cutting, not rounding: -76.1234567 becomes -76.123456 and 76.1234567 becomes
    76.123456. The digits are those of the shortest repr of the float, so a
    coordinate that already has 6 digits (-76.123456, stored as
    -76.12345599999999...) is kept, not cut to -76.123455. Heights are dropped.
    """
    geometry = parse(geometry)
    quantum = Decimal(1).scaleb(-decimals)

    def cut_number(number):
        # A coordinate with no more than `decimals` digits is kept: round() gives it back exactly when its
        # shortest repr has no more digits, which is what the Decimal below would find, 5 times slower.
        kind = type(number)
        if (kind is float or kind is int) and -1e6 < number < 1e6 and round(number, decimals) == number:
            return number + 0.0
        # + 0.0 turns the -0.0 that cutting -0.0000001 gives into 0.0.
        return float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_DOWN)) + 0.0

    def cut(value):
        if isinstance(value, (list, tuple)):
            if value and _is_number(value[0]):
                return [cut_number(c) for c in value[:2]]
            return [cut(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": cut(geometry["coordinates"])}


def _merged_corners(original, cut):
    """The points where two neighbouring corners, distinct in `original`, became one in `cut`."""
    if not original or not isinstance(original[0], (list, tuple)):
        return []
    if original[0] and _is_number(original[0][0]):
        return [
            cut[i]
            for i in range(len(cut) - 1)
            if cut[i] == cut[i + 1] and list(original[i][:2]) != list(original[i + 1][:2])
        ]
    return [point for o, c in zip(original, cut, strict=True) for point in _merged_corners(o, c)]


def validate_for_eudr(geometry):
    """Validate, then validate again after truncation (E4): cutting digits can merge two corners.

    Two neighbouring corners that become one are refused even when what is left
    is still a valid polygon (a square that turns into a triangle): the plot the
    EU would receive is not the plot that was mapped.
    """
    geometry = validate(geometry)
    cut = truncate(geometry)
    if cut == geometry:
        # Nothing was cut (the import rounds first): the same numbers pass the same checks again.
        return cut
    merged = _merged_corners(geometry["coordinates"], cut["coordinates"])
    if merged:
        raise ValidationError(
            [
                _error(
                    _(
                        "After cutting coordinates to %(decimals)d decimals, two neighbouring corners become one "
                        "point at longitude %(lon)s, latitude %(lat)s: map them further apart."
                    ),
                    EU_POLYGON,
                    decimals=EUDR_DECIMALS,
                    lon=lon,
                    lat=lat,
                )
                for lon, lat in merged
            ]
        )
    try:
        return validate(cut)
    except ValidationError as error:
        raise ValidationError(
            [
                _error(
                    _("After cutting coordinates to %(decimals)d decimals: %(problem)s"),
                    e.code,
                    decimals=EUDR_DECIMALS,
                    problem=m,
                )
                for e in error.error_list
                for m in e.messages
            ]
        ) from None


def normalize(geometry):
    """Repair what can be repaired safely, and say what was done.

    Returns (geometry, notes). 3-D positions lose their height; a Polygon nested
    like a MultiPolygon (as some GIS exports write) becomes a MultiPolygon.
    """
    geometry = parse(geometry)
    notes = []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon" and _depth(coords) == 4:
        kind = "MultiPolygon"
        notes.append(_("declared Polygon but nested like a MultiPolygon: read as MultiPolygon"))

    def flatten(value):
        if isinstance(value, list) and value and _is_number(value[0]):
            if len(value) > 2:
                flatten.dropped = True
            return value[:2]
        return [flatten(v) for v in value] if isinstance(value, list) else value

    flatten.dropped = False
    coords = flatten(coords)
    if flatten.dropped:
        notes.append(_("heights dropped (3-D positions made 2-D)"))
    return {"type": kind, "coordinates": coords}, notes


def to_shape(geometry):
    return shape(geometry)


def geodesic_area_ha(geometry):
    """Area on the WGS84 ellipsoid, in hectares; 0 for a point.

    pyproj's area is signed by ring orientation (clockwise is negative), so
    every ring is oriented counter-clockwise first.
    """
    geom = shape(geometry)
    if isinstance(geom, Polygon):
        parts = [geom]
    elif isinstance(geom, MultiPolygon):
        parts = list(geom.geoms)
    else:
        return Decimal(0)
    square_metres = sum(GEOD.geometry_area_perimeter(orient(part, sign=1.0))[0] for part in parts)
    return Decimal(square_metres / 10_000).quantize(Decimal("0.0001"))


def centroid(geometry):
    """(longitude, latitude) of a geometry's centre, for maps and district checks."""
    point = shape(geometry).centroid
    return point.x, point.y
