"""plots.geometry against the EU's own examples and against files written by GIS users.

The files and what is known about them are described in tests/fixtures/README.md.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from shapely.geometry import Polygon

from plots import geometry as geo

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EU_CODES = {
    row.split(",")[0]
    for row in (FIXTURES / "eudr" / "eudr_geo_error_codes.csv").read_text(encoding="utf-8").splitlines()[1:]
}


def features(name):
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def eu_feature(place):
    every = features("eudr/eu_example_type1.geojson") + features("eudr/eu_example_type2.geojson")
    return next(f for f in every if f["properties"]["ProductionPlace"] == place)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(check, value):
    """The (code, message) pairs of the ValidationError that `check(value)` raises."""
    with pytest.raises(ValidationError) as caught:
        check(value)
    return [(error.code, message) for error in caught.value.error_list for message in error.messages]


def polygon(*corners):
    return {"type": "Polygon", "coordinates": [[list(c) for c in corners]]}


# A 110 m square on the Chazuta valley floor, counter-clockwise, closed.
A, B, C, D = (-76.138, -6.574), (-76.137, -6.574), (-76.137, -6.573), (-76.138, -6.573)
SQUARE = polygon(A, B, C, D, A)


def test_the_error_codes_used_are_the_eus_own():
    used = {geo.EU_INVALID, geo.EU_LATITUDE, geo.EU_LONGITUDE, geo.EU_POLYGON, geo.EU_AREA}
    assert used <= EU_CODES


# The EU's own examples

# Each feature's `Area` is measured on a sphere; the WGS84 ellipsoid gives this much less.
EU_EXAMPLES = [
    ("FAZENDA TABOAO I", Decimal("23.6121"), Decimal("0.45")),
    ("FAZENDA TABOAO II", Decimal("2.3801"), Decimal("0.41")),
    ("Cocoa Farm 01", Decimal("20687.1427"), Decimal("0.61")),
    ("Cocoa Farm 02", Decimal("20545.4001"), Decimal("0.61")),
    ("Cocoa Farm 03", Decimal("9488.8906"), Decimal("0.66")),
    ("Cocoa Farm 04", Decimal("6904.3615"), Decimal("0.66")),
]


def test_the_eu_example_files_hold_the_six_features_described():
    assert len(features("eudr/eu_example_type1.geojson")) == 2
    assert len(features("eudr/eu_example_type2.geojson")) == 4


@pytest.mark.parametrize("place", [place for place, _area, _gap in EU_EXAMPLES])
def test_each_eu_example_feature_is_valid_for_the_eudr_and_unchanged_by_truncation(place):
    feature = eu_feature(place)
    assert geo.validate(feature) == feature["geometry"]
    assert geo.validate_for_eudr(feature) == feature["geometry"]
    assert geo.truncate(feature) == feature["geometry"]


@pytest.mark.parametrize(("place", "measured", "gap_pct"), EU_EXAMPLES)
def test_each_eu_example_measures_between_0_4_and_0_7_percent_below_its_stated_area(place, measured, gap_pct):
    feature = eu_feature(place)
    stated = Decimal(str(feature["properties"]["Area"]))
    assert geo.geodesic_area_ha(feature["geometry"]) == measured
    gap = (stated - measured) / stated * 100
    assert gap.quantize(Decimal("0.01")) == gap_pct
    assert Decimal("0.4") < gap < Decimal("0.7")


# whisp: 50 plots exported by a GIS, with 15 decimals


WHISP = features("whisp/geojson_example.geojson")


def test_the_whisp_file_holds_fifty_multipolygons():
    assert len(WHISP) == 50
    assert {f["geometry"]["type"] for f in WHISP} == {"MultiPolygon"}


@pytest.mark.parametrize(
    "feature", [f for f in WHISP if f["properties"]["user_id"] != 14], ids=lambda f: str(f["properties"]["user_id"])
)
def test_each_whisp_plot_is_valid_before_and_after_truncation(feature):
    assert geo.validate(feature) == feature["geometry"]
    truncated = geo.validate_for_eudr(feature)
    assert truncated["type"] == "MultiPolygon"
    assert geo.geodesic_area_ha(truncated) > 0


def test_the_whisp_plot_with_a_hole_is_refused_because_the_eu_does_not_process_holes():
    (feature,) = [f for f in WHISP if f["properties"]["user_id"] == 14]
    expected = [(geo.EU_POLYGON, "This polygon has 1 hole; the EU system does not process holes.")]
    assert refusal(geo.validate, feature) == expected
    assert refusal(geo.validate_for_eudr, feature) == expected


# CICC: Polygons nested like MultiPolygons


CICC = features("whisp/CICC_plots_subset_simple.geojson")


@pytest.mark.parametrize("feature", CICC, ids=lambda f: str(f["properties"]["UID"]))
def test_each_cicc_plot_is_refused_as_a_polygon_nested_like_a_multipolygon(feature):
    assert refusal(geo.validate, feature) == [
        (geo.EU_INVALID, "This geometry says Polygon but its coordinates are nested like a MultiPolygon.")
    ]


@pytest.mark.parametrize("feature", CICC, ids=lambda f: str(f["properties"]["UID"]))
def test_normalize_repairs_each_cicc_plot_into_a_multipolygon_of_the_stated_area(feature):
    repaired, notes = geo.normalize(feature)
    assert repaired == {"type": "MultiPolygon", "coordinates": feature["geometry"]["coordinates"]}
    assert [str(note) for note in notes] == ["declared Polygon but nested like a MultiPolygon: read as MultiPolygon"]
    assert geo.validate_for_eudr(repaired) == geo.truncate(repaired)
    stated = Decimal(str(feature["properties"]["Area_ha"])).quantize(Decimal("0.0001"))
    assert geo.geodesic_area_ha(repaired) == stated


def test_the_cicc_file_holds_eighteen_plots():
    assert len(CICC) == 18


def test_normalize_drops_heights_and_says_so():
    repaired, notes = geo.normalize(polygon((*A, 312.5), (*B, 310), (*C, 309), (*D, 311), (*A, 312.5)))
    assert repaired == SQUARE
    assert [str(note) for note in notes] == ["heights dropped (3-D positions made 2-D)"]


def test_normalize_leaves_a_valid_polygon_alone():
    assert geo.normalize(SQUARE) == (SQUARE, [])


# Chazuta's district boundary (INEI 2007, simplified)


def test_the_chazuta_district_boundary_is_a_valid_polygon_of_its_published_size():
    (feature,) = features("peru/chazuta_district_inei2007_simple.geojson")
    assert feature["properties"]["IDDIST"] == "220904"
    assert geo.validate_for_eudr(feature) == geo.truncate(feature)
    # A simplified outline: 2.3 % below MINAM's 95,162.02 ha.
    assert geo.geodesic_area_ha(feature["geometry"]) == Decimal("92935.8431")


# The sign of the area


def test_a_clockwise_ring_has_a_negative_raw_area_but_the_same_positive_area_as_counter_clockwise():
    # The EU's Cocoa Farm 02 is drawn clockwise.
    clockwise = eu_feature("Cocoa Farm 02")["geometry"]
    counter_clockwise = {"type": "Polygon", "coordinates": [clockwise["coordinates"][0][::-1]]}
    raw_cw = geo.GEOD.geometry_area_perimeter(Polygon(clockwise["coordinates"][0]))[0]
    raw_ccw = geo.GEOD.geometry_area_perimeter(Polygon(counter_clockwise["coordinates"][0]))[0]
    assert raw_cw < 0 < raw_ccw
    assert raw_cw == pytest.approx(-raw_ccw)
    assert geo.geodesic_area_ha(clockwise) == geo.geodesic_area_ha(counter_clockwise) == Decimal("20545.4001")


def test_a_point_has_no_area():
    assert geo.geodesic_area_ha({"type": "Point", "coordinates": [-76.1378, -6.5736]}) == Decimal(0)


# E3: WGS84, longitude first, in range


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (
            (-76.1378, -90.5),
            [(geo.EU_LATITUDE, "Latitude -90.5 lies outside -90 to 90 (is it swapped with the longitude?).")],
        ),
        (
            (-76.1378, 91),
            [(geo.EU_LATITUDE, "Latitude 91 lies outside -90 to 90 (is it swapped with the longitude?).")],
        ),
        (
            (-180.1, -6.5736),
            [(geo.EU_LONGITUDE, "Longitude -180.1 lies outside -180 to 180 (is it swapped with the latitude?).")],
        ),
        (
            (181, -6.5736),
            [(geo.EU_LONGITUDE, "Longitude 181 lies outside -180 to 180 (is it swapped with the latitude?).")],
        ),
        (
            (200, -95),
            [
                (geo.EU_LONGITUDE, "Longitude 200 lies outside -180 to 180 (is it swapped with the latitude?)."),
                (geo.EU_LATITUDE, "Latitude -95 lies outside -90 to 90 (is it swapped with the longitude?)."),
            ],
        ),
    ],
)
def test_a_point_out_of_range_is_refused_with_the_eu_code(position, expected):
    assert refusal(geo.validate, {"type": "Point", "coordinates": list(position)}) == expected


@pytest.mark.parametrize("position", [(-180, -90), (180, 90), (-76.1378, -6.5736)])
def test_a_point_on_or_inside_the_limits_passes(position):
    point = {"type": "Point", "coordinates": list(position)}
    assert geo.validate(point) == point


def test_a_polygon_with_a_latitude_out_of_range_is_refused_with_the_eu_code():
    # Sumatra written [lat, lon]: the longitude 100.5 cannot be a latitude.
    swapped = polygon((-0.95, 100.35), (-0.95, 100.36), (-0.94, 100.36), (-0.95, 100.35))
    assert refusal(geo.validate, swapped) == [
        (geo.EU_LATITUDE, "Latitude 100.35 lies outside -90 to 90 (is it swapped with the longitude?).")
    ]


def test_chazuta_written_latitude_first_passes_e3_as_both_numbers_are_in_range():
    # -76.138 is a possible latitude: only a check against the declared district can catch this.
    swapped = polygon((-6.574, -76.138), (-6.573, -76.138), (-6.573, -76.137), (-6.574, -76.138))
    assert geo.validate(swapped) == swapped


def test_a_position_that_is_not_two_numbers_is_refused():
    assert refusal(geo.validate, {"type": "Point", "coordinates": ["-76.1378", "-6.5736"]}) == [
        (geo.EU_INVALID, "Each position must be a list of numbers [longitude, latitude].")
    ]


# E5: rings closed, at least 4 positions, not collinear, not crossing; no holes, no lines


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (polygon(A, B, C, D), [(geo.EU_POLYGON, "A polygon ring must end where it starts (it is not closed).")]),
        (polygon(A, B, A), [(geo.EU_POLYGON, "A polygon ring needs at least 4 positions; this one has 3.")]),
        (polygon(A, B, B, A), [(geo.EU_POLYGON, "A polygon ring needs at least 3 different corners.")]),
        (
            polygon(A, (-76.137, -6.573), (-76.136, -6.572), (-76.135, -6.571), A),
            [(geo.EU_POLYGON, "All corners of this polygon lie on one line: it encloses no area.")],
        ),
        (
            polygon(A, C, B, D, A),
            [
                (
                    geo.EU_POLYGON,
                    "This polygon's sides cross or touch each other near longitude -76.1375, latitude -6.5735.",
                )
            ],
        ),
        (
            {"type": "LineString", "coordinates": [list(A), list(B), list(C)]},
            [(geo.EU_INVALID, "A plot is a Point, a Polygon or a MultiPolygon, not LineString.")],
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [list(A), list(B), list(C), list(D), list(A)],
                    [[-76.1377, -6.5737], [-76.1377, -6.5733], [-76.1373, -6.5733], [-76.1377, -6.5737]],
                ],
            },
            [(geo.EU_POLYGON, "This polygon has 1 hole; the EU system does not process holes.")],
        ),
    ],
    ids=["unclosed", "three positions", "two corners", "collinear", "bow-tie", "linestring", "hole"],
)
def test_a_polygon_breaking_rule_e5_is_refused_with_its_message(geometry, expected):
    assert refusal(geo.validate, geometry) == expected


def test_corners_typed_on_one_line_are_refused_although_as_floats_they_enclose_a_sliver():
    on_a_line = [A, (-76.137, -6.573), (-76.136, -6.572), (-76.135, -6.571), A]
    assert Polygon(on_a_line).area > 0
    assert Polygon(on_a_line).is_valid is True
    assert refusal(geo.validate, polygon(*on_a_line)) == [
        (geo.EU_POLYGON, "All corners of this polygon lie on one line: it encloses no area.")
    ]


def test_a_thin_but_real_plot_is_not_taken_for_a_line():
    # 110 m long, 1 m wide: a strip along a stream.
    strip = polygon(A, B, (-76.137, -6.573991), (-76.138, -6.573991), A)
    assert geo.validate(strip) == strip
    assert geo.geodesic_area_ha(strip) == Decimal("0.0110")


def test_a_symmetric_bow_tie_encloses_zero_shoelace_area_yet_is_refused_as_crossing_not_as_a_line():
    bow_tie = Polygon([A, C, B, D, A])
    assert bow_tie.area == 0
    assert refusal(geo.validate, polygon(A, C, B, D, A))[0][1].startswith("This polygon's sides cross")


def test_a_ring_touching_itself_is_refused():
    # The ring passes through the square's centre twice.
    centre = (-76.1375, -6.5735)
    assert refusal(geo.validate, polygon(A, B, centre, C, D, centre, A)) == [
        (geo.EU_POLYGON, "This polygon's sides cross or touch each other near longitude -76.1375, latitude -6.5735.")
    ]


def test_two_overlapping_parts_of_a_multipolygon_are_refused():
    shifted = [[[x + 0.0005, y] for x, y in SQUARE["coordinates"][0]]]
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], shifted]}
    ((code, message),) = refusal(geo.validate, multi)
    assert code == geo.EU_POLYGON
    assert message.startswith("The parts of this plot overlap each other near longitude ")


def test_a_polygon_given_as_a_bare_ring_is_refused_as_wrongly_nested_not_as_having_holes():
    bare_ring = {"type": "Polygon", "coordinates": [list(A), list(B), list(C), list(D), list(A)]}
    assert refusal(geo.validate, bare_ring) == [
        (geo.EU_INVALID, "The coordinates of this Polygon are nested 2 deep; GeoJSON nests them 3 deep.")
    ]


def test_a_multipolygon_nested_like_a_polygon_is_refused():
    assert refusal(geo.validate, {"type": "MultiPolygon", "coordinates": SQUARE["coordinates"]}) == [
        (geo.EU_INVALID, "This geometry says MultiPolygon but its coordinates are nested like a Polygon.")
    ]


def test_a_polygon_with_a_ring_that_is_not_a_list_is_refused():
    assert refusal(geo.validate, {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], [7]]}) == [
        (geo.EU_INVALID, "A polygon ring must be a list of positions.")
    ]


def test_a_valid_square_passes_in_either_orientation():
    assert geo.validate(SQUARE) == SQUARE
    clockwise = polygon(A, D, C, B, A)
    assert geo.validate(clockwise) == clockwise
    assert geo.geodesic_area_ha(clockwise) == geo.geodesic_area_ha(SQUARE) == Decimal("1.2230")


# E4: at least 6 decimals; the export cuts to 6, so validate again


def test_truncate_cuts_toward_zero_for_negative_and_positive_coordinates():
    point = {"type": "Point", "coordinates": [-76.1234567, -6.5736669]}
    assert geo.truncate(point) == {"type": "Point", "coordinates": [-76.123456, -6.573666]}
    point = {"type": "Point", "coordinates": [76.1234567, 6.5736669]}
    assert geo.truncate(point) == {"type": "Point", "coordinates": [76.123456, 6.573666]}


def test_truncate_never_rounds_up_even_at_the_last_digit():
    point = {"type": "Point", "coordinates": [-76.1234569999, 11.2906459999]}
    assert geo.truncate(point)["coordinates"] == [-76.123456, 11.290645]


def test_truncate_keeps_a_coordinate_that_already_has_six_decimals():
    # -76.123456 is stored as -76.12345599999999...: cutting the binary value would give -76.123455.
    assert Decimal.from_float(-76.123456) < Decimal("-76.123456")
    point = {"type": "Point", "coordinates": [-76.123456, -6.573666]}
    assert geo.truncate(point) == point


def test_truncate_gives_zero_not_minus_zero():
    truncated = geo.truncate({"type": "Point", "coordinates": [-0.0000001, 0.0000009]})
    assert json.dumps(truncated["coordinates"]) == "[0.0, 0.0]"


def test_truncate_drops_heights_and_reads_a_feature():
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-76.1, -6.5, 312.0]}}
    assert geo.truncate(feature) == {"type": "Point", "coordinates": [-76.1, -6.5]}


def test_validate_for_eudr_refuses_a_polygon_whose_two_corners_merge_when_cut_to_six_decimals():
    # Valid with 7 decimals: a four-cornered plot; its last two corners lie 0.1 m apart.
    near_c = (-76.1370009, -6.5730009)
    four_corners = polygon(A, B, (-76.1370001, -6.5730001), near_c, A)
    assert geo.validate(four_corners) == four_corners
    # What is left after the cut is still a valid triangle, so only the merge itself shows it.
    assert geo.validate(geo.truncate(four_corners)) == polygon(A, B, C, C, A)
    assert refusal(geo.validate_for_eudr, four_corners) == [
        (
            geo.EU_POLYGON,
            "After cutting coordinates to 6 decimals, two neighbouring corners become one point at "
            "longitude -76.137, latitude -6.573: map them further apart.",
        )
    ]


def test_validate_for_eudr_refuses_a_triangle_that_collapses_when_cut_to_six_decimals():
    triangle = polygon(A, (-76.1380001, -6.5740009), (-76.1375, -6.5735), A)
    assert geo.validate(triangle) == triangle
    assert refusal(geo.validate_for_eudr, triangle) == [
        (
            geo.EU_POLYGON,
            "After cutting coordinates to 6 decimals, two neighbouring corners become one point at "
            "longitude -76.138, latitude -6.574: map them further apart.",
        )
    ]


def test_validate_for_eudr_refuses_a_polygon_that_touches_itself_only_after_the_cut():
    # A notch from the top edge reaches down to 0.04 m above the bottom edge; cut, it lands on the edge.
    bottom_a, bottom_b, notch = (-76.138, -6.5740005), (-76.137, -6.5740005), (-76.1375, -6.5740001)
    notched = polygon(bottom_a, bottom_b, C, notch, D, bottom_a)
    assert geo.validate(notched) == notched
    assert refusal(geo.validate_for_eudr, notched) == [
        (
            geo.EU_POLYGON,
            "After cutting coordinates to 6 decimals: This polygon's sides cross or touch each other near "
            "longitude -76.1375, latitude -6.574.",
        )
    ]


def test_validate_for_eudr_returns_the_truncated_geometry():
    fine = polygon((-76.13800019, -6.57400019), (-76.1370001, -6.574), (-76.137, -6.573), (-76.138, -6.573))
    fine["coordinates"][0].append(fine["coordinates"][0][0])
    assert geo.validate_for_eudr(fine) == polygon(A, B, C, D, A)


# Reading GeoJSON


def test_parse_refuses_text_that_is_not_json():
    assert refusal(geo.parse, "POLYGON((-76.138 -6.574, -76.137 -6.574))") == [
        (geo.EU_INVALID, "This is not valid GeoJSON text.")
    ]


@pytest.mark.parametrize("value", ["[-76.1378, -6.5736]", "42", '"Polygon"', "null", [-76.1378, -6.5736], None])
def test_parse_refuses_anything_but_an_object(value):
    assert refusal(geo.parse, value) == [(geo.EU_INVALID, "A geometry must be a GeoJSON object.")]


def test_parse_reads_json_text_and_unwraps_a_feature():
    text = json.dumps({"type": "Feature", "properties": {"Area": 1.2}, "geometry": SQUARE})
    assert geo.parse(text) == SQUARE
    assert geo.parse(text.encode()) == SQUARE


def test_parse_refuses_a_feature_without_geometry():
    assert refusal(geo.parse, {"type": "Feature", "properties": {}, "geometry": None}) == [
        (geo.EU_INVALID, "This GeoJSON feature has no geometry.")
    ]


def test_a_feature_collection_is_not_a_plot():
    collection = {"type": "FeatureCollection", "features": features("eudr/eu_example_type1.geojson")}
    assert refusal(geo.validate, collection) == [
        (geo.EU_INVALID, "A plot is a Point, a Polygon or a MultiPolygon, not FeatureCollection.")
    ]
