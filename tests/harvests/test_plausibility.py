"""The ICS's plausibility flags (harvests.plausibility): each rule with the case that breaks it.

Geometries are placed against Chazuta's real boundary (INEI 2007, simplified; loaded by migration
cooperatives/0009 from the file tests/fixtures/peru/ holds a copy of). Its western edge runs from
(-76.1410, -6.5687) to (-76.1122, -6.6026); the valley floor around (-76.08, -6.58) is well inside.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from shapely.geometry import Point, shape

from certifications.models import Standard
from cooperatives.models import DistrictBoundary
from harvests import plausibility
from plots import geometry as geo
from plots import plausibility as plot_checks
from producers.models import Producer
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
CHAZUTA_FILE = Path(__file__).parents[1] / "fixtures" / "peru" / "chazuta_district_inei2007_simple.geojson"
# DOMAIN.md: the centre of Chazuta as the ubigeo table gives it, about 80 m outside the simplified boundary.
CHAZUTA_CENTRE = (-76.1378, -6.5736)
SEASON = datetime.date.today().year - 1


def square(lon, lat, side_deg=0.001):
    return factories.square(lon, lat, side_deg)


def plot(producer, geometry=None, *, declared="1.0", yield_kg_ha="1000", **values):
    geometry = geometry or square(-76.08, -6.58)
    is_polygon = geometry["type"] != "Point"
    return factories.PlotFactory(
        producer=producer,
        geometry=geometry,
        declared_area_ha=D(declared),
        measured_area_ha=geo.geodesic_area_ha(geometry) if is_polygon else None,
        estimated_yield_kg_ha=None if yield_kg_ha is None else D(yield_kg_ha),
        **values,
    )


@pytest.fixture
def certificate(coop):
    return factories.CertificateFactory(
        cooperative=coop, valid_from=datetime.date(SEASON, 1, 1), valid_to=datetime.date(SEASON, 12, 31)
    )


@pytest.fixture
def organic():
    return Standard.objects.get(code="eu-organic")


@pytest.fixture
def buy(coop, organic):
    centre = factories.CollectionCentreFactory(cooperative=coop)

    def buy(producer, kg, *, certified=True, date=None, **values):
        delivery = factories.DeliveryFactory(
            producer=producer,
            collection_centre=centre,
            date=date or datetime.date(SEASON, 5, 1),
            net_kg=D(kg),
            **values,
        )
        if certified:
            delivery.certified_standards.add(organic)
        return delivery

    return buy


@pytest.fixture
def covered(certificate):
    def covered(plot, **values):
        factories.CoveredPlotFactory(certificate=certificate, plot=plot, **values)
        return plot

    return covered


def producer(coop, **values):
    return factories.ProducerFactory(cooperative=coop, **{"first_name": "Juan", "last_name": "Tapullima", **values})


# Families over their plausible yield


def test_it_flags_a_family_delivering_three_times_its_plausible_yield_with_the_figures(coop, buy, covered):
    juan = producer(coop)
    # 1.0 ha declared, mapped as about 1.23 ha: the measured area counts, 1,000 kg/ha.
    land = covered(plot(juan, declared="1.0"))
    plausible = (land.measured_area_ha * 1000).quantize(D("0.01"))
    buy(juan, plausible * 2)
    buy(juan, plausible, state="wet", wet_to_dry_ratio=D("1"))

    flags = plausibility.families_over_yield(coop, SEASON)

    assert flags == [
        plausibility.YieldFlag(
            producer_id=juan.pk,
            code=juan.code,
            name="Juan Tapullima",
            delivered_kg=plausible * 3,
            plausible_kg=plausible,
            ratio=D("3.00"),
            tolerance_pct=D("20.00"),
        )
    ]


def test_it_leaves_a_family_within_the_cooperatives_tolerance_and_flags_it_past_it(coop, buy, covered):
    juan = producer(coop)
    land = covered(plot(juan, square(-76.08, -6.58), declared="1.0"))
    plausible = land.measured_area_ha * 1000
    buy(juan, (plausible * D("1.19")).quantize(D("0.01")))

    assert plausibility.families_over_yield(coop, SEASON) == []
    coop.plausibility_tolerance_pct = D("15")
    coop.save(update_fields=["plausibility_tolerance_pct"])
    assert [(f.code, f.ratio, f.tolerance_pct) for f in plausibility.families_over_yield(coop, SEASON)] == [
        (juan.code, D("1.19"), D("15.00"))
    ]


def test_only_certified_deliveries_of_the_season_count(coop, buy, covered):
    juan = producer(coop)
    land = covered(plot(juan))
    plausible = land.measured_area_ha * 1000
    buy(juan, plausible)
    # Conventional cocoa is sold as conventional: however much, it claims nothing.
    buy(juan, plausible * 5, certified=False)
    # The season before and the one after are other seasons.
    buy(juan, plausible * 5, date=datetime.date(SEASON - 1, 12, 31))
    buy(juan, plausible * 5, date=datetime.date(SEASON + 1, 1, 1))

    assert plausibility.families_over_yield(coop, SEASON) == []


def test_only_plots_within_a_certificates_scope_in_the_season_count(coop, buy, covered, certificate):
    juan = producer(coop)
    land = covered(plot(juan, square(-76.08, -6.58)))
    # Not covered at all, and excluded before the season began: neither explains certified cocoa.
    plot(juan, square(-76.07, -6.58))
    covered(plot(juan, square(-76.06, -6.58)), excluded_on=datetime.date(SEASON, 1, 1))
    # Excluded in the season: its harvest before then counts whole.
    late = covered(plot(juan, square(-76.05, -6.58)), excluded_on=datetime.date(SEASON, 7, 1))
    plausible = (land.measured_area_ha + late.measured_area_ha) * 1000
    buy(juan, (plausible * D("1.5")).quantize(D("0.01")))

    (flag,) = plausibility.families_over_yield(coop, SEASON)

    assert (flag.plausible_kg, flag.ratio) == (plausible.quantize(D("0.01")), D("1.50"))


def test_a_point_plot_counts_its_declared_area(coop, buy, covered):
    juan = producer(coop)
    covered(plot(juan, {"type": "Point", "coordinates": [-76.08, -6.58]}, declared="2.0", yield_kg_ha="500"))
    buy(juan, "3000")

    (flag,) = plausibility.families_over_yield(coop, SEASON)

    assert (flag.delivered_kg, flag.plausible_kg, flag.ratio) == (D("3000.00"), D("1000.00"), D("3.00"))


def test_certified_cocoa_from_a_family_without_a_plausible_yield_is_flagged_first(coop, buy, covered):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    covered(plot(juan, square(-76.08, -6.58), yield_kg_ha=None))
    buy(juan, "10")
    rosa_land = covered(plot(rosa, square(-76.07, -6.58)))
    buy(rosa, (rosa_land.measured_area_ha * 2000).quantize(D("0.01")))

    flags = plausibility.families_over_yield(coop, SEASON)

    assert [(f.code, f.plausible_kg, f.ratio) for f in flags] == [
        (juan.code, D("0.00"), None),
        (rosa.code, (rosa_land.measured_area_ha * 1000).quantize(D("0.01")), D("2.00")),
    ]
    assert plausibility.flagged_counts([coop.pk], SEASON) == {coop.pk: 2}


def test_another_cooperatives_families_are_not_counted(coop, other_coop, buy, covered):
    juan = producer(coop)
    covered(plot(juan))
    buy(juan, "50000")

    assert plausibility.families_over_yield(other_coop, SEASON) == []
    assert plausibility.flagged_counts([coop.pk, other_coop.pk], SEASON) == {coop.pk: 1, other_coop.pk: 0}


# The tolerance


@pytest.mark.parametrize("value", ["-1", "100.01"])
def test_the_tolerance_is_a_percentage_from_0_to_100(coop, value):
    coop.plausibility_tolerance_pct = D(value)

    with pytest.raises(ValidationError) as error:
        coop.full_clean()

    assert list(error.value.message_dict) == ["plausibility_tolerance_pct"]
    with pytest.raises(IntegrityError), transaction.atomic():
        coop.save(update_fields=["plausibility_tolerance_pct"])


def test_a_new_cooperative_tolerates_20_percent(coop):
    assert coop.plausibility_tolerance_pct == D("20")


# Overlapping plots


def test_plots_of_two_families_sharing_a_fifth_of_a_plot_are_flagged_with_the_shared_area(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    mine = plot(juan, square(-76.08, -6.58))
    theirs = plot(rosa, square(-76.0792, -6.58))  # shifted 0.0008° (88 m) east: a fifth is shared

    flags = plausibility.cooperative_flags(coop, SEASON).overlaps

    shared = shape(mine.geometry).intersection(shape(theirs.geometry))
    expected_m2 = D(plot_checks.geodesic_m2(shared)).quantize(D(1))
    assert flags == [
        plot_checks.OverlapFlag(
            plot_id=mine.pk,
            plot_code=mine.code,
            producer_id=juan.pk,
            producer_code=juan.code,
            producer_name="Juan Tapullima",
            other_plot_id=theirs.pk,
            other_plot_code=theirs.code,
            other_producer_id=rosa.pk,
            other_producer_code=rosa.code,
            other_producer_name="Rosa Tapullima",
            overlap_m2=expected_m2,
            overlap_pct=(expected_m2 * 100 / (mine.measured_area_ha * 10_000)).quantize(D("0.1")),
        )
    ]
    assert 2400 < expected_m2 < 2500
    assert flags[0].overlap_pct == D("20.0")


def test_a_sliver_of_gps_noise_between_neighbours_is_not_an_overlap(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    plot(juan, square(-76.08, -6.58))
    # 0.000005° (55 cm) over the shared side of 110 m: about 60 m².
    plot(rosa, square(-76.079005, -6.58))

    assert plausibility.cooperative_flags(coop, SEASON).overlaps == []


def test_a_familys_own_plots_may_overlap_and_points_have_no_area_to_share(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    plot(juan, square(-76.08, -6.58))
    plot(juan, square(-76.0795, -6.58))
    plot(rosa, {"type": "Point", "coordinates": [-76.0795, -6.5795]})

    assert plausibility.cooperative_flags(coop, SEASON).overlaps == []


def test_a_withdrawn_familys_plot_and_another_cooperatives_do_not_overlap_anyone(coop, other_coop):
    plot(producer(coop), square(-76.08, -6.58))
    plot(producer(coop, status=Producer.Status.WITHDRAWN), square(-76.0795, -6.58))
    plot(producer(other_coop), square(-76.0795, -6.58))

    assert plausibility.cooperative_flags(coop, SEASON).overlaps == []


# Plots outside their declared district


def test_the_migration_loads_chazutas_real_boundary_with_a_tolerance_for_its_offset():
    boundary = DistrictBoundary.objects.get(district_id="220904")
    fixture = json.loads(CHAZUTA_FILE.read_text())["features"][0]["geometry"]

    assert boundary.geometry == fixture
    assert boundary.tolerance_m == 100
    # The documented offset: the ubigeo centre lies outside the line, by about 80 m.
    outside_by = shape(fixture).exterior.distance(Point(CHAZUTA_CENTRE)) * plot_checks.METRES_PER_DEGREE
    assert shape(fixture).contains(Point(CHAZUTA_CENTRE)) is False
    assert 60 < outside_by < 100


def test_a_plot_at_chazutas_own_centre_is_not_flagged_for_the_boundarys_offset(coop):
    plot(producer(coop), {"type": "Point", "coordinates": list(CHAZUTA_CENTRE)})

    assert plausibility.cooperative_flags(coop, SEASON).outside_district == []


def test_a_plot_beyond_chazutas_western_edge_is_flagged_with_its_distance(coop):
    juan = producer(coop)
    inside = plot(juan, square(-76.08, -6.58))
    # West of the edge (about -76.131 at this latitude, running NW-SE): its far corner 1.7 km out.
    away = plot(juan, square(-76.152, -6.58))

    flags = plausibility.cooperative_flags(coop, SEASON)

    assert [(f.plot_code, f.district, f.district_name, f.tolerance_m) for f in flags.outside_district] == [
        (away.code, "220904", "CHAZUTA", 100)
    ]
    assert 1700 < flags.outside_district[0].distance_m < 1800
    assert inside.code not in {f.plot_code for f in flags.outside_district}
    assert flags.districts_not_checked == []


def test_a_district_without_a_boundary_is_not_checked_rather_than_outside(coop):
    chipurana = factories.District.objects.get(inei="220905")
    plot(producer(coop), square(-70.0, -12.0), district=chipurana)

    flags = plausibility.cooperative_flags(coop, SEASON)

    assert flags.outside_district == []
    assert flags.districts_not_checked == [plot_checks.DistrictNotChecked("220905", "CHIPURANA", 1)]


def test_a_boundary_must_be_a_valid_polygon():
    chipurana = factories.District.objects.get(inei="220905")
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}

    for geometry, message in [
        ({"type": "Point", "coordinates": [0, 0]}, "A district boundary is a GeoJSON Polygon or MultiPolygon."),
        (bow_tie, "This boundary's sides cross each other."),
    ]:
        with pytest.raises(ValidationError) as error:
            DistrictBoundary(district=chipurana, geometry=geometry, source="test").full_clean()
        assert error.value.message_dict == {"geometry": [message]}


# Holdings over 5 ha


def test_a_family_whose_plots_add_up_to_more_than_5_ha_is_flagged(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    plot(juan, {"type": "Point", "coordinates": [-76.08, -6.58]}, declared="3.5")
    plot(juan, {"type": "Point", "coordinates": [-76.07, -6.58]}, declared="1.6")
    # Exactly 5 ha is allowed.
    plot(rosa, {"type": "Point", "coordinates": [-76.06, -6.58]}, declared="5.0")
    plot(producer(coop, status=Producer.Status.WITHDRAWN), {"type": "Point", "coordinates": [-76.05, -6.58]},
         declared="9")  # fmt: skip

    flags = plausibility.cooperative_flags(coop, SEASON).over_holding

    assert flags == [
        plot_checks.HoldingFlag(
            producer_id=juan.pk, code=juan.code, name="Juan Tapullima", plots=2, hectares=D("5.10"), limit_ha=D(5)
        )
    ]


def test_a_mapped_plot_counts_its_measured_area_towards_the_holding(coop):
    juan = producer(coop)
    # Declared 4.9 ha, mapped as a square of 0.0021° (about 5.4 ha).
    mapped = plot(juan, square(-76.08, -6.58, 0.0021), declared="4.9")

    (flag,) = plausibility.cooperative_flags(coop, SEASON).over_holding

    assert flag.hectares == mapped.measured_area_ha.quantize(D("0.01"))
    assert flag.hectares > 5


# All of them, at once


def test_all_flags_of_a_cooperative_cost_four_queries_and_two_while_its_plots_stand(
    coop, buy, covered, django_assert_num_queries
):
    for k in range(30):
        family = producer(coop)
        covered(plot(family, square(-76.09 + (k % 6) * 0.002, -6.58 + (k // 6) * 0.002)))
        buy(family, "5000")

    with django_assert_num_queries(4):
        flags = plausibility.cooperative_flags(coop, SEASON)
    with django_assert_num_queries(2):
        again = plausibility.cooperative_flags(coop, SEASON)

    assert flags.counts == {"over_yield": 30, "overlaps": 0, "outside_district": 0, "over_holding": 0}
    assert flags.total == 30
    assert again == flags


def test_a_changed_plot_or_family_is_seen_at_once_despite_the_cache(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    plot(juan, square(-76.08, -6.58))
    theirs = plot(rosa, square(-76.07, -6.58))
    assert plausibility.cooperative_flags(coop, SEASON).overlaps == []

    theirs.geometry = square(-76.0795, -6.58)
    theirs.save(update_fields=["geometry", "modified"])
    assert len(plausibility.cooperative_flags(coop, SEASON).overlaps) == 1

    rosa.status = Producer.Status.WITHDRAWN
    rosa.save(update_fields=["status", "modified"])
    assert plausibility.cooperative_flags(coop, SEASON).overlaps == []


def test_by_family_names_both_families_of_an_overlap(coop):
    juan, rosa = producer(coop), producer(coop, first_name="Rosa")
    plot(juan, square(-76.08, -6.58))
    plot(rosa, square(-76.0795, -6.58))

    families = plausibility.cooperative_flags(coop, SEASON).by_family()

    assert set(families) == {juan.pk, rosa.pk}
    assert families[juan.pk]["overlaps"] == families[rosa.pk]["overlaps"]
