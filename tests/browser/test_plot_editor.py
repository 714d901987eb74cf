"""A field officer maps Rosa's new plot: draws its boundary on the map with the mouse, or uploads the walk of a GPS."""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from shapely.geometry import Point, shape

from cooperatives.models import DistrictBoundary
from plots.models import Plot
from tests import factories
from tests.browser.conftest import ARTIFACTS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def open_new_plot(page, log_in, field_officer, coop):
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.PlotFactory(producer=rosa, code="P-0101", name="La Loma")  # drawn faintly, for reference
    log_in(field_officer)
    page.goto(reverse("plot_create", args=[coop.code, rosa.pk]))
    page.wait_for_selector("#plot-map[data-ready='1']")
    return rosa


def screenshot(page, name):
    """The editor before saving, kept as an artefact beside the one the fixture takes at the end."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#plot-place").screenshot(path=str(ARTIFACTS / f"{name}.png"))


def save(page, code, declared_area_ha):
    page.fill("input[name=code]", code)
    page.fill("input[name=declared_area_ha]", declared_area_ha)
    page.fill("input[name=deforestation_method]", "Global Forest Watch 2020 y visita de campo")
    page.select_option("select[name=deforestation_result]", "not_deforested")
    page.fill("input[name=deforestation_assessed_on]", "2026-05-20")
    with page.expect_navigation():
        page.click(".plot-form .actions button[type=submit]:not([name])")


def test_a_field_officer_draws_a_plot_with_the_mouse_and_saves_it(page, log_in, field_officer, coop):
    rosa = open_new_plot(page, log_in, field_officer, coop)

    # The polygon tool, four corners around the middle of the map, and the first corner again to close.
    page.click(".leaflet-draw-draw-polygon")
    box = page.locator("#plot-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(x - 120, y - 80), (x + 110, y - 90), (x + 120, y + 70), (x - 100, y + 90)]
    for corner in [*corners, corners[0]]:
        # As a hand moves a mouse: Leaflet.draw places the corner where the pointer was last seen moving.
        page.mouse.move(*corner, steps=4)
        page.mouse.click(*corner)

    drawn = json.loads(page.input_value("input[name=geometry]"))
    assert drawn["type"] == "Polygon"
    assert len(drawn["coordinates"][0]) == 5  # four corners, and the first again
    assert " ha " in page.locator("#plot-area").inner_text()  # the estimate while drawing
    screenshot(page, "plot_editor_drawn")
    save(page, "P-0300", "2.5")

    plot = Plot.objects.get(code="P-0300")
    assert (plot.producer, plot.cooperative) == (rosa, coop)
    assert plot.geometry["type"] == "Polygon"
    assert plot.geometry["coordinates"] == drawn["coordinates"]
    assert plot.measured_area_ha > 0
    assert page.url.endswith(reverse("producer_detail", args=[coop.code, rosa.pk]))
    assert page.javascript_errors == []


def test_a_gps_walk_shows_on_the_map_before_it_is_saved(page, log_in, field_officer, coop):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    rosa = open_new_plot(page, log_in, field_officer, coop)

    page.set_input_files("input[name=gps_file]", str(FIXTURES / "minka/chacra_la_loma_walk.gpx"))
    # A function, not an expression, which Playwright would eval and the Content-Security-Policy refuses.
    page.wait_for_function("() => document.querySelector('input[name=geometry]').value !== ''")

    shown = json.loads(page.input_value("input[name=geometry]"))
    assert shown["type"] == "Polygon"
    assert len(shown["coordinates"][0]) == 14
    assert page.locator("#plot-map path.leaflet-interactive").count() == 1  # the walk, editable
    assert "chacra_la_loma_walk.gpx" in page.locator("#plot-notes").inner_text()
    assert page.input_value("input[name=gps_file]") == ""  # the map holds the shape now
    screenshot(page, "plot_editor_gps_walk")
    save(page, "P-0301", "1.9")

    plot = Plot.objects.get(code="P-0301")
    assert plot.producer == rosa
    assert plot.geometry["coordinates"][0][0] == [-76.138117, -6.573948]
    assert plot.measured_area_ha == Decimal("1.9558")  # the walk's area, not the 1.9 ha declared
    assert page.javascript_errors == []


def map_view(page):
    """What the editor's map shows: its centre, zoom and the corners of its view."""
    return page.evaluate(
        """() => {
          const map = document.getElementById("plot-map").leafletMap, centre = map.getCenter(), view = map.getBounds();
          return {lat: centre.lat, lon: centre.lng, zoom: map.getZoom(),
                  south: view.getSouth(), west: view.getWest(), north: view.getNorth(), east: view.getEast()};
        }"""
    )


def test_a_family_without_plots_opens_on_its_whole_district_not_on_a_blank_map(page, log_in, field_officer, coop):
    lonely = factories.ProducerFactory(cooperative=coop, community="")
    log_in(field_officer)
    chazuta = shape(DistrictBoundary.objects.get(district="220904").geometry)

    for width in (390, 1280):  # a phone, then the office
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(reverse("plot_create", args=[coop.code, lonely.pk]))
        page.wait_for_selector("#plot-map[data-ready='1']")

        view = map_view(page)
        assert chazuta.contains(Point(view["lon"], view["lat"])), view  # the centre lies in Chazuta
        west, south, east, north = chazuta.bounds
        assert view["west"] < west and view["east"] > east and view["south"] < south and view["north"] > north, view
        assert 8 <= view["zoom"] <= 11  # the district, not the 500 m of a plot
        assert page.locator("#plot-map path").count() == 1  # its boundary, drawn for orientation
    assert page.javascript_errors == []


CONTROLS = [
    ".leaflet-control-zoom-in",
    ".leaflet-control-zoom-out",
    ".leaflet-control-layers-toggle",
    ".leaflet-draw-draw-polygon",
    ".leaflet-draw-draw-marker",
    ".leaflet-draw-edit-edit",
    ".leaflet-draw-edit-remove",
]


def words_on_the_map(page):
    """The titles of the map's buttons, then, with the polygon tool picked, its actions and first hint."""
    titles = [page.get_attribute(f"#plot-map {control}", "title") for control in CONTROLS]
    page.click(".leaflet-draw-draw-polygon")
    actions = page.locator("#plot-map .leaflet-draw-actions:visible a").all_inner_texts()
    hint = page.locator("#plot-map .leaflet-draw-tooltip").text_content()
    return titles, actions, hint


def test_the_maps_buttons_speak_spanish_to_a_spanish_user_and_english_to_an_english_one(
    page, live_server, log_in, field_officer, coop
):
    open_new_plot(page, log_in, field_officer, coop)  # the browser asks for es-PE

    assert words_on_the_map(page) == (
        [
            "Acercar",
            "Alejar",
            "Capas del mapa",
            "Dibujar el lindero de la parcela",
            "Marcar la parcela como punto",
            "Aún no hay nada que cambiar",
            "No hay nada que borrar",
        ],
        ["Terminar", "Borrar el último vértice", "Cancelar"],
        "Toque el primer vértice de la parcela.",
    )

    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.reload()
    page.wait_for_selector("#plot-map[data-ready='1']")

    assert words_on_the_map(page) == (
        [
            "Zoom in",
            "Zoom out",
            "Map layers",
            "Draw the plot's boundary",
            "Mark the plot as a point",
            "Nothing to change yet",
            "Nothing to delete",
        ],
        ["Finish", "Delete last corner", "Cancel"],
        "Tap the first corner of the plot.",
    )
    assert page.javascript_errors == []


def test_the_keyboard_way_in_is_said_beside_the_map_and_leads_to_the_file_and_the_point(
    page, log_in, field_officer, coop
):
    open_new_plot(page, log_in, field_officer, coop)

    note = page.locator("#plot-map-keyboard")
    assert page.get_attribute("#plot-map", "aria-describedby") == "plot-map-keyboard"
    assert note.is_visible() is True
    assert note.inner_text() == (
        "Para dibujar en el mapa se necesita un mouse o el dedo. Con el teclado, suba el archivo de un GPS o "
        "celular o escriba un punto debajo del mapa."
    )
    # Its links take the keyboard to the file and to the point.
    focused = "() => document.activeElement.id"
    for link in ("id_gps_file", "id_latitude"):
        page.focus(f"#plot-map-keyboard a[href='#{link}']")
        page.keyboard.press("Enter")
        assert page.evaluate(focused) == link
    page.keyboard.type("-6.5736")
    assert page.input_value("#id_latitude") == "-6.5736"
    # Tab from the map passes its buttons, then reaches the file and the point.
    page.focus("#plot-map")
    walk = []
    for _ in range(12):
        page.keyboard.press("Tab")
        walk.append(page.evaluate(focused))
    assert walk[walk.index("id_gps_file") :][:3] == ["id_gps_file", "id_latitude", "id_longitude"]
    assert page.javascript_errors == []


def test_a_file_that_is_not_a_plot_is_refused_beside_its_field_as_a_list_tied_to_it(page, log_in, field_officer, coop):
    open_new_plot(page, log_in, field_officer, coop)

    page.set_input_files(
        "input[name=gps_file]", files=[{"name": "notas.gpx", "mimeType": "text/plain", "buffer": b"hola"}]
    )
    page.wait_for_selector("#field-gps_file .errorlist")

    # A list (its items counted by a screen reader) inside an alert, named by the field as its description.
    assert page.locator("#field-gps_file [role=alert] > ul.errorlist > li").all_inner_texts() == [
        "notas.gpx no es un archivo GeoJSON, KML ni GPX. Exporte la parcela desde el GPS o la aplicación del "
        "celular en uno de estos formatos."
    ]
    assert page.get_attribute("#id_gps_file", "aria-invalid") == "true"
    assert "id_gps_file_error" in page.get_attribute("#id_gps_file", "aria-describedby").split()
    assert page.input_value("input[name=geometry]") == ""
    assert page.javascript_errors == []
