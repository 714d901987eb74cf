"""The rules a plot keeps through Plot.full_clean: EUDR E1/E2, measured area, conversion, scoping."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from plots import geometry as geo
from plots.models import ConversionStatus, Plot, conversion_status
from tests.factories import CooperativeFactory, PlotFactory, ProducerFactory, square

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHAZUTA_CENTRE = {"type": "Point", "coordinates": [-76.1378, -6.5736]}
# 0.001° a side at Chazuta, measured on the WGS84 ellipsoid.
SQUARE = square(-76.138, -6.574)
SQUARE_HA = Decimal("1.2230")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def producer():
    return ProducerFactory()


def plot_of(producer, **fields):
    """An unsaved plot of `producer`, as a form would build it: measured area not yet known."""
    fields.setdefault("measured_area_ha", None)
    return PlotFactory.build(producer=producer, **fields)


def refusal(plot):
    with pytest.raises(ValidationError) as caught:
        plot.full_clean()
    return caught.value


def codes(error, field):
    return [e.code for e in error.error_dict[field]]


# E1 and E2: what a point may stand for


def test_a_plot_of_5_ha_given_as_a_point_is_refused_on_its_geometry(producer):
    error = refusal(plot_of(producer, declared_area_ha=Decimal("5.0000"), geometry=CHAZUTA_CENTRE))
    assert error.message_dict == {
        "geometry": ["A plot of more than 4 ha must be mapped as a polygon, not a point (EUDR)."]
    }
    assert codes(error, "geometry") == [geo.EU_AREA]


def test_a_plot_of_exactly_4_ha_may_be_a_point(producer):
    plot = plot_of(producer, declared_area_ha=Decimal("4.0000"), geometry=CHAZUTA_CENTRE)
    plot.full_clean()
    assert plot.geometry == CHAZUTA_CENTRE


def test_a_point_declared_below_0_0001_ha_is_refused_on_its_area(producer):
    error = refusal(plot_of(producer, declared_area_ha=Decimal("0.00005"), geometry=CHAZUTA_CENTRE))
    # The field keeps 4 decimals, so the form refuses the figure first; the EUDR rule says why it matters.
    assert error.message_dict == {
        "declared_area_ha": [
            "Ensure that there are no more than 4 decimal places.",
            "A plot mapped as a point needs an area of at least 0.0001 ha (EUDR).",
        ]
    }
    assert codes(error, "declared_area_ha") == ["max_decimal_places", geo.EU_AREA]


def test_a_point_of_0_0001_ha_passes(producer):
    plot_of(producer, declared_area_ha=Decimal("0.0001"), geometry=CHAZUTA_CENTRE).full_clean()


def test_a_plot_of_5_ha_given_as_a_polygon_passes(producer):
    plot = plot_of(producer, declared_area_ha=Decimal("5.0000"), geometry=square(-76.138, -6.574, 0.002))
    plot.full_clean()
    assert plot.measured_area_ha == Decimal("4.8921")


# The geometry itself, and the measured area


def test_a_valid_polygon_stores_its_measured_area(producer):
    plot = plot_of(producer, declared_area_ha=Decimal("1.2000"), geometry=SQUARE)
    plot.full_clean()
    plot.save()
    plot.refresh_from_db()
    assert plot.measured_area_ha == SQUARE_HA
    assert plot.geometry == SQUARE


def test_a_plot_given_as_a_geojson_feature_keeps_only_the_geometry(producer):
    feature = {"type": "Feature", "properties": {"ProducerCountry": "PE"}, "geometry": SQUARE}
    plot = plot_of(producer, geometry=json.dumps(feature))
    plot.full_clean()
    assert (plot.geometry, plot.measured_area_ha) == (SQUARE, SQUARE_HA)


def test_a_plot_whose_polygon_crosses_itself_is_refused_on_its_geometry_and_keeps_no_measured_area(producer):
    (a, b, c, d, _a) = SQUARE["coordinates"][0]
    bow_tie = {"type": "Polygon", "coordinates": [[a, c, b, d, a]]}
    error = refusal(plot_of(producer, geometry=bow_tie))
    assert error.message_dict == {
        "geometry": ["This polygon's sides cross or touch each other near longitude -76.1375, latitude -6.5735."]
    }
    assert codes(error, "geometry") == [geo.EU_POLYGON]


def test_a_gis_export_nested_like_a_multipolygon_is_refused_until_normalised(producer):
    with (FIXTURES / "whisp" / "CICC_plots_subset_simple.geojson").open(encoding="utf-8") as handle:
        feature = json.load(handle)["features"][0]
    error = refusal(plot_of(producer, declared_area_ha=Decimal("0.4043"), geometry=feature))
    assert error.message_dict == {
        "geometry": ["This geometry says Polygon but its coordinates are nested like a MultiPolygon."]
    }
    repaired, _notes = geo.normalize(feature)
    plot = plot_of(producer, declared_area_ha=Decimal("0.4043"), geometry=repaired)
    plot.full_clean()
    assert plot.measured_area_ha == Decimal("0.4043")
    assert plot.area_mismatch() is False


def test_a_plot_without_geometry_has_no_measured_area(producer):
    plot = plot_of(producer, geometry={}, measured_area_ha=Decimal("9.9"))
    plot.full_clean()
    assert (plot.geometry, plot.measured_area_ha) == (None, None)
    assert plot.area_mismatch() is False


# The declared area against the measured one


@pytest.mark.parametrize(
    ("declared", "flagged"),
    [
        (Decimal("1.4676"), True),  # 20 % above the measured 1.2230 ha
        (Decimal("1.3453"), False),  # 10 % above: on the tolerance, not beyond it
        (Decimal("1.2230"), False),
        (Decimal("1.1007"), False),  # 10 % below
        (Decimal("0.9784"), True),  # 20 % below
    ],
)
def test_area_mismatch_flags_a_declared_area_beyond_the_default_tolerance_of_10_percent(producer, declared, flagged):
    assert producer.cooperative.area_tolerance_pct == Decimal("10.00")
    plot = plot_of(producer, declared_area_ha=declared, geometry=SQUARE)
    plot.full_clean()
    assert plot.measured_area_ha == SQUARE_HA
    assert plot.area_mismatch() is flagged


def test_the_eus_own_example_is_not_flagged_although_its_area_was_measured_on_a_sphere(producer):
    with (FIXTURES / "eudr" / "eu_example_type1.geojson").open(encoding="utf-8") as handle:
        feature = json.load(handle)["features"][0]
    stated = Decimal(str(feature["properties"]["Area"]))
    plot = plot_of(producer, declared_area_ha=stated, geometry=feature["geometry"])
    plot.full_clean()
    assert plot.measured_area_ha == Decimal("23.6121")
    assert round(plot.area_difference_pct(), 2) == Decimal("0.46")
    assert plot.area_mismatch() is False


def test_a_cooperative_with_a_tighter_tolerance_flags_a_smaller_difference(producer):
    producer.cooperative.area_tolerance_pct = Decimal("5")
    plot = plot_of(producer, declared_area_ha=Decimal("1.3453"), geometry=SQUARE)
    plot.full_clean()
    assert plot.area_mismatch() is True


# Organic conversion: three years for a perennial crop


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (None, datetime.date(2026, 6, 1), ConversionStatus.CONVENTIONAL),
        (datetime.date(2023, 3, 15), datetime.date(2023, 3, 14), ConversionStatus.CONVENTIONAL),
        (datetime.date(2023, 3, 15), datetime.date(2023, 3, 15), ConversionStatus.YEAR_1),
        (datetime.date(2023, 3, 15), datetime.date(2024, 3, 14), ConversionStatus.YEAR_1),
        (datetime.date(2023, 3, 15), datetime.date(2024, 3, 15), ConversionStatus.YEAR_2),
        (datetime.date(2023, 3, 15), datetime.date(2025, 3, 15), ConversionStatus.YEAR_3),
        (datetime.date(2023, 3, 15), datetime.date(2026, 3, 14), ConversionStatus.YEAR_3),
        (datetime.date(2023, 3, 15), datetime.date(2026, 3, 15), ConversionStatus.ORGANIC),
        (datetime.date(2023, 3, 15), datetime.date(2040, 1, 1), ConversionStatus.ORGANIC),
    ],
)
def test_conversion_status_counts_whole_years_from_the_start(start, on, expected):
    assert conversion_status(start, on) is expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2024, 2, 28), ConversionStatus.CONVENTIONAL),
        (datetime.date(2024, 2, 29), ConversionStatus.YEAR_1),
        (datetime.date(2025, 2, 28), ConversionStatus.YEAR_1),
        (datetime.date(2025, 3, 1), ConversionStatus.YEAR_2),
        (datetime.date(2027, 2, 28), ConversionStatus.YEAR_3),
        (datetime.date(2027, 3, 1), ConversionStatus.ORGANIC),
        (datetime.date(2028, 2, 29), ConversionStatus.ORGANIC),
    ],
)
def test_a_conversion_started_on_29_february_completes_its_years_on_1_march(on, expected):
    # Three whole years have passed only once 28 February is over: organic from 1 March 2027.
    assert conversion_status(datetime.date(2024, 2, 29), on) is expected


@pytest.mark.parametrize(("on", "organic"), [(datetime.date(2027, 2, 28), False), (datetime.date(2027, 3, 1), True)])
def test_the_organic_queryset_agrees_with_the_plot_about_a_29_february_start(producer, on, organic):
    plot = PlotFactory(producer=producer, conversion_start=datetime.date(2024, 2, 29))
    assert (plot.conversion_status(on) is ConversionStatus.ORGANIC) is organic
    assert Plot.objects.organic_on(on).filter(pk=plot.pk).exists() is organic


def test_a_conversion_cannot_start_in_the_future(producer):
    error = refusal(plot_of(producer, conversion_start=datetime.date(2999, 1, 1)))
    assert error.message_dict == {"conversion_start": ["The conversion cannot start in the future."]}


# Scoping and the deforestation assessment


def test_a_plot_of_another_cooperatives_producer_is_refused(producer):
    other = CooperativeFactory()
    plot = plot_of(producer, cooperative=other)
    error = refusal(plot)
    assert error.message_dict == {"producer": [f"{producer} belongs to another cooperative."]}
    assert codes(error, "producer") == ["other_cooperative"]


@pytest.mark.parametrize(
    ("method", "assessed_on"),
    [("", None), ("", datetime.date(2024, 6, 1)), ("Global Forest Watch tree cover 2020", None)],
    ids=["neither", "no method", "no date"],
)
def test_a_deforestation_result_without_its_date_and_method_is_refused(producer, method, assessed_on):
    plot = plot_of(
        producer,
        deforestation_result=Plot.DeforestationResult.NOT_DEFORESTED,
        deforestation_method=method,
        deforestation_assessed_on=assessed_on,
    )
    assert refusal(plot).message_dict == {
        "deforestation_result": ["Give the date and the method of the deforestation assessment."]
    }


def test_a_plot_not_yet_assessed_needs_no_date_or_method(producer):
    plot = plot_of(
        producer,
        deforestation_result=Plot.DeforestationResult.NOT_ASSESSED,
        deforestation_method="",
        deforestation_assessed_on=None,
    )
    plot.full_clean()
    assert plot.eudr_ready is False
