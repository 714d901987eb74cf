"""/api/v1/plots/: plots with their geometry as GeoJSON, checked by the model's own rules, and a GeoJSON view."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from cooperatives.services import partner_key_issue
from plots.models import Plot
from tests.factories import CHAZUTA, PlotFactory, ProducerFactory, square

pytestmark = pytest.mark.django_db

LIST = "/api/v1/plots/"
GEOJSON = "/api/v1/plots/geojson/"
# Two sides cross: a bow-tie.
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[-76.138, -6.574], [-76.137, -6.573], [-76.137, -6.574], [-76.138, -6.573], [-76.138, -6.574]]],
}


def detail(plot):
    return f"/api/v1/plots/{plot.pk}/"


def body(plot, conversion_status="organic"):
    plot.refresh_from_db()  # decimals as stored
    return {
        "id": plot.pk,
        "cooperative": plot.cooperative_id,
        "producer": plot.producer_id,
        "code": plot.code,
        "name": plot.name,
        "crop": plot.crop,
        "variety": plot.variety,
        "declared_area_ha": str(plot.declared_area_ha),
        "measured_area_ha": None if plot.measured_area_ha is None else str(plot.measured_area_ha),
        "planting_year": plot.planting_year,
        "tree_count": plot.tree_count,
        "estimated_yield_kg_ha": None if plot.estimated_yield_kg_ha is None else str(plot.estimated_yield_kg_ha),
        "tenure": plot.tenure,
        "district": plot.district_id,
        "geometry": plot.geometry,
        "conversion_start": plot.conversion_start.isoformat() if plot.conversion_start else None,
        "conversion_status": conversion_status,
        "deforestation_result": plot.deforestation_result,
        "deforestation_method": plot.deforestation_method,
        "deforestation_assessed_on": plot.deforestation_assessed_on and plot.deforestation_assessed_on.isoformat(),
        "deforestation_evidence": plot.deforestation_evidence,
        "eudr_ready": plot.eudr_ready,
        "modified": serializers.DateTimeField().to_representation(plot.modified),
    }


def new_plot(producer, **changes):
    return {
        "producer": producer.pk,
        "code": "P-0900",
        "name": "Chacra Bajo Curiyacu",
        "crop": "cocoa",
        "variety": "native fine aroma",
        "declared_area_ha": "1.2000",
        "district": CHAZUTA,
        "geometry": square(-76.1378, -6.5736),
        **changes,
    }


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# Reading


def test_a_manager_reads_a_plot_with_its_readiness(api, manager, coop):
    plot = PlotFactory(producer__cooperative=coop)

    response = api(manager).get(detail(plot))

    assert response.status_code == 200
    assert response.json() == body(plot)
    assert response.json()["eudr_ready"] is True
    assert response.headers["ETag"]


def test_the_list_is_cursor_paginated_newest_first(api, manager, coop):
    plots = PlotFactory.create_batch(3, producer__cooperative=coop)

    first = api(manager).get(LIST, {"page_size": 2})
    second = api(manager).get(first.json()["next"])

    assert first.status_code == 200
    assert set(first.json()) == {"next", "previous", "results"}
    assert ids(first) == [plots[2].pk, plots[1].pk]
    assert ids(second) == [plots[0].pk]
    assert second.json()["next"] is None


@pytest.mark.parametrize("role", ["partner", "auditor", "field_officer"])
def test_every_role_of_the_cooperative_lists_its_plots(api, coop, role, request):
    plot = PlotFactory(producer__cooperative=coop)

    response = api(request.getfixturevalue(role)).get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == [body(plot)]


def test_another_cooperatives_plot_never_appears_in_the_list_or_the_geojson(api, manager, coop, other_coop):
    ours = PlotFactory(producer__cooperative=coop)
    PlotFactory(producer__cooperative=other_coop)

    listed = api(manager).get(LIST)
    mapped = api(manager).get(GEOJSON)

    assert ids(listed) == [ours.pk]
    assert [feature["id"] for feature in mapped.json()["features"]] == [ours.pk]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_cooperatives_plot_answers_404(api, manager, other_coop, method):
    theirs = PlotFactory(producer__cooperative=other_coop, name="Chacra La Loma")

    response = getattr(api(manager), method)(detail(theirs), {"name": "Changed"})

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }
    theirs.refresh_from_db()
    assert theirs.name == "Chacra La Loma"


# Writing


def test_a_field_officer_maps_a_new_plot_and_its_area_is_measured(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop)

    response = api(field_officer).post(LIST, new_plot(family), format="json")

    assert response.status_code == 201
    plot = Plot.objects.get()
    assert plot.cooperative == coop
    assert Decimal("1.20") < plot.measured_area_ha < Decimal("1.25")
    assert response.json() == body(plot, conversion_status="conventional")
    assert response.json()["eudr_ready"] is False


def test_measured_area_and_cooperative_cannot_be_written(api, field_officer, coop, other_coop):
    family = ProducerFactory(cooperative=coop)

    response = api(field_officer).post(
        LIST, new_plot(family, measured_area_ha="99", cooperative=other_coop.pk), format="json"
    )

    assert response.status_code == 201
    plot = Plot.objects.get()
    assert (plot.cooperative, plot.measured_area_ha < 2) == (coop, True)


def test_a_self_intersecting_polygon_answers_400_on_the_geometry(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop)

    response = api(field_officer).post(LIST, new_plot(family, geometry=BOW_TIE), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "EUDR_COMMODITIES_PRODUCER_GEO_POLYGON_INVALID",
                "detail": "This polygon's sides cross or touch each other near longitude -76.1375, latitude -6.5735.",
                "attr": "geometry",
            }
        ],
    }
    assert Plot.objects.count() == 0


def test_a_point_for_a_plot_over_4_ha_answers_400_on_the_geometry(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop)
    point = {"type": "Point", "coordinates": [-76.1378, -6.5736]}

    response = api(field_officer).post(LIST, new_plot(family, geometry=point, declared_area_ha="5"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "EUDR_COMMODITIES_PRODUCER_GEO_AREA_INVALID",
            "detail": "A plot of more than 4 ha must be mapped as a polygon, not a point (EUDR).",
            "attr": "geometry",
        }
    ]


def test_a_plot_cannot_be_given_to_another_cooperatives_family(api, field_officer, other_coop):
    theirs = ProducerFactory(cooperative=other_coop)

    response = api(field_officer).post(LIST, new_plot(theirs), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "does_not_exist", "detail": f'Invalid pk "{theirs.pk}" - object does not exist.', "attr": "producer"}
    ]


def test_a_field_officer_remaps_a_plot(api, field_officer, coop):
    plot = PlotFactory(producer__cooperative=coop)
    bigger = square(-76.1378, -6.5736, side_deg=0.002)

    response = api(field_officer).patch(detail(plot), {"geometry": bigger, "declared_area_ha": "4.9"}, format="json")

    assert response.status_code == 200
    plot.refresh_from_db()
    assert plot.geometry == bigger
    assert Decimal("4.8") < plot.measured_area_ha < Decimal("5.0")
    assert response.json() == body(plot)


def test_a_partner_key_cannot_write_a_plot(coop):
    plot = PlotFactory(producer__cooperative=coop, name="Chacra La Loma")
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop], personal_data=True)
    client = APIClient(headers={"Accept-Language": "en"})
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")

    response = client.patch(detail(plot), {"name": "Changed"}, format="json")

    assert response.status_code == 403
    plot.refresh_from_db()
    assert plot.name == "Chacra La Loma"


def test_a_patch_with_a_stale_etag_answers_412(api, field_officer, coop):
    plot = PlotFactory(producer__cooperative=coop, name="Chacra La Loma")
    client = api(field_officer)
    stale = client.get(detail(plot)).headers["ETag"]
    client.patch(detail(plot), {"variety": "CCN-51 and ICS-95"})

    response = client.patch(detail(plot), {"name": "Changed"}, HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    plot.refresh_from_db()
    assert plot.name == "Chacra La Loma"


# Filters


def test_it_filters_by_producer_crop_district_and_assessment(api, manager, coop):
    family = ProducerFactory(cooperative=coop)
    wanted = PlotFactory(producer=family, crop="coffee")
    PlotFactory(producer=family, crop="cocoa")
    PlotFactory(producer__cooperative=coop, crop="coffee")

    response = api(manager).get(
        LIST,
        {
            "producer": family.pk,
            "crop": "coffee",
            "district": CHAZUTA,
            "deforestation_result": "not_deforested",
            "cooperative": coop.pk,
        },
    )

    assert ids(response) == [wanted.pk]


def test_it_filters_by_conversion_status_derived_from_today(api, manager, coop):
    today = datetime.date.today()
    organic = PlotFactory(producer__cooperative=coop, conversion_start=datetime.date(2016, 1, 1))
    second_year = PlotFactory(producer__cooperative=coop, conversion_start=today - datetime.timedelta(days=400))
    conventional = PlotFactory(producer__cooperative=coop, conversion_start=None)
    client = api(manager)

    assert ids(client.get(LIST, {"organic": "true"})) == [organic.pk]
    assert ids(client.get(LIST, {"organic": "false"})) == [conventional.pk, second_year.pk]
    assert ids(client.get(LIST, {"conversion_status": "conversion_2"})) == [second_year.pk]
    assert ids(client.get(LIST, {"conversion_status": "conventional"})) == [conventional.pk]
    assert client.get(detail(second_year)).json()["conversion_status"] == "conversion_2"


def test_it_filters_by_geometry_and_eudr_readiness(api, manager, coop):
    mapped = PlotFactory(producer__cooperative=coop)
    unmapped = PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)
    client = api(manager)

    assert ids(client.get(LIST, {"has_geometry": "true"})) == [mapped.pk]
    assert ids(client.get(LIST, {"has_geometry": "false"})) == [unmapped.pk]
    assert ids(client.get(LIST, {"eudr_ready": "true"})) == [mapped.pk]
    assert ids(client.get(LIST, {"eudr_ready": "false"})) == [unmapped.pk]


def test_it_lists_only_plots_changed_since_a_moment(api, manager, coop):
    old = PlotFactory(producer__cooperative=coop)
    recent = PlotFactory(producer__cooperative=coop)
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Plot.objects.filter(pk=old.pk).update(modified=moment - datetime.timedelta(microseconds=1))
    Plot.objects.filter(pk=recent.pk).update(modified=moment)

    response = api(manager).get(LIST, {"modified_since": "2026-01-01T00:00:00Z"})

    assert ids(response) == [recent.pk]


def test_search_and_ordering(api, manager, coop):
    a = PlotFactory(producer__cooperative=coop, code="P-A", name="Chacra Alta")
    b = PlotFactory(producer__cooperative=coop, code="P-B", name="Chacra Baja")
    client = api(manager)

    assert ids(client.get(LIST, {"search": "baja"})) == [b.pk]
    assert ids(client.get(LIST, {"search": "P-A"})) == [a.pk]
    assert ids(client.get(LIST, {"ordering": "code"})) == [a.pk, b.pk]


# GeoJSON


def assert_valid_position(position):
    lon, lat = position
    assert -180 <= lon <= 180
    assert -90 <= lat <= 90


def test_geojson_is_a_valid_feature_collection(api, manager, coop):
    polygon = PlotFactory(producer__cooperative=coop, code="P-1")
    point = PlotFactory(
        producer__cooperative=coop,
        code="P-2",
        geometry={"type": "Point", "coordinates": [-76.1378, -6.5736]},
        measured_area_ha=None,
    )

    response = api(manager).get(GEOJSON)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert collection["links"] == {"next": None, "previous": None}
    assert [f["id"] for f in collection["features"]] == [point.pk, polygon.pk]
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon", "Point"}
    assert_valid_position(collection["features"][0]["geometry"]["coordinates"])
    for position in collection["features"][1]["geometry"]["coordinates"][0]:
        assert_valid_position(position)
    assert collection["features"][1]["properties"] == {
        "code": "P-1",
        "name": polygon.name,
        "cooperative": coop.pk,
        "producer": polygon.producer_id,
        "crop": "cocoa",
        "variety": "CCN-51",
        "district": CHAZUTA,
        "declared_area_ha": 1.2,
        "measured_area_ha": 1.227,
        "conversion_status": "organic",
        "deforestation_result": "not_deforested",
        "eudr_ready": True,
        "modified": polygon.modified.isoformat(),
    }


def test_an_unmapped_plot_keeps_its_feature_with_geometry_null(api, manager, coop):
    plot = PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)

    response = api(manager).get(GEOJSON)

    assert [(f["id"], f["geometry"]) for f in response.json()["features"]] == [(plot.pk, None)]


def test_format_geojson_on_the_list_answers_the_same_filtered_collection(api, manager, coop):
    coffee = PlotFactory(producer__cooperative=coop, crop="coffee")
    PlotFactory(producer__cooperative=coop, crop="cocoa")

    response = api(manager).get(LIST, {"format": "geojson", "crop": "coffee"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    assert [f["id"] for f in response.json()["features"]] == [coffee.pk]


def test_geojson_pages_carry_cursor_links(api, manager, coop):
    plots = PlotFactory.create_batch(3, producer__cooperative=coop)
    client = api(manager)

    first = client.get(GEOJSON, {"page_size": 2})
    second = client.get(first.json()["links"]["next"])

    assert [f["id"] for f in first.json()["features"]] == [plots[2].pk, plots[1].pk]
    assert [f["id"] for f in second.json()["features"]] == [plots[0].pk]
    assert second.json()["links"]["next"] is None
    assert second.json()["links"]["previous"] is not None


# Cost


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("url", [LIST, GEOJSON])
def test_a_page_costs_the_same_queries_for_3_or_30_plots(
    fresh_api, manager, coop, rows, url, django_assert_max_num_queries
):
    PlotFactory.create_batch(rows, producer__cooperative=coop)
    client = fresh_api(manager, url)

    # The caller's cooperatives, groups and own permissions; then the page.
    with django_assert_max_num_queries(4):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("value", ["-8.16e158", "1.5", "99999999999999999999"])
def test_an_id_filter_that_is_not_a_row_id_answers_400(api, manager, value):
    response = api(manager).get(LIST, {"producer": value})

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "producer"
