"""The maps of a family's profile and of the dashboard say each plot's status in words and outlines, not by colour
alone, list the plots in words beside the map, and answer axe-core (WCAG 2.1 A and AA) with no serious or critical
violation on a phone and a desk, their popups, lists and drawing tools open."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from plots.models import Plot
from tests import factories

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 900}}


@pytest.fixture
def rosa(coop):
    """A family with a plot ready for the EUDR and one at risk (deforested after 2020)."""
    family = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.PlotFactory(producer=family, code="P-0101", name="La Loma", geometry=factories.square(-76.140, -6.58))
    factories.PlotFactory(
        producer=family,
        code="P-0102",
        name="El Bajo",
        geometry=factories.square(-76.137, -6.58),
        conversion_start=datetime.date(2025, 3, 1),
        deforestation_result=Plot.DeforestationResult.DEFORESTED,
    )
    return family


def english(page, live_server):
    """The person chose English (the language switcher's cookie); the browser itself asks for es-PE."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def open_profile(page, log_in, user, family):
    log_in(user)
    page.goto(reverse("producer_detail", args=[family.cooperative.code, family.pk]))
    page.wait_for_selector("#family-map[data-features]")


def point_of(page, selector, code):
    """Where on the screen the middle of plot `code` is drawn."""
    page.locator(selector).scroll_into_view_if_needed()
    return page.evaluate(
        """([selector, code]) => {
          const element = document.querySelector(selector), map = element.leafletMap;
          const box = element.getBoundingClientRect();
          let middle = null;
          map.eachLayer((layer) => {
            if (layer.feature && layer.feature.properties.code === code) { middle = layer.getCenter(); }
          });
          const point = map.latLngToContainerPoint(middle);
          return [box.left + point.x, box.top + point.y];
        }""",
        [selector, code],
    )


def open_popup(page, selector, code):
    """Click plot `code` as a person would, once the map has settled: a click while the map still
    pans or zooms to its plots lands where the plot was, so it is tried again at its new place."""
    for _ in range(5):
        page.mouse.click(*point_of(page, selector, code))
        try:
            page.wait_for_selector(f"{selector} .leaflet-popup", timeout=3000)
            # Leaflet fades a popup in: read before it is opaque, its text is paler than it will be.
            page.wait_for_function(
                "(s) => getComputedStyle(document.querySelector(s + ' .leaflet-popup')).opacity === '1'", arg=selector
            )
            return
        except PlaywrightTimeout:  # the map moved under the click
            page.wait_for_timeout(500)
    page.wait_for_selector(f"{selector} .leaflet-popup")


OUTLINES = """(selector) => {
  const outlines = {};
  document.querySelector(selector).leafletMap.eachLayer((layer) => {
    if (layer.feature) { outlines[layer.feature.properties.code] = [layer.options.color, layer.options.dashArray]; }
  });
  return outlines;
}"""

SWATCHES = """(legend) => Array.from(document.querySelectorAll(`[data-legend=${legend}] [data-state]`)).map(
  (item) => [item.textContent.trim(), getComputedStyle(item.querySelector("i")).borderTopStyle])"""


def test_the_familys_map_is_a_named_region_and_says_each_plots_status_in_words(
    page, live_server, log_in, field_officer, rosa
):
    english(page, live_server)
    open_profile(page, log_in, field_officer, rosa)

    family_map = page.locator("#family-map")
    assert family_map.get_attribute("role") == "region"  # not an image: it holds buttons and links
    assert family_map.get_attribute("aria-label") == "Map of the plots of Rosa Elvira Tapullima Sangama"
    assert page.locator("[role=img] a, [role=img] button, [role=img] input").count() == 0

    page.select_option("#colour-by", "eudr")
    # Ready and at risk differ by their outline too, not by colour alone; the legend draws the same outlines.
    assert page.evaluate(OUTLINES, "#family-map") == {"P-0101": ["#2f6b3a", None], "P-0102": ["#b3261e", "1 6"]}
    assert page.evaluate(SWATCHES, "eudr") == [
        ["Ready", "solid"],
        ["Not assessed", "dashed"],
        ["At risk", "dotted"],
        ["Not mapped", "dotted"],
    ]
    assert page.locator("[data-legend=certification]").is_hidden() is True

    page.mouse.move(*point_of(page, "#family-map", "P-0102"))
    assert page.locator("#family-map .leaflet-tooltip").inner_text() == "P-0102 · At risk"
    open_popup(page, "#family-map", "P-0102")
    assert page.locator("#family-map .leaflet-popup-content").inner_text().splitlines() == [
        "P-0102 · El Bajo",
        "Rosa Elvira Tapullima Sangama",
        "1.23 ha",
        "Certification: In conversion",
        "EUDR: At risk",
    ]
    # The table beside the map says the same to those who do not see it.
    assert page.locator("#family-map").get_attribute("aria-describedby") == "plots-table-note"
    assert page.locator("#plots-table-note").inner_text() == (
        "The table below lists every plot with its certification and EUDR status."
    )
    assert page.javascript_errors == []


def test_the_dashboard_lists_the_plots_of_its_map_with_their_status(page, live_server, log_in, manager, coop, rosa):
    english(page, live_server)
    log_in(manager)
    page.goto(reverse("dashboard", args=[coop.code]))
    page.wait_for_selector("#plot-map[data-features]")

    assert page.evaluate(SWATCHES, "certification") == [
        ["certified", "solid"],
        ["in conversion", "dashed"],
        ["not certified", "dotted"],
    ]
    page.click("#plot-list-note")  # the list is folded under the map
    rows = page.locator("#plot-list tbody tr")
    assert [rows.nth(n).locator("td").all_inner_texts() for n in range(rows.count())] == [
        [
            "P-0101 · La Loma",
            "Rosa Elvira Tapullima Sangama",
            "1.23",
            "not certified",
            "ready (mapped, not deforested)",
        ],
        ["P-0102 · El Bajo", "Rosa Elvira Tapullima Sangama", "1.23", "in conversion", "deforested or inconclusive"],
    ]
    assert page.locator("#plot-list thead th").all_inner_texts() == [
        "Plot",
        "Family",
        "Area (ha)",
        "Certification",
        "EUDR",
    ]
    open_popup(page, "#plot-map", "P-0101")
    popup = page.locator("#plot-map .leaflet-popup-content").inner_text()
    assert popup.splitlines()[-2:] == ["Certification: not certified", "EUDR: ready (mapped, not deforested)"]
    assert page.javascript_errors == []


def test_the_maps_controls_speak_spanish_on_a_spanish_page(page, log_in, field_officer, rosa):
    open_profile(page, log_in, field_officer, rosa)  # the browser asks for es-PE

    assert page.get_attribute("#family-map .leaflet-control-zoom-in", "title") == "Acercar"
    assert page.get_attribute("#family-map .leaflet-control-zoom-out", "aria-label") == "Alejar"
    assert page.get_attribute("#family-map .leaflet-control-layers-toggle", "title") == "Capas del mapa"
    open_popup(page, "#family-map", "P-0101")
    assert page.get_attribute("#family-map .leaflet-popup-close-button", "aria-label") == "Cerrar"
    assert page.locator("#family-map .leaflet-popup-content").inner_text().splitlines()[-2:] == [
        "Certificación: No certificada",
        "EUDR: Lista",
    ]
    assert page.javascript_errors == []


def serious_violations(page):
    """What axe-core finds serious or critical on the page, WCAG 2.1 A and AA, one line each."""
    page.evaluate(AXE.read_text())  # not a <script> tag, which the Content-Security-Policy refuses
    result = page.evaluate(
        """async () => {
          const rules = {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}};
          const result = await axe.run(document, rules);
          return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" "))}));
        }"""
    )
    return [json.dumps(violation) for violation in result]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_pages_answer_axe_with_no_serious_violation(page, log_in, manager, coop, rosa, width):
    page.set_viewport_size(WIDTHS[width])
    first = factories.ProducerFactory(cooperative=coop, community="")
    log_in(manager)
    found = {}

    page.goto(reverse("plot_create", args=[coop.code, first.pk]))  # on the district, nothing drawn yet
    page.wait_for_selector("#plot-map[data-ready='1']")
    found["plot editor, first plot"] = serious_violations(page)
    page.click(".leaflet-draw-draw-polygon")  # the drawing tool's actions, its hint and two corners
    box = page.locator("#plot-map").bounding_box()
    for corner in (
        (box["x"] + box["width"] / 3, box["y"] + box["height"] / 3),
        (box["x"] + box["width"] / 2, box["y"] + box["height"] / 3),
    ):
        page.mouse.move(*corner, steps=4)
        page.mouse.click(*corner)
    found["plot editor, drawing"] = serious_violations(page)

    page.goto(reverse("plot_update", args=[coop.code, rosa.plots.get(code="P-0101").pk]))
    page.wait_for_selector("#plot-map[data-ready='1']")
    found["plot editor, a plot"] = serious_violations(page)
    page.click(".leaflet-draw-edit-edit")  # its corners to drag
    found["plot editor, moving corners"] = serious_violations(page)

    page.goto(reverse("producer_detail", args=[coop.code, rosa.pk]))
    page.wait_for_selector("#family-map[data-features]")
    open_popup(page, "#family-map", "P-0102")
    found["family profile, a popup open"] = serious_violations(page)

    page.goto(reverse("dashboard", args=[coop.code]))
    page.wait_for_selector("#plot-map[data-features]")
    page.click("#plot-list-note")
    open_popup(page, "#plot-map", "P-0101")
    found["dashboard, list and popup open"] = serious_violations(page)

    assert found == {name: [] for name in found}, json.dumps(found, indent=1, ensure_ascii=False)
    assert page.javascript_errors == []
