"""The plot editor: a field officer adds or edits a family's plot, drawing it on a map, uploading the file of a
GPS or phone, or typing a point; what is wrong with the place is said beside the map and nothing typed is lost."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cooperatives.models import District, DistrictBoundary
from plots import geometry as geo
from plots.models import Plot
from tests.factories import PlotFactory, ProducerFactory, square
from tests.html import input_value, text_of

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WRITERS = ["manager", "field_officer"]

# A plot on the Chazuta valley floor, 1.22 ha, drawn counter-clockwise and closed.
SQUARE = square(-76.138, -6.574)
# The same corners with the last two swapped: its sides cross (a bow-tie).
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[-76.138, -6.574], [-76.137, -6.574], [-76.138, -6.573], [-76.137, -6.573], [-76.138, -6.574]]],
}


@pytest.fixture
def family(coop):
    return ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")


@pytest.fixture
def plot(family):
    return PlotFactory(producer=family, code="P-0100", name="Chacra La Loma", geometry=SQUARE)


def new_url(coop, family):
    return reverse("plot_create", args=[coop.code, family.pk])


def edit_url(coop, plot):
    return reverse("plot_update", args=[coop.code, plot.pk])


def fields(**changes):
    """What a field officer types for a new cocoa plot; `changes` replaces or adds fields."""
    data = {
        "code": "P-0200",
        "name": "Chacra Nueva",
        "crop": "cocoa",
        "variety": "CCN-51",
        "declared_area_ha": "1.25",
        "planting_year": "2019",
        "tree_count": "1100",
        "estimated_yield_kg_ha": "750",
        "tenure": "possession",
        "district": "220904",
        "geometry": "",
        "latitude": "",
        "longitude": "",
        "conversion_start": "2021-03-01",
        "deforestation_result": "not_deforested",
        "deforestation_method": "Global Forest Watch tree cover 2020 and field visit",
        "deforestation_assessed_on": "2025-05-20",
        "deforestation_evidence": "GFW report 2025-05-20",
    }
    data.update(changes)
    return data


def upload(path):
    return SimpleUploadedFile(Path(path).name, (FIXTURES / path).read_bytes())


# Who may open the editor


def test_an_anonymous_visitor_is_sent_to_log_in(client, coop, family, plot):
    for url in (new_url(coop, family), edit_url(coop, plot), reverse("plot_read_file", args=[coop.code])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["partner", "auditor"])
def test_partners_and_auditors_may_not_add_or_edit_plots(client, request, coop, family, plot, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(new_url(coop, family)).status_code == 403
    assert client.get(edit_url(coop, plot)).status_code == 403
    assert client.post(new_url(coop, family), fields(geometry=json.dumps(SQUARE))).status_code == 403
    assert Plot.objects.filter(code="P-0200").exists() is False


def test_another_cooperatives_manager_finds_no_such_cooperative(client, coop, family, plot, other_manager):
    client.force_login(other_manager)

    assert client.get(new_url(coop, family)).status_code == 404
    assert client.get(edit_url(coop, plot)).status_code == 404
    assert client.post(reverse("plot_read_file", args=[coop.code])).status_code == 404


def test_a_family_or_plot_of_another_cooperative_is_not_found(client, coop, other_coop, manager):
    stranger = ProducerFactory(cooperative=other_coop)
    strangers_plot = PlotFactory(producer=stranger)
    client.force_login(manager)

    assert client.get(reverse("plot_create", args=[coop.code, stranger.pk])).status_code == 404
    assert client.get(reverse("plot_update", args=[coop.code, strangers_plot.pk])).status_code == 404
    response = client.post(reverse("plot_update", args=[coop.code, strangers_plot.pk]), fields(name="Robada"))
    assert response.status_code == 404
    strangers_plot.refresh_from_db()
    assert strangers_plot.name == "Chacra La Loma"


@pytest.mark.parametrize("role", WRITERS)
def test_managers_and_field_officers_open_the_editor_of_their_familys_plot(client, request, coop, family, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(new_url(coop, family))

    assert response.status_code == 200
    assert text_of(response, "main").startswith("Rosa Elvira Tapullima Sangama")
    assert "New plot" in text_of(response, "main")
    assert 'id="plot-map"' in response.content.decode()
    assert response.context["form"]["district"].value() == "220904"  # the family's district


def test_the_edit_page_shows_the_plot_on_the_map_and_its_measured_area(client, coop, plot, field_officer):
    client.force_login(field_officer)

    response = client.get(edit_url(coop, plot))

    assert response.status_code == 200
    assert json.loads(input_value(response, "geometry")) == SQUARE
    assert text_of(response, "plot-area") == "Measured area: 1.23 ha."
    assert input_value(response, "code") == "P-0100"


def test_the_map_shows_the_familys_other_plots_for_reference(client, coop, family, plot, field_officer):
    client.force_login(field_officer)

    response = client.get(new_url(coop, family))

    others = json.loads(text_of(response, "family-plots"))
    assert [feature["properties"]["code"] for feature in others["features"]] == ["P-0100"]


def test_a_family_without_plots_opens_on_its_communitys_mapped_plots(client, coop, field_officer):
    lonely = ProducerFactory(cooperative=coop, community="Santa Rosa de Huayali")
    neighbour = ProducerFactory(cooperative=coop, community="santa rosa de huayali")
    PlotFactory(producer=neighbour, geometry=square(-76.120, -6.560))
    PlotFactory(producer=neighbour, geometry=square(-76.110, -6.550))
    PlotFactory(producer__cooperative=coop, producer__community="Aguas Verdes", geometry=square(-76.0, -6.7))
    client.force_login(field_officer)

    response = client.get(new_url(coop, lonely))

    assert response.status_code == 200
    start = json.loads(text_of(response, "plot-start"))
    assert start == {
        "kind": "community",
        "name": "Santa Rosa de Huayali",
        "centre": [-6.5545, -76.1145],
        "bounds": [[-6.56, -76.12], [-6.549, -76.109]],
        "max_zoom": 15,
        "outline": None,
    }
    assert text_of(response, "plot-start-note") == (
        "The family has no mapped plot yet: the map opens on its community, Santa Rosa de Huayali, "
        "where its neighbours' plots lie."
    )


def test_a_family_alone_in_its_community_opens_on_its_districts_boundary(client, coop, field_officer):
    lonely = ProducerFactory(cooperative=coop, community="Santa Rosa de Huayali")
    # A family of the same community in another cooperative says nothing about this one's.
    PlotFactory(producer__community="Santa Rosa de Huayali", geometry=square(-76.120, -6.560))
    client.force_login(field_officer)

    response = client.get(new_url(coop, lonely))

    start = json.loads(text_of(response, "plot-start"))
    chazuta = DistrictBoundary.objects.get(district="220904")
    assert (start["kind"], start["name"], start["max_zoom"]) == ("district", "Chazuta", 13)
    assert start["centre"] == [-6.616565, -75.990661]  # the boundary's centroid, inside it
    assert start["bounds"] == [[-6.8108602, -76.1613481], [-6.4637268, -75.8132577]]
    assert start["outline"] == chazuta.geometry
    assert text_of(response, "plot-start-note") == (
        "The family has no mapped plot yet: the map opens on its district, Chazuta."
    )


def test_a_district_without_a_boundary_opens_on_its_capital(client, coop, field_officer):
    lonely = ProducerFactory(cooperative=coop, community="", district=District.objects.get(inei="220901"))
    client.force_login(field_officer)

    response = client.get(new_url(coop, lonely))

    start = json.loads(text_of(response, "plot-start"))
    assert start == {
        "kind": "district",
        "name": "Tarapoto",
        "centre": [-6.489444, -76.360278],
        "bounds": None,
        "max_zoom": 11,
        "outline": None,
    }


def test_a_family_with_a_mapped_plot_opens_on_its_plots_not_its_district(client, coop, family, plot, field_officer):
    client.force_login(field_officer)

    response = client.get(new_url(coop, family))

    assert text_of(response, "plot-start") == "null"
    assert "plot-start-note" not in response.content.decode()


def test_the_keyboard_way_in_is_written_beside_the_map_and_linked_to_it(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.get(new_url(coop, family))

    html = response.content.decode()
    assert 'role="region" aria-label="Map of the plot" aria-describedby="plot-map-keyboard"' in html
    assert text_of(response, "plot-map-keyboard") == (
        "Drawing on the map needs a mouse or a finger. With a keyboard, upload the file of a GPS or phone "
        "or type a point below the map."
    )
    # The links lead to the fields themselves.
    assert '<a href="#id_gps_file">upload the file of a GPS or phone</a>' in html
    assert '<a href="#id_latitude">type a point</a>' in html
    assert ('id="id_gps_file"' in html, 'id="id_latitude"' in html) == (True, True)


def test_the_editor_costs_the_same_queries_for_a_small_and_a_large_family(
    client, coop, family, plot, field_officer, django_assert_max_num_queries
):
    client.force_login(field_officer)
    with django_assert_max_num_queries(7):
        assert client.get(new_url(coop, family)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(edit_url(coop, plot)).status_code == 200

    PlotFactory.create_batch(40, producer=family)
    PlotFactory.create_batch(40, producer__cooperative=coop)
    with django_assert_max_num_queries(7):
        assert client.get(new_url(coop, family)).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(edit_url(coop, plot)).status_code == 200


# Drawing on the map


def test_a_drawn_polygon_makes_a_plot_with_its_measured_area(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(geometry=json.dumps(SQUARE)))

    assert response.status_code == 302
    assert response["Location"] == reverse("producer_detail", args=[coop.code, family.pk])
    plot = Plot.objects.get(code="P-0200")
    assert (plot.producer, plot.cooperative) == (family, coop)
    assert plot.geometry == SQUARE
    assert plot.measured_area_ha == geo.geodesic_area_ha(SQUARE) == Decimal("1.2230")
    assert plot.declared_area_ha == Decimal("1.25")
    assert [str(m) for m in response.wsgi_request._messages] == ["Plot P-0200 added: its measured area is 1.22 ha."]


def test_save_and_add_another_comes_back_to_a_new_plot_of_the_same_family(client, coop, family, manager):
    client.force_login(manager)

    response = client.post(new_url(coop, family), fields(geometry=json.dumps(SQUARE), next="another"))

    assert response.status_code == 302
    assert response["Location"] == new_url(coop, family)
    assert Plot.objects.filter(producer=family).count() == 1


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (
            json.dumps(BOW_TIE),
            "This polygon's sides cross or touch each other near longitude -76.1375, latitude -6.5735.",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][:-1]]}),
            "A polygon ring must end where it starts (it is not closed).",
        ),
        (
            json.dumps(square(-200.0, -6.574)),
            "Longitude -200.0 lies outside -180 to 180 (is it swapped with the latitude?).",
        ),
        ("-6.574, -76.138", "This is not valid GeoJSON text."),
        ('{"type": "LineString", "coordinates": [[-76.138, -6.574], [-76.137, -6.574]]}', "A plot is a Point"),
    ],
    ids=["self-crossing", "not closed", "out of range", "not json", "a line"],
)
def test_a_bad_drawing_is_refused_beside_the_map_and_kept(client, coop, family, field_officer, geometry, message):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(geometry=geometry))

    assert response.status_code == 200
    assert message in text_of(response, "field-geometry")
    assert Plot.objects.count() == 0
    # What was drawn comes back to the map as it was sent, and what was typed to its fields.
    assert input_value(response, "geometry") == geometry
    assert input_value(response, "code") == "P-0200"
    assert input_value(response, "deforestation_method") == "Global Forest Watch tree cover 2020 and field visit"


def test_the_map_messages_speak_spanish_to_a_spanish_user(coop, family, field_officer):
    client = Client(headers={"Accept-Language": "es"})
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(geometry="no es geojson"))

    assert response.status_code == 200
    assert text_of(response, "field-geometry") == "Este texto no es GeoJSON válido."
    assert Plot.objects.count() == 0


def test_a_plot_larger_than_4_ha_cannot_be_a_point(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(
        new_url(coop, family), fields(declared_area_ha="6.5", latitude="-6.5736", longitude="-76.1378")
    )

    assert response.status_code == 200
    assert text_of(response, "field-geometry") == (
        "A plot of more than 4 ha must be mapped as a polygon, not a point (EUDR)."
    )
    assert Plot.objects.count() == 0


def test_a_code_already_used_in_the_cooperative_is_refused_beside_the_code(client, coop, family, plot, manager):
    client.force_login(manager)

    response = client.post(new_url(coop, family), fields(code="P-0100", geometry=json.dumps(SQUARE)))

    assert response.status_code == 200
    assert "Another plot of this cooperative already has the code P-0100." in text_of(response, "field-code")
    assert Plot.objects.count() == 1


def test_other_fields_are_judged_by_the_models_rules(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(
        new_url(coop, family),
        fields(geometry=json.dumps(SQUARE), deforestation_assessed_on="", planting_year="2999"),
    )

    assert response.status_code == 200
    assert "Give the date and the method of the deforestation assessment." in text_of(
        response, "field-deforestation_result"
    )
    assert Plot.objects.count() == 0


# Typing a point


def test_a_typed_point_makes_a_point_plot(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(latitude="-6.573612", longitude="-76.137845"))

    assert response.status_code == 302
    plot = Plot.objects.get(code="P-0200")
    assert plot.geometry == {"type": "Point", "coordinates": [-76.137845, -6.573612]}
    assert plot.measured_area_ha is None
    assert [str(m) for m in response.wsgi_request._messages] == ["Plot P-0200 added."]


def test_a_typed_point_wins_over_an_old_drawing(client, coop, family, field_officer):
    client.force_login(field_officer)

    client.post(new_url(coop, family), fields(geometry=json.dumps(SQUARE), latitude="-6.5736", longitude="-76.1378"))

    assert Plot.objects.get(code="P-0200").geometry["type"] == "Point"


def test_half_a_point_asks_for_the_other_half(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(latitude="-6.5736"))

    assert response.status_code == 200
    assert "Give the longitude too." in text_of(response, "field-longitude")
    assert input_value(response, "latitude") == "-6.5736"
    assert Plot.objects.count() == 0


def test_a_latitude_out_of_range_is_explained_beside_the_map(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(latitude="95.5", longitude="-76.1378"))

    assert response.status_code == 200
    assert text_of(response, "field-geometry") == (
        "Latitude 95.5 lies outside -90 to 90 (is it swapped with the longitude?)."
    )
    assert input_value(response, "latitude") == "95.5"
    assert Plot.objects.count() == 0


# Uploading the file of a GPS or a phone


def test_a_geojson_file_makes_a_plot_of_its_polygon(client, coop, family, field_officer):
    client.force_login(field_officer)
    district = json.loads((FIXTURES / "peru/chazuta_district_inei2007_simple.geojson").read_text())

    response = client.post(
        new_url(coop, family), fields(gps_file=upload("peru/chazuta_district_inei2007_simple.geojson"))
    )

    assert response.status_code == 302
    plot = Plot.objects.get(code="P-0200")
    assert plot.geometry == district["features"][0]["geometry"]
    assert plot.measured_area_ha == Decimal("92935.8431")


def test_a_kml_file_makes_a_plot_of_its_polygon_without_heights(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(gps_file=upload("minka/chacra_la_loma.kml")))

    assert response.status_code == 302
    plot = Plot.objects.get(code="P-0200")
    assert plot.geometry == {
        "type": "Polygon",
        "coordinates": [
            [
                [-76.13812, -6.57395],
                [-76.1369, -6.57402],
                [-76.13671, -6.57301],
                [-76.13745, -6.57262],
                [-76.1382, -6.5731],
                [-76.13812, -6.57395],
            ]
        ],
    }
    assert plot.measured_area_ha == Decimal("1.9366")
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Plot P-0200 added: its measured area is 1.94 ha.",
        "Heights dropped (3-D positions made 2-D)",
    ]


def test_a_kmz_from_google_earth_is_read_too(client, coop, family, field_officer):
    client.force_login(field_officer)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as kmz:
        kmz.writestr("doc.kml", (FIXTURES / "minka/chacra_la_loma.kml").read_bytes())

    response = client.post(
        new_url(coop, family), fields(gps_file=SimpleUploadedFile("Chacra La Loma.kmz", archive.getvalue()))
    )

    assert response.status_code == 302
    assert Plot.objects.get(code="P-0200").measured_area_ha == Decimal("1.9366")


def test_a_gpx_walk_around_the_plot_makes_a_closed_polygon(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(gps_file=upload("minka/chacra_la_loma_walk.gpx")))

    assert response.status_code == 302
    plot = Plot.objects.get(code="P-0200")
    ring = plot.geometry["coordinates"][0]
    assert plot.geometry["type"] == "Polygon"
    assert len(ring) == 14  # 13 points walked, in two segments (a pause), and the first again to close
    assert ring[0] == ring[-1] == [-76.138117, -6.573948]
    assert plot.measured_area_ha == Decimal("1.9558")
    assert "The line Chacra La Loma ended 7 m from its start; it was closed into a boundary." in [
        str(m) for m in response.wsgi_request._messages
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.kml", b"", "The file empty.kml is empty."),
        ("notes.txt", b"corner 1: -6.5736 -76.1378", "notes.txt is not a GeoJSON, KML or GPX file."),
        ("cut.gpx", b'<?xml version="1.0"?><gpx><trk><trkseg><trkpt lat="-6.5"', "The XML file cut.gpx cannot be read"),
    ],
    ids=["empty", "not a gps file", "cut short"],
)
def test_a_file_that_cannot_be_read_is_refused_beside_the_map(
    client, coop, family, field_officer, name, content, message
):
    client.force_login(field_officer)

    response = client.post(
        new_url(coop, family), fields(gps_file=SimpleUploadedFile(name, content), geometry=json.dumps(SQUARE))
    )

    assert response.status_code == 200
    assert message in text_of(response, "field-gps_file")
    assert Plot.objects.count() == 0
    assert json.loads(input_value(response, "geometry")) == SQUARE  # the drawing is still on the map


def test_a_kml_without_a_polygon_is_refused_beside_the_map(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(gps_file=upload("minka/path_to_the_plot.kml")))

    assert response.status_code == 200
    assert (
        "path_to_the_plot.kml holds no closed boundary: the line Camino ends 171 m from where it starts, and a "
        "boundary must end within 25 m." in text_of(response, "plot-place")
    )
    assert Plot.objects.count() == 0


def test_a_file_with_several_plots_says_which_it_found(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(new_url(coop, family), fields(gps_file=upload("eudr/eu_example_type1.geojson")))

    assert response.status_code == 200
    assert (
        "eu_example_type1.geojson holds 2 plot boundaries where one is expected: FAZENDA TABOAO I, FAZENDA TABOAO II."
        in text_of(response, "field-gps_file")
    )
    assert Plot.objects.count() == 0


def test_a_file_read_but_another_field_wrong_keeps_the_files_shape_on_the_map(client, coop, family, field_officer):
    client.force_login(field_officer)

    response = client.post(
        new_url(coop, family),
        fields(code="", gps_file=upload("minka/chacra_la_loma.kml"), latitude="-6.5", longitude="-76.1"),
    )

    assert response.status_code == 200
    assert "This field is required." in text_of(response, "field-code")
    assert json.loads(input_value(response, "geometry"))["type"] == "Polygon"
    # The file replaced the point typed before, so the point must not win when the form comes back.
    assert (input_value(response, "latitude"), input_value(response, "longitude")) == ("", "")
    assert text_of(response, "plot-notes") == "Heights dropped (3-D positions made 2-D)"
    assert Plot.objects.count() == 0


def test_the_map_reads_a_file_before_saving(client, coop, field_officer):
    client.force_login(field_officer)
    url = reverse("plot_read_file", args=[coop.code])

    read = client.post(url, {"gps_file": upload("minka/chacra_la_loma_walk.gpx")})
    refused = client.post(url, {"gps_file": upload("eudr/eu_example_type1.geojson")})
    missing = client.post(url, {})

    assert read.status_code == 200
    assert read.json()["geometry"]["type"] == "Polygon"
    assert read.json()["format"] == "GPX"
    assert read.json()["notes"] == ["The line Chacra La Loma ended 7 m from its start; it was closed into a boundary."]
    assert refused.status_code == 400
    assert refused.json()["errors"][0].startswith("eu_example_type1.geojson holds 2 plot boundaries")
    assert missing.status_code == 400
    assert Plot.objects.count() == 0


@pytest.mark.parametrize("role", ["partner", "auditor"])
def test_only_writers_may_have_a_file_read(client, request, coop, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        reverse("plot_read_file", args=[coop.code]), {"gps_file": upload("minka/chacra_la_loma.kml")}
    )

    assert response.status_code == 403


# Editing


def test_editing_a_plot_keeps_its_family_and_cooperative(client, coop, other_coop, family, plot, field_officer):
    client.force_login(field_officer)
    stranger = ProducerFactory(cooperative=other_coop)
    moved = square(-76.136, -6.572)

    response = client.post(
        edit_url(coop, plot),
        fields(
            code="P-0100",
            name="Chacra La Loma (ampliada)",
            geometry=json.dumps(moved),
            producer=stranger.pk,
            cooperative=other_coop.pk,
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("producer_detail", args=[coop.code, family.pk])
    plot.refresh_from_db()
    assert (plot.producer, plot.cooperative) == (family, coop)
    assert plot.name == "Chacra La Loma (ampliada)"
    assert plot.geometry == moved
    assert plot.measured_area_ha == geo.geodesic_area_ha(moved)
    assert [str(m) for m in response.wsgi_request._messages] == ["Plot P-0100 saved: its measured area is 1.22 ha."]


def test_a_point_plot_opens_with_its_latitude_and_longitude(client, coop, family, field_officer):
    point = PlotFactory(producer=family, geometry={"type": "Point", "coordinates": [-76.1378, -6.5736]})
    client.force_login(field_officer)

    response = client.get(edit_url(coop, point))

    assert (input_value(response, "latitude"), input_value(response, "longitude")) == ("-6.5736", "-76.1378")


def test_removing_the_drawing_leaves_the_plot_unmapped(client, coop, plot, manager):
    client.force_login(manager)

    response = client.post(edit_url(coop, plot), fields(code="P-0100", geometry=""))

    assert response.status_code == 302
    plot.refresh_from_db()
    assert (plot.geometry, plot.measured_area_ha) == (None, None)
