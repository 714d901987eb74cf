"""plots.gpsfiles: the one plot in a file from a GPS or a phone (GeoJSON, KML, KMZ, GPX), or why there is none.

The files and what is known about them are described in tests/fixtures/README.md.
"""

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plots import geometry as geo
from plots import gpsfiles

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KML_22 = b"http://www.opengis.net/kml/2.2"


def a_file(name, content):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode("utf-8"))


def fixture(path):
    return a_file(Path(path).name, (FIXTURES / path).read_bytes())


def refusal(uploaded):
    """(code, message) of the ValidationError that reading `uploaded` raises."""
    with pytest.raises(ValidationError) as caught:
        gpsfiles.read_file(uploaded)
    (error,) = caught.value.error_list
    return error.code, error.messages[0]


def kml(placemarks):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2" '
        f'xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>{placemarks}</Document></kml>'
    )


def ring(*corners):
    return " ".join(f"{lon},{lat}" for lon, lat in corners)


A, B, C, D = (-76.138, -6.574), (-76.137, -6.574), (-76.137, -6.573), (-76.138, -6.573)
SQUARE = {"type": "Polygon", "coordinates": [[list(A), list(B), list(C), list(D), list(A)]]}


def kml_polygon(*corners):
    return (
        "<Polygon><outerBoundaryIs><LinearRing>"
        f"<coordinates>{ring(*corners)}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon>"
    )


SQUARE_KML = kml_polygon(A, B, C, D, A)


# GeoJSON


def test_a_feature_collection_with_one_polygon_gives_that_polygon():
    district = json.loads((FIXTURES / "peru/chazuta_district_inei2007_simple.geojson").read_text())

    reading = gpsfiles.read_file(fixture("peru/chazuta_district_inei2007_simple.geojson"))

    assert reading.geometry == district["features"][0]["geometry"]
    assert (reading.format, reading.notes) == ("GeoJSON", [])
    assert gpsfiles.read_geometry(fixture("peru/chazuta_district_inei2007_simple.geojson")) == reading.geometry


def test_a_bare_geometry_and_a_single_feature_are_read_as_they_are():
    assert gpsfiles.read_geometry(a_file("plot.geojson", json.dumps(SQUARE))) == SQUARE
    feature = {"type": "Feature", "properties": {"name": "La Loma"}, "geometry": SQUARE}
    assert gpsfiles.read_geometry(a_file("plot.json", json.dumps(feature))) == SQUARE


def test_heights_are_dropped_and_the_reading_says_so():
    with_heights = {"type": "Polygon", "coordinates": [[[*corner, 268.5] for corner in SQUARE["coordinates"][0]]]}

    reading = gpsfiles.read_file(a_file("plot.geojson", json.dumps(with_heights)))

    assert reading.geometry == SQUARE
    assert [str(note) for note in reading.notes] == ["Heights dropped (3-D positions made 2-D)"]


def test_a_polygon_wins_over_the_points_beside_it():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Casa"},
                "geometry": {"type": "Point", "coordinates": [-76.1, -6.5]},
            },
            {"type": "Feature", "properties": {"name": "Chacra"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"name": "sin lugar"}, "geometry": None},
        ],
    }

    assert gpsfiles.read_geometry(a_file("finca.geojson", json.dumps(collection))) == SQUARE


def test_a_collection_of_two_polygons_in_one_geometry_is_one_plot_in_two_parts():
    other = {
        "type": "Polygon",
        "coordinates": [[[-76.136, -6.574], [-76.135, -6.574], [-76.135, -6.573], [-76.136, -6.574]]],
    }
    collection = {"type": "GeometryCollection", "geometries": [SQUARE, other]}

    geometry = gpsfiles.read_geometry(a_file("plot.geojson", json.dumps(collection)))

    assert geometry == {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], other["coordinates"]]}


def test_a_cicc_plot_nested_like_a_multipolygon_is_repaired_and_measures_its_stated_area():
    collection = json.loads((FIXTURES / "whisp/CICC_plots_subset_simple.geojson").read_text())
    feature = collection["features"][0]

    reading = gpsfiles.read_file(a_file("cicc_108.geojson", json.dumps(feature)))

    assert reading.geometry["type"] == "MultiPolygon"
    assert [str(note) for note in reading.notes] == [
        "Declared Polygon but nested like a MultiPolygon: read as MultiPolygon"
    ]
    area = geo.geodesic_area_ha(geo.validate(reading.geometry))
    assert area == Decimal(str(feature["properties"]["Area_ha"])).quantize(Decimal("0.0001"))


def test_the_eus_example_with_two_farms_names_both():
    assert refusal(fixture("eudr/eu_example_type1.geojson")) == (
        "several_polygons",
        "eu_example_type1.geojson holds 2 plot boundaries where one is expected: FAZENDA TABOAO I, FAZENDA TABOAO II. "
        "Keep only this plot's boundary in the file, or draw the plot on the map.",
    )


def test_a_file_of_fifty_plots_names_the_first_five():
    code, message = refusal(fixture("whisp/geojson_example.geojson"))

    assert code == "several_polygons"
    assert message.startswith(
        "geojson_example.geojson holds 50 plot boundaries where one is expected: "
        "feature 1, feature 2, feature 3, feature 4, feature 5 and 45 more."
    )


def test_a_plot_the_saving_rules_refuse_is_refused_as_the_file_is_read():
    open_ring = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][:-1]]}

    assert refusal(a_file("open.geojson", json.dumps(open_ring))) == (
        "invalid_shape",
        "The plot (feature 1) in open.geojson cannot be saved as it is. A polygon ring must end where it starts (it "
        "is not closed). Correct it in the GPS or phone app and upload it again, or draw the plot on the map.",
    )


def test_a_polygon_that_crosses_itself_is_refused_as_the_file_is_read_with_the_rule_it_breaks():
    # Turf's bow-tie: the same words as the plot's own check (plots.geometry.validate), before any saving.
    with pytest.raises(ValidationError) as saving:
        geo.validate(json.loads((FIXTURES / "turf/hourglass.geojson").read_text()))

    assert refusal(fixture("turf/hourglass.geojson")) == (
        "invalid_shape",
        f"The plot (feature 1) in hourglass.geojson cannot be saved as it is. {saving.value.messages[0]} Correct it "
        "in the GPS or phone app and upload it again, or draw the plot on the map.",
    )
    assert saving.value.messages == [
        "This polygon's sides cross or touch each other near longitude -45, latitude -2.5."
    ]


def test_the_refusal_reads_in_spanish_for_a_spanish_page():
    from django.utils import translation

    with translation.override("es"):
        assert refusal(fixture("turf/hourglass.geojson"))[1] == (
            "La parcela (entidad 1) de hourglass.geojson no puede guardarse tal como está. Los lados de este "
            "polígono se cruzan o se tocan cerca de la longitud -45, latitud -2.5. Corríjala en la aplicación del "
            "GPS o del celular y vuelva a subirla, o dibuje la parcela en el mapa."
        )


def test_a_named_walk_that_crosses_itself_is_refused_by_its_name():
    walk = (FIXTURES / "minka/chacra_la_loma_walk.gpx").read_text()
    ninth, tenth = re.findall(r"<trkpt .*?</trkpt>", walk)[8:10]  # logged in the wrong order

    assert refusal(a_file("walk.gpx", walk.replace(f"{ninth}\n{tenth}", f"{tenth}\n{ninth}"))) == (
        "invalid_shape",
        "The plot “Chacra La Loma” in walk.gpx cannot be saved as it is. This polygon's sides cross or touch each "
        "other near longitude -76.1378263131111, latitude -6.57286083117142. Correct it in the GPS or phone app "
        "and upload it again, or draw the plot on the map.",
    )


# KML and KMZ


def test_a_google_earth_kml_gives_its_polygon_without_heights():
    reading = gpsfiles.read_file(fixture("minka/chacra_la_loma.kml"))

    assert reading.format == "KML"
    assert reading.geometry["coordinates"][0][0] == [-76.13812, -6.57395]
    assert len(reading.geometry["coordinates"][0]) == 6
    assert [str(note) for note in reading.notes] == ["Heights dropped (3-D positions made 2-D)"]
    assert geo.geodesic_area_ha(geo.validate(reading.geometry)) == Decimal("1.9366")


def test_a_kmz_is_read_through_its_doc_kml():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as kmz:
        kmz.writestr("files/legend.kml", kml("<Placemark><name>leyenda</name></Placemark>"))
        kmz.writestr("doc.kml", (FIXTURES / "minka/chacra_la_loma.kml").read_bytes())

    reading = gpsfiles.read_file(a_file("Chacra La Loma.kmz", archive.getvalue()))

    assert (reading.format, reading.geometry["type"]) == ("KML", "Polygon")


@pytest.mark.parametrize(
    "namespace", [b' xmlns="http://earth.google.com/kml/2.1"', b""], ids=["KML 2.1", "no namespace"]
)
def test_older_and_namespace_less_kml_is_read_too(namespace):
    content = kml(f"<Placemark><name>La Loma</name>{SQUARE_KML}</Placemark>").encode()
    content = content.replace(b' xmlns="' + KML_22 + b'"', namespace)

    assert gpsfiles.read_geometry(a_file("plot.kml", content)) == SQUARE


def test_a_closed_gx_track_becomes_a_boundary():
    # As Google Earth writes a recorded track: the times first, then a position for each.
    times = "".join(f"<when>2026-06-15T14:0{minute}:00Z</when>" for minute in range(5))
    coords = "".join(f"<gx:coord>{lon} {lat} 270</gx:coord>" for lon, lat in (A, B, C, D, A))
    content = kml(f"<Placemark><name>Recorrido</name><gx:Track>{times}{coords}</gx:Track></Placemark>")

    reading = gpsfiles.read_file(a_file("track.kml", content))

    assert reading.geometry == SQUARE
    assert [str(note) for note in reading.notes] == ["Heights dropped (3-D positions made 2-D)"]


def test_a_multigeometry_of_two_polygons_is_one_plot_in_two_parts():
    second = kml_polygon((-76.136, -6.574), (-76.135, -6.574), (-76.135, -6.573), (-76.136, -6.574))
    content = kml(f"<Placemark><name>Dos partes</name><MultiGeometry>{SQUARE_KML}{second}</MultiGeometry></Placemark>")

    geometry = gpsfiles.read_geometry(a_file("parts.kml", content))

    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"]) == 2


def test_several_placemarks_with_polygons_are_named():
    content = kml(
        f"<Placemark><name>Chacra alta</name>{SQUARE_KML}</Placemark>"
        f"<Folder><Placemark><name>Chacra baja</name>{SQUARE_KML}</Placemark></Folder>"
        f"<Placemark>{SQUARE_KML}</Placemark>"
    )

    assert refusal(a_file("finca.kml", content)) == (
        "several_polygons",
        "finca.kml holds 3 plot boundaries where one is expected: Chacra alta, Chacra baja, placemark 3. "
        "Keep only this plot's boundary in the file, or draw the plot on the map.",
    )


def test_a_kml_with_one_point_gives_a_point():
    content = kml(
        "<Placemark><name>Chacra</name><Point><coordinates>-76.1378,-6.5736,262</coordinates></Point></Placemark>"
    )

    assert gpsfiles.read_geometry(a_file("point.kml", content)) == {"type": "Point", "coordinates": [-76.1378, -6.5736]}


def test_a_kml_with_only_a_path_has_no_boundary():
    assert refusal(fixture("minka/path_to_the_plot.kml")) == (
        "open_line",
        "path_to_the_plot.kml holds no closed boundary: the line Camino ends 171 m from where it starts, and a "
        "boundary must end within 25 m. Walk back to the first corner, or draw the plot on the map.",
    )


def test_a_kml_without_any_shape_says_so():
    assert refusal(a_file("empty_folder.kml", kml("<Folder><name>Nada</name></Folder>"))) == (
        "no_shape",
        "empty_folder.kml holds no polygon and no point.",
    )


# GPX


def test_a_gpx_walk_that_ends_near_its_start_is_closed():
    reading = gpsfiles.read_file(fixture("minka/chacra_la_loma_walk.gpx"))

    ring_ = reading.geometry["coordinates"][0]
    assert (reading.format, reading.geometry["type"], len(ring_)) == ("GPX", "Polygon", 14)
    assert ring_[0] == ring_[-1] == [-76.138117, -6.573948]
    assert [str(note) for note in reading.notes] == [
        "The line Chacra La Loma ended 7 m from its start; it was closed into a boundary."
    ]


def test_a_garmin_log_whose_loop_ends_42_m_away_is_no_boundary():
    # Waypoints, an empty track and a 173-point walk that does not come back to its start.
    assert refusal(fixture("gpxpy/cerknicko-jezero_first_tracks.gpx")) == (
        "open_line",
        "cerknicko-jezero_first_tracks.gpx holds no closed boundary: the line ACTIVE LOG #2 ends 42 m from where "
        "it starts, and a boundary must end within 25 m. Walk back to the first corner, or draw the plot on the map.",
    )


def test_a_closed_gpx_route_is_a_boundary():
    points = "".join(f'<rtept lat="{lat}" lon="{lon}"/>' for lon, lat in (A, B, C, D, A))
    content = f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte><name>R</name>{points}</rte></gpx>'

    reading = gpsfiles.read_file(a_file("route.gpx", content))

    assert reading.geometry == SQUARE
    assert reading.notes == []  # the route ended exactly where it started


def test_one_gpx_waypoint_is_a_point_and_several_are_named():
    one = '<gpx version="1.1"><wpt lat="-6.5736" lon="-76.1378"><name>Chacra</name></wpt></gpx>'
    two = one.replace("</gpx>", '<wpt lat="-6.57" lon="-76.13"/></gpx>')

    assert gpsfiles.read_geometry(a_file("one.gpx", one)) == {"type": "Point", "coordinates": [-76.1378, -6.5736]}
    assert refusal(a_file("two.gpx", two)) == (
        "several_points",
        "two.gpx holds 2 points where one is expected: Chacra, point 2.",
    )


# Files that are no plot at all


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("empty.gpx", b"", "empty", "The file empty.gpx is empty."),
        ("blank.geojson", b"  \n\t", "empty", "The file blank.geojson is empty."),
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0\x00\x10JFIF",
            "unknown_format",
            "photo.jpg is not a GeoJSON, KML or GPX file.",
        ),
        (
            "plots.csv",
            b"code,lat,lon\nP-1,-6.57,-76.13\n",
            "unknown_format",
            "plots.csv is not a GeoJSON, KML or GPX file.",
        ),
        ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "unknown_format", "map.svg is not a GeoJSON"),
        (
            "cut.geojson",
            b'{"type": "Feature", "geometry": {"type": "Poly',
            "unreadable",
            "The GeoJSON file cut.geojson cannot be read",
        ),
        ("odd.geojson", b'{"type": "Topology", "objects": {}}', "unreadable", "The GeoJSON file odd.geojson"),
        (
            "cut.kml",
            b'<?xml version="1.0"?><kml><Document><Placemark>',
            "unreadable",
            "The XML file cut.kml cannot be read",
        ),
        (
            "bad.gpx",
            b'<gpx><trk><trkseg><trkpt lat="south" lon="1"/></trkseg></trk></gpx>',
            "unreadable",
            "The GPX file bad.gpx cannot be read",
        ),
        (
            "nan.geojson",
            b'{"type": "LineString", "coordinates": [[NaN, 1], [2, 3], [4, 5]]}',
            "unreadable",
            "The GeoJSON",
        ),
        ("broken.kmz", b"PK\x03\x04 not really a zip", "unreadable", "The KMZ file broken.kmz cannot be read"),
    ],
    ids=["empty", "blank", "photo", "csv", "svg", "cut json", "topojson", "cut xml", "bad gpx", "nan", "broken kmz"],
)
def test_a_file_that_is_no_gps_file_is_refused_with_its_name(name, content, code, message):
    got_code, got_message = refusal(a_file(name, content))

    assert got_code == code
    assert got_message.startswith(message)


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    big = a_file("huge.geojson", b" " * (gpsfiles.MAX_BYTES + 1))

    assert refusal(big) == ("too_large", "The file huge.geojson is 5.0 MB; a plot's file may be at most 5 MB.")


def test_an_xml_file_that_declares_entities_is_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<kml><Placemark><name>&b;</name></Placemark></kml>"
    )

    assert refusal(a_file("bomb.kml", bomb))[0] == "unreadable"
