"""A manager opens the dashboard in a real browser: the plots are on the map and the charts are drawn."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plots.models import Plot
from tests import factories

# Three mapped plots (two in conversion, one not assessed), a point-less one, purchases and a cut test.
PLOTS = 3


@pytest.fixture
def cooperative_with_plots(coop):
    today = timezone.localdate()
    centre = factories.CollectionCentreFactory(cooperative=coop)
    for n in range(PLOTS):
        family = factories.ProducerFactory(cooperative=coop)
        plot = factories.PlotFactory(
            producer=family,
            geometry=factories.square(-76.14 + n * 0.002, -6.58),
            conversion_start=datetime.date(2016, 1, 1) if n == 0 else today - datetime.timedelta(days=400),
            deforestation_result="" if n == 2 else Plot.DeforestationResult.NOT_DEFORESTED,
            deforestation_method="" if n == 2 else "field visit",
            deforestation_assessed_on=None if n == 2 else datetime.date(2024, 6, 1),
        )
        delivery = factories.DeliveryFactory(
            producer=family, collection_centre=centre, date=today.replace(day=1), net_kg=Decimal(100 + n * 50)
        )
        delivery.plots.set([plot])
        factories.QualityAnalysisFactory(delivery=delivery, date=delivery.date)
    # A family whose plot has no map: counted in the figures, not drawn.
    factories.PlotFactory(producer__cooperative=coop, geometry=None, measured_area_ha=None)
    return coop


def test_the_manager_sees_the_plots_on_the_map_and_the_charts_drawn(page, log_in, manager, cooperative_with_plots):
    log_in(manager)

    page.goto(reverse("dashboard", args=[cooperative_with_plots.code]))
    page.wait_for_selector("#plot-map[data-features]")

    assert page.locator("h1").inner_text() == cooperative_with_plots.name
    assert page.get_attribute("#plot-map", "data-features") == str(PLOTS)
    # Leaflet draws the polygons on a canvas (preferCanvas): something is painted on it.
    assert page.evaluate(PAINTED, "#plot-map .leaflet-overlay-pane canvas") is True
    for chart in ("#chart-kg", "#chart-pen", "#chart-seasons", "#chart-cut-test"):
        assert page.evaluate("(selector) => Chart.getChart(document.querySelector(selector)) !== undefined", chart)
        assert page.evaluate(PAINTED, chart) is True, chart
    assert page.javascript_errors == []


def test_the_map_switches_from_certification_to_eudr_colours(page, log_in, manager, cooperative_with_plots):
    log_in(manager)
    page.goto(reverse("dashboard", args=[cooperative_with_plots.code]))
    page.wait_for_selector("#plot-map[data-features]")
    before = page.evaluate(PIXELS, "#plot-map .leaflet-overlay-pane canvas")

    page.check("input[name=colour-by][value=eudr]")

    assert page.get_attribute("#plot-map", "data-colour-by") == "eudr"
    assert page.is_visible("[data-legend=eudr]") is True
    assert page.is_visible("[data-legend=certification]") is False
    assert page.evaluate(PIXELS, "#plot-map .leaflet-overlay-pane canvas") != before
    assert page.javascript_errors == []


# Whether a canvas holds any painted pixel, and a digest of its pixels.
PAINTED = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas || !canvas.width || !canvas.height) { return false; }
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { return true; } }
  return false;
}"""
PIXELS = """(selector) => {
  const canvas = document.querySelector(selector);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let digest = 0;
  for (let i = 0; i < pixels.length; i += 1) { digest = (digest * 31 + pixels[i]) % 1000000007; }
  return digest;
}"""
