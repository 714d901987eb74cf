"""A plot's boundary from the files GPS receivers and phone apps write: GeoJSON, KML (or KMZ) and GPX.

`read_file(uploaded_file)` finds the one plot in a file and returns its GeoJSON geometry with notes on
what was changed on the way (heights dropped, a walked line closed); `read_geometry` returns the
geometry alone. `read_shapes(content)` gives every shape of a file of many plots, each with its name
and properties, and `feature_geometry` the one geometry of each feature. What the file cannot give (no
shape, several plots, damaged or too large) is a `ValidationError` with a code and a message for the
person who uploaded it. So is the one plot of `read_file` when the rules a plot is saved with
(`plots.geometry.validate`: E3, E5) refuse its shape, a boundary that crosses itself say: that is said
as the file is read, with the plot's name, not when the plot is saved. The rules that also need the
plot's declared area (E1, E2) are the model's; the shapes of `read_shapes` are judged by their reader.

Nothing here knows about pages or requests: the plot editor and bulk imports read files the same way.

The format is told by the content, not by the file's name: phones name files as they like.
"""

import io
import json
import math
import re
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass, field, replace

import gpxpy
import gpxpy.gpx
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import geometry as geo

with warnings.catch_warnings():
    # fastkml warns on import that lxml is missing: only its pretty-printing needs it, not reading.
    warnings.simplefilter("ignore")
    from fastkml import Placemark
    from fastkml import config as kml_config

MAX_BYTES = 5 * 1024 * 1024
# A file of many plots: the EU's limit of geolocation per due-diligence statement.
MAX_SHAPES_BYTES = 25 * 1024 * 1024
# A line walked around a plot whose ends lie this close is a closed boundary: a phone's GPS under
# cocoa trees is off by 5-15 m, so a walk that ends 25 m from its start ended at the first corner.
CLOSING_DISTANCE_M = 25
# How many of the shapes found a message names before it stops counting them out.
NAMES_SHOWN = 5

GEOJSON, KML, GPX = "GeoJSON", "KML", "GPX"


@dataclass
class Reading:
    """What a file gave: one GeoJSON geometry, the format it came in, and what was changed on the way."""

    geometry: dict
    format: str
    notes: list = field(default_factory=list)


@dataclass
class Shape:
    """One shape found in a file: a feature, a placemark, a track, a route or a waypoint.

    `index` counts the file's features from 1 in the file's order (the shapes a collection is split
    into share their feature's); `where` says which one it is in words ("feature 3", "track 1");
    `name` is the file's own name for it; `properties` what the file says about it (a GeoJSON
    feature's properties, a placemark's name and extended data, a waypoint's name). A feature or
    placemark without a shape has the geometry None.
    """

    name: str
    geometry: dict | None
    index: int = 0
    where: str = ""
    properties: dict = field(default_factory=dict)

    @property
    def label(self):
        return self.name or str(self.where)


@dataclass
class Contents:
    """Every shape of a file, in the file's order; `crs` is the legacy GeoJSON crs member's name, if any."""

    format: str
    shapes: list
    crs: str = ""


def read_geometry(uploaded_file):
    """The GeoJSON geometry (dict) of the one plot in `uploaded_file`; ValidationError if there is none."""
    return read_file(uploaded_file).geometry


def read_file(uploaded_file):
    """Read the one plot in `uploaded_file` (a Django UploadedFile or any file with .read() and .name)."""
    name = getattr(uploaded_file, "name", "") or _("the file")
    contents = _contents(_read_bytes(uploaded_file, name), name)
    shape, notes = _choose(contents.shapes, name, contents.format)
    geometry, repairs = geo.normalize(shape.geometry)
    try:
        geometry = geo.validate(geometry)
    except ValidationError as error:
        raise _invalid_plot(name, shape, error) from None
    return Reading(geometry=geometry, format=contents.format, notes=notes + [capfirst(note) for note in repairs])


def _invalid_plot(name, shape, error):
    plot = f"“{shape.name}”" if shape.name else f"({shape.where})"
    return ValidationError(
        _(
            "The plot %(plot)s in %(name)s cannot be saved as it is. %(problems)s Correct it in the GPS or phone "
            "app and upload it again, or draw the plot on the map."
        ),
        code="invalid_shape",
        params={"plot": plot, "name": name, "problems": " ".join(error.messages)},
    )


def read_shapes(content, filename=""):
    """Every shape in a file of many plots (bytes), with its name and properties, in the file's order.

    The file is judged as a whole here (empty, too large, not a GPS file, damaged, not WGS84); each
    shape is judged by whoever reads it (see `feature_geometry`).
    """
    name = filename or _("the file")
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > MAX_SHAPES_BYTES:
        raise _too_large(name, len(content), MAX_SHAPES_BYTES)
    if not content.strip():
        raise _empty(name)
    return _contents(content, name)


def _contents(data, name):
    kind, content = _sniff(data, name)
    if kind == GEOJSON:
        return Contents(GEOJSON, _geojson_shapes(content, name), crs=_geojson_crs(content, name))
    if kind == KML:
        return Contents(KML, _kml_shapes(content, name))
    return Contents(GPX, _gpx_shapes(content, name))


def _read_bytes(uploaded_file, name):
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_large(name, size)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data.strip():
        raise _empty(name)
    return data


def _empty(name):
    return ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": name})


def _too_large(name, size, limit=MAX_BYTES):
    params = {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": limit // 1024 // 1024}
    if limit == MAX_BYTES:
        message = _("The file %(name)s is %(size)s MB; a plot's file may be at most %(limit)d MB.")
    else:
        message = _("The file %(name)s is %(size)s MB; the limit is %(limit)d MB. Split it into smaller files.")
    return ValidationError(message, code="too_large", params=params)


def _unknown(name):
    return ValidationError(
        _(
            "%(name)s is not a GeoJSON, KML or GPX file. Export the plot from the GPS or phone app "
            "in one of these formats."
        ),
        code="unknown_format",
        params={"name": name},
    )


def _unreadable(name, kind):
    return ValidationError(
        _("The %(format)s file %(name)s cannot be read: it is damaged or incomplete."),
        code="unreadable",
        params={"name": name, "format": kind},
    )


def _sniff(data, name):
    """(format, content): GeoJSON text, or the bytes of a KML (also from inside a KMZ) or GPX document."""
    if data.startswith(b"PK\x03\x04"):
        return KML, _kml_from_kmz(data, name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with its byte-order mark, as Windows' Notepad saves "Unicode": the same text in UTF-8.
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise _unknown(name) from None
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"{", b"["):
        try:
            text = start.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The GeoJSON file %(name)s is not UTF-8 text, as GeoJSON must be: save it again as UTF-8."),
                code="encoding",
                params={"name": name},
            ) from None
        try:
            return GEOJSON, geo.loads(text)
        except geo.TooDeep:
            raise ValidationError(
                _(
                    "The GeoJSON file %(name)s nests more than %(limit)d levels deep; a GPS or phone app "
                    "writes 6 at most. Export the plot again."
                ),
                code="too_deep",
                params={"name": name, "limit": geo.MAX_NESTING},
            ) from None
        except ValueError:
            raise _unreadable(name, GEOJSON) from None
    if start[:1] != b"<":
        raise _unknown(name)
    tag = _parse_xml(data, name, "XML").tag.rpartition("}")[2].lower()
    if tag == "kml":
        return KML, data
    if tag == "gpx":
        return GPX, data
    raise _unknown(name)


def _parse_xml(data, name, kind):
    # Entities are how an XML file makes a parser expand it a billion times; no GPS writes them.
    if b"<!ENTITY" in data:
        raise _unreadable(name, kind)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise _unreadable(name, kind) from None


def _kml_from_kmz(data, name):
    """The KML document inside a KMZ (a zip archive, as Google Earth saves)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            documents = [info for info in archive.infolist() if info.filename.lower().endswith(".kml")]
            if not documents:
                raise _unknown(name)
            # doc.kml is the main document by convention; others are overlays it links to.
            document = next((info for info in documents if info.filename.lower() == "doc.kml"), documents[0])
            if document.file_size > MAX_BYTES:
                raise _too_large(name, document.file_size)
            return archive.read(document)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _unreadable(name, "KMZ") from None


# GeoJSON


def _geojson_shapes(content, name):
    if not isinstance(content, dict):
        raise _unreadable(name, GEOJSON)
    kind = content.get("type")
    if kind == "FeatureCollection":
        features = content.get("features")
        if not isinstance(features, list):
            raise _unreadable(name, GEOJSON)
    elif kind == "Feature":
        features = [content]
    elif kind in ("Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString", "MultiPoint") or (
        kind == "GeometryCollection"
    ):
        features = [{"type": "Feature", "geometry": content}]
    else:
        raise _unreadable(name, GEOJSON)
    shapes = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise _unreadable(name, GEOJSON)
        geometry = feature.get("geometry")
        if geometry is not None and not isinstance(geometry, dict):
            raise _unreadable(name, GEOJSON)
        properties = feature.get("properties")
        shape = Shape(
            name=_feature_name(feature) or "",
            geometry=geometry or None,
            index=number,
            where=_("feature %(number)d") % {"number": number},
            properties=properties if isinstance(properties, dict) else {},
        )
        shapes.extend(_flatten(shape) if shape.geometry else [shape])
    return shapes


# The names a GeoJSON crs member gives WGS84 longitude/latitude: OGC's CRS84, or EPSG:4326 as GDAL and
# older GIS wrote it (with the axes in GeoJSON's order in practice).
WGS84_CRS = re.compile(r"(CRS84|EPSG:+4326|EPSG/0/4326)$")


def _geojson_crs(content, name):
    """The name of the file's crs member (GeoJSON 2008; RFC 7946 dropped it), or a ValidationError if not WGS84."""
    crs = content.get("crs") if isinstance(content, dict) else None
    if crs in (None, {}):
        return ""
    crs_name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
    if isinstance(crs_name, str) and WGS84_CRS.search(crs_name.strip().upper()):
        return crs_name.strip()
    raise ValidationError(
        _(
            "The file %(name)s gives its coordinates in %(crs)s, not in WGS84 longitude and latitude: export it "
            "again in WGS84 (EPSG:4326)."
        ),
        code="crs",
        params={"name": name, "crs": crs_name if isinstance(crs_name, str) else json.dumps(crs)},
    )


def _feature_name(feature):
    properties = feature.get("properties") or {}
    if isinstance(properties, dict):
        for key in ("name", "Name", "NAME", "nombre", "Nombre", "NOMBRE", "ProductionPlace"):
            if properties.get(key) not in (None, ""):
                return str(properties[key])
    if feature.get("id") not in (None, ""):
        return str(feature["id"])
    return None


def _flatten(shape):
    """The shapes of one feature's geometry: a collection's polygons become one plot in several parts.

    A multi-line is one walk paused and resumed (GPS tracks split on every pause), so its parts join
    into one line.
    """
    geometry = shape.geometry
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "GeometryCollection":
        members = [g for g in geometry.get("geometries") or [] if isinstance(g, dict)]
        parts = [s for member in members for s in _flatten(replace(shape, geometry=member))]
        areas = [s.geometry for s in parts if s.geometry.get("type") in ("Polygon", "MultiPolygon")]
        others = [s for s in parts if s.geometry.get("type") not in ("Polygon", "MultiPolygon")]
        if len(areas) == 1:
            others.insert(0, replace(shape, geometry=areas[0]))
        elif areas:
            polygons = []
            for area in areas:
                polygons.extend([area["coordinates"]] if area["type"] == "Polygon" else area["coordinates"])
            others.insert(0, replace(shape, geometry={"type": "MultiPolygon", "coordinates": polygons}))
        return others
    if kind == "MultiPoint" and isinstance(coordinates, list):
        return [replace(shape, geometry={"type": "Point", "coordinates": c}) for c in coordinates]
    if kind == "MultiLineString" and isinstance(coordinates, list):
        joined = [position for part in coordinates if isinstance(part, list) for position in part]
        return [replace(shape, geometry={"type": "LineString", "coordinates": joined})]
    return [replace(shape, geometry={"type": kind, "coordinates": coordinates})]


# KML


def _kml_shapes(data, name):
    """The shapes of a KML document's placemarks, in the document's order, from inside its folders too."""
    root = _parse_xml(data, name, KML)
    # "{http://www.opengis.net/kml/2.2}", an older KML's namespace, or none (as some tools write it).
    ns = root.tag[: root.tag.rfind("}") + 1]
    name_spaces = {**kml_config.NAME_SPACES, "kml": ns}
    shapes = []
    try:
        for number, element in enumerate(root.iter(f"{ns}Placemark"), start=1):
            placemark = Placemark.class_from_element(ns=ns, name_spaces=name_spaces, element=element, strict=False)
            shape = Shape(
                name=placemark.name or "",
                geometry=None,
                index=number,
                where=_("placemark %(number)d") % {"number": number},
                properties={"name": placemark.name or "", **_kml_data(element, ns)},
            )
            if placemark.geometry is None or placemark.geometry.is_empty:
                shapes.append(shape)
            else:
                shapes.extend(_flatten(replace(shape, geometry=_plain(placemark.geometry.__geo_interface__))))
    except Exception:  # fastkml and pygeoif raise many kinds of errors on a damaged file
        raise _unreadable(name, KML) from None
    return shapes


def _kml_data(element, ns):
    """A placemark's extended data as {name: text}: Google Earth's <Data> and the <SimpleData> QGIS writes."""
    data = {}
    for item in element.iter(f"{ns}SimpleData"):
        data[item.get("name") or ""] = (item.text or "").strip()
    for item in element.iter(f"{ns}Data"):
        value = item.find(f"{ns}value")
        data[item.get("name") or ""] = (value.text or "").strip() if value is not None else ""
    data.pop("", None)
    return data


def _plain(value):
    """A __geo_interface__ (tuples, a bbox) as plain GeoJSON (lists)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key != "bbox"}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


# GPX


def _gpx_shapes(data, name):
    try:
        document = gpxpy.parse(data.decode("utf-8-sig"))
    except (gpxpy.gpx.GPXException, ValueError):
        raise _unreadable(name, GPX) from None
    shapes = []

    def add(name, where, geometry):
        name = name or ""
        shapes.append(Shape(name, geometry, index=len(shapes) + 1, where=where, properties={"name": name}))

    # An empty track (Garmin's ACTIVE LOG before a walk) is no shape of the file.
    for number, track in enumerate(document.tracks, start=1):
        positions = [[p.longitude, p.latitude] for segment in track.segments for p in segment.points]
        if positions:
            add(track.name, _("track %(number)d") % {"number": number}, _line_or_point(positions))
    for number, route in enumerate(document.routes, start=1):
        positions = [[p.longitude, p.latitude] for p in route.points]
        if positions:
            add(route.name, _("route %(number)d") % {"number": number}, _line_or_point(positions))
    for number, waypoint in enumerate(document.waypoints, start=1):
        point = {"type": "Point", "coordinates": [waypoint.longitude, waypoint.latitude]}
        add(waypoint.name, _("point %(number)d") % {"number": number}, point)
    return shapes


def _line_or_point(positions):
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "LineString", "coordinates": positions}


# Choosing the plot


def _choose(shapes, name, kind):
    """(the one plot among the shapes, notes): a boundary first (a polygon, or a line that closes), else a point."""
    notes, areas, open_lines, points = [], [], [], []
    for shape in shapes:
        shape_type = shape.geometry.get("type") if shape.geometry else None
        if shape_type in ("Polygon", "MultiPolygon"):
            areas.append(shape)
        elif shape_type == "LineString":
            closed, gap, note = _closing(shape, name, kind)
            if closed:
                areas.append(closed)
                notes.extend([note] if note else [])
            else:
                open_lines.append((shape, gap))
        elif shape_type == "Point":
            points.append(shape)
        # Other types (none a file reader makes) are left out.
    if len(areas) == 1:
        return areas[0], notes
    if areas:
        raise ValidationError(
            _(
                "%(name)s holds %(count)d plot boundaries where one is expected: %(which)s. Keep only this "
                "plot's boundary in the file, or draw the plot on the map."
            ),
            code="several_polygons",
            params={"name": name, "count": len(areas), "which": _names(areas)},
        )
    if len(open_lines) == 1:
        line, gap = open_lines[0]
        raise ValidationError(
            _(
                "%(name)s holds no closed boundary: the line %(line)s ends %(distance)d m from where it "
                "starts, and a boundary must end within %(limit)d m. Walk back to the first corner, or draw "
                "the plot on the map."
            ),
            code="open_line",
            params={"name": name, "line": line.label, "distance": round(gap), "limit": CLOSING_DISTANCE_M},
        )
    if open_lines:
        raise ValidationError(
            _(
                "%(name)s holds no closed boundary: none of its %(count)d lines (%(which)s) ends within "
                "%(limit)d m of where it starts."
            ),
            code="open_line",
            params={
                "name": name,
                "count": len(open_lines),
                "which": _names([line for line, _distance in open_lines]),
                "limit": CLOSING_DISTANCE_M,
            },
        )
    if len(points) == 1:
        return points[0], notes
    if points:
        raise ValidationError(
            _("%(name)s holds %(count)d points where one is expected: %(which)s."),
            code="several_points",
            params={"name": name, "count": len(points), "which": _names(points)},
        )
    raise ValidationError(_("%(name)s holds no polygon and no point."), code="no_shape", params={"name": name})


def shapes_by_feature(contents):
    """The shapes of `contents` feature by feature: a list of lists, each the shapes of one feature."""
    grouped = {}
    for shape in contents.shapes:
        grouped.setdefault(shape.index, []).append(shape)
    return list(grouped.values())


def feature_geometry(shapes, kind):
    """The one geometry of one feature of a file of many plots (`shapes`: the feature's), and notes.

    Stricter than `read_file`'s choice, which a person checks on the map before saving: a feature
    that holds several shapes, or none, is refused, and so is a GeoJSON LineString (the EU system
    refuses lines). A GPX or KML line is a walk around the plot, as `read_file` takes it.
    """
    present = [shape for shape in shapes if shape.geometry]
    if not present:
        raise ValidationError(_("It has no shape."), code="no_shape")
    if len(present) > 1:
        raise ValidationError(
            _("It holds %(count)d shapes (%(types)s) where a plot is one Polygon, MultiPolygon or Point."),
            code="several_shapes",
            params={"count": len(present), "types": ", ".join(str(s.geometry.get("type")) for s in present)},
        )
    shape = present[0]
    if shape.geometry.get("type") != "LineString":
        return shape.geometry, []
    if kind == GEOJSON:
        raise ValidationError(
            _("It is a LineString, and the EU system refuses lines: give the plot as a Polygon or a Point."),
            code="line",
        )
    closed, gap, note = _closing(shape, shape.label, kind)
    if closed is None:
        raise ValidationError(
            _("It is a line that ends %(distance)d m from where it starts; a boundary must end within %(limit)d m."),
            code="open_line",
            params={"distance": round(gap), "limit": CLOSING_DISTANCE_M},
        )
    return closed.geometry, [note] if note else []


def _closing(shape, name, kind):
    """(the line closed into a boundary, its gap in m, a note) if its ends lie within CLOSING_DISTANCE_M, else
    (None, its gap in m, None)."""
    gap = _gap_m(shape.geometry.get("coordinates"), name, kind)
    if gap > CLOSING_DISTANCE_M:
        return None, gap, None
    note = None
    if gap > 0:
        note = _("The line %(line)s ended %(distance)d m from its start; it was closed into a boundary.") % {
            "line": shape.label,
            "distance": round(gap),
        }
    return replace(shape, geometry=_closed(shape.geometry["coordinates"])), gap, note


def _gap_m(positions, name, kind):
    """Metres between a line's first and last positions."""
    try:
        (lon1, lat1, *_rest), (lon2, lat2, *_end) = positions[0], positions[-1]
        gap = abs(geo.GEOD.inv(float(lon1), float(lat1), float(lon2), float(lat2))[2])
    except (TypeError, ValueError, IndexError):
        raise _unreadable(name, kind) from None
    if not math.isfinite(gap):  # NaN or infinite coordinates, which Python's JSON reader accepts
        raise _unreadable(name, kind)
    return gap


def _closed(positions):
    ring = [list(p) for p in positions]
    if ring[0][:2] != ring[-1][:2]:
        ring.append(list(ring[0]))
    return {"type": "Polygon", "coordinates": [ring]}


def _names(shapes):
    names = [shape.label for shape in shapes]
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        return _("%(names)s and %(count)d more") % {"names": shown, "count": len(names) - NAMES_SHOWN}
    return shown
