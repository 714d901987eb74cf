"""A cooperative's manager opens the dashboard and reads the cooperative at a glance.

The figures are checked against a small cooperative whose every number is known: three active
families (one led by a woman under 30), two plots of known areas, purchases in two months of last
season (one family bought three times what its plot can yield), two cut tests, two shipments.
"""

import datetime
import re
from decimal import Decimal

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certifications.models import InspectionCampaign, Standard
from harvests import plausibility
from overview import dashboard, views
from plots.models import Plot
from producers.models import Producer
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db

D = Decimal


def years_ago(years, day=None):
    return dashboard.years_before(day or timezone.localdate(), years)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def season(today):
    """Last season: whole, and in the past whatever today is."""
    return today.year - 1


@pytest.fixture
def story(coop, other_coop, today, season):
    """Allima Cacao with every figure known."""
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Sangama", sex="F")
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan", last_name="Tapullima", sex="M")
    # Led by a woman of 25: the cooperative's one young family.
    factories.ProducerFactory(cooperative=coop, first_name="Edith", sex="F", birth_date=years_ago(25))
    factories.ProducerFactory(cooperative=coop, status=Producer.Status.APPLICANT, sex="M")
    withdrawn = factories.ProducerFactory(cooperative=coop, status=Producer.Status.WITHDRAWN, sex="M")
    factories.HouseholdMemberFactory(producer=rosa, sex="F", birth_year=today.year - 10)
    factories.HouseholdMemberFactory(producer=rosa, sex="M", birth_year=1976, relation="spouse")
    factories.HouseholdMemberFactory(producer=withdrawn, sex="F", birth_year=today.year - 12)

    certificate = factories.CertificateFactory(
        cooperative=coop, valid_from=years_ago(1), valid_to=today + datetime.timedelta(days=30), number="CU-1"
    )
    factories.CertificateFactory(
        cooperative=coop, valid_from=years_ago(1), valid_to=today + datetime.timedelta(days=200), number="CU-2"
    )
    factories.CertificateFactory(
        cooperative=coop, valid_from=years_ago(2), valid_to=today - datetime.timedelta(days=1), number="CU-OLD"
    )
    # Rosa's plot: organic and certified, mapped and assessed: 1.5 ha that yield 800 kg/ha.
    organic = factories.PlotFactory(
        producer=rosa, code="P-ROSA", declared_area_ha=D("1.5"), measured_area_ha=D("1.5"),
        estimated_yield_kg_ha=D("800"),
    )  # fmt: skip
    factories.CoveredPlotFactory(certificate=certificate, plot=organic)
    # Juan's: in conversion, mapped but not assessed, declared 25 % above its measured area; 1,000 kg a
    # year (the measured 1.6 ha, of 625 kg/ha); within the Fairtrade certificate of last season.
    juans_plot = factories.PlotFactory(
        producer=juan, code="P-JUAN", declared_area_ha=D("2.0"), measured_area_ha=D("1.6"),
        estimated_yield_kg_ha=D("625"), conversion_start=years_ago(1),
        deforestation_result="", deforestation_method="", deforestation_assessed_on=None,
    )  # fmt: skip
    fairtrade = factories.CertificateFactory(
        cooperative=coop, standard=Standard.objects.get(code="fairtrade"), number="FLO-1",
        valid_from=datetime.date(season, 1, 1), valid_to=datetime.date(season, 12, 31),
    )  # fmt: skip
    factories.CoveredPlotFactory(certificate=fairtrade, plot=juans_plot)
    # A withdrawn family's plot is no longer the cooperative's.
    factories.PlotFactory(producer=withdrawn, code="P-GONE", declared_area_ha=D("4.0"))

    centre = factories.CollectionCentreFactory(cooperative=coop)

    def bought(family, month, day, **values):
        return factories.DeliveryFactory(
            producer=family, collection_centre=centre, date=datetime.date(season, month, day), **values
        )

    march = bought(rosa, 3, 10, net_kg=D("300"), price_pen_per_kg=D("10.00"), moisture_pct=D("7.0"))
    april = bought(rosa, 4, 5, net_kg=D("200"), price_pen_per_kg=D("10.50"), moisture_pct=D("8.5"))
    # Juan: 2,700 kg of wet cocoa (1,000 dry) and 2,000 kg dry, sold as Fairtrade: three times what his
    # plot can give.
    wet = bought(juan, 3, 20, state="wet", net_kg=D("2700"), wet_to_dry_ratio=D("2.70"), moisture_pct=None,
                 price_pen_per_kg=D("4.00"))  # fmt: skip
    dry = bought(juan, 4, 15, net_kg=D("2000"), price_pen_per_kg=D("10.00"), moisture_pct=D("7.8"))
    for delivery in (wet, dry):
        delivery.certified_standards.add(fairtrade.standard)
    # Purchases of other seasons and of the other cooperative count elsewhere.
    factories.DeliveryFactory(
        producer=rosa, collection_centre=centre, date=datetime.date(season - 1, 12, 31), net_kg=D("1")
    )
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, date=datetime.date(season - 2, 6, 1))
    factories.DeliveryFactory(producer__cooperative=other_coop, date=datetime.date(season, 3, 10), net_kg=D("999"))

    factories.QualityAnalysisFactory(
        delivery=march, date=march.date, moisture_pct=D("7.0"),
        well_fermented=80, violet=10, slaty=2, mouldy=1, defective=2,
    )  # fmt: skip
    factories.QualityAnalysisFactory(
        delivery=april, date=april.date, moisture_pct=D("8.2"),
        well_fermented=60, violet=20, slaty=5, mouldy=4, defective=5,
    )  # fmt: skip

    italy = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop, name="Cioccolato Srl"))
    england = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop, name="Bean Ltd", country="GB"))
    to_italy = factories.ShipmentFactory(
        contract=italy, departure_date=datetime.date(season, 9, 1), destination_country="IT",
        net_kg=D("10000"), price_usd_per_t=D("8000"),
    )  # fmt: skip
    factories.ShipmentFactory(
        contract=england, departure_date=datetime.date(season, 10, 1), destination_country="GB",
        net_kg=D("5000"), price_usd_per_t=D("7000"),
    )  # fmt: skip
    made = {"production_start": datetime.date(season, 5, 1), "production_end": datetime.date(season, 6, 1)}
    for code in ("L-1", "L-2"):
        factories.ShipmentLotFactory(
            shipment=to_italy, lot=factories.LotFactory(cooperative=coop, code=code, **made), kg=D("5000")
        )
    waiting = factories.LotFactory(cooperative=coop, code="L-3", eudr_segregated=False, **made)
    factories.LotAllocationFactory(lot=waiting, delivery=april, kg=D("150"))

    # This year's campaign: Rosa inspected, Juan only last season, Edith not yet; the withdrawn
    # family's inspection is the campaign's but not among the active families'.
    factories.InspectionCampaignFactory(
        cooperative=coop, year=today.year, starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
    )  # fmt: skip
    inspector = factories.UserFactory()
    factories.InspectionFactory(producer=rosa, inspector=inspector, date=today)
    factories.InspectionFactory(producer=juan, inspector=inspector, date=datetime.date(season, 6, 1))
    factories.InspectionFactory(producer=withdrawn, inspector=inspector, date=today)
    return {"rosa": rosa, "juan": juan, "withdrawn": withdrawn}


def open_dashboard(client, user, coop, language="en", **params):
    client.force_login(user)
    return client.get(reverse("dashboard", args=[coop.code]), params, headers={"Accept-Language": language})


# Who may open it


def test_a_stranger_is_asked_to_log_in(client, coop):
    response = client.get(reverse("dashboard", args=[coop.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_partner_reads_the_api_not_the_dashboard(client, partner, coop):
    assert open_dashboard(client, partner, coop).status_code == 403


def test_another_cooperatives_manager_finds_no_dashboard(client, other_manager, coop):
    assert open_dashboard(client, other_manager, coop).status_code == 404


def test_an_unknown_cooperative_has_no_dashboard(client, manager):
    client.force_login(manager)

    assert client.get(reverse("dashboard", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("person", ["manager", "field_officer", "auditor", "superuser"])
def test_the_manager_field_officers_auditors_and_superusers_read_it(client, coop, person, request):
    response = open_dashboard(client, request.getfixturevalue(person), coop)

    assert response.status_code == 200
    assert response.context["cooperative"] == coop
    assert f"<h1>{coop.name}</h1>" in response.text


# The figures


def test_members_count_active_families_by_sex_and_youth(client, manager, coop, story):
    figures = open_dashboard(client, manager, coop).context["figures"]

    members = figures["members"]
    assert (members["active"], members["women"], members["men"]) == (3, 2, 1)
    assert (members["youth"], members["young_women"]) == (1, 1)
    assert (members["applicants"], members["withdrawn"], members["suspended"]) == (1, 1, 0)
    assert members["women_pct"] == D("66.7")
    # Rosa's daughter (10) and husband; the withdrawn family's girl is no longer counted.
    assert figures["households"] == {"people": 2, "women": 1, "youth": 1}


def test_hectares_are_the_declared_areas_of_member_families_plots(client, manager, coop, story):
    plots = open_dashboard(client, manager, coop).context["figures"]["plots"]

    assert plots["plots"] == 2
    assert plots["hectares"] == D("3.5")
    assert plots["certified_ha"] == D("1.5")
    assert plots["conversion_ha"] == D("2.0")
    assert plots["certified_ha_pct"] == D("42.9")


def test_measured_areas_are_set_beside_declared_ones_and_mismatches_counted(client, manager, coop, story):
    plots = open_dashboard(client, manager, coop).context["figures"]["plots"]

    assert plots["measured_plots"] == 2
    assert (plots["measured_declared_ha"], plots["measured_ha"]) == (D("3.5"), D("3.1"))
    assert plots["declared_over_measured_pct"] == D("12.9")
    # Juan declares 2.0 ha of a plot measured at 1.6: 25 %, beyond the cooperative's 10 %.
    assert plots["mismatched_plots"] == 1


def test_eudr_readiness_counts_mapped_plots_assessed_as_not_deforested(client, manager, coop, story):
    Plot.objects.filter(code="P-JUAN").update(geometry=None, measured_area_ha=None)

    plots = open_dashboard(client, manager, coop).context["figures"]["plots"]

    assert (plots["eudr_ready_plots"], plots["eudr_ready_ha"], plots["eudr_ready_pct"]) == (1, D("1.5"), D("50.0"))
    assert (plots["no_geometry_plots"], plots["not_assessed_plots"], plots["at_risk_plots"]) == (1, 0, 0)


def test_purchases_are_added_up_by_month_and_season(client, manager, coop, story, season):
    response = open_dashboard(client, manager, coop, season=season)
    figures, charts = response.context["figures"], response.context["chart_data"]

    assert figures["seasons"] == [season - 1, season]
    kg_by_month = dict(zip(charts["months"], charts["kg"][-1], strict=True))
    pen_by_month = dict(zip(charts["months"], charts["pen"][-1], strict=True))
    assert [kg for kg in charts["kg"][-1] if kg] == [1300.0, 2200.0]
    assert (kg_by_month["Mar"], kg_by_month["Apr"]) == (1300.0, 2200.0)
    assert (pen_by_month["Mar"], pen_by_month["Apr"]) == (13800.0, 22100.0)
    last = figures["season_totals"][-1]
    assert (last["deliveries"], last["kg"], last["pen"]) == (4, D("3500.00"), D("35900.00"))
    assert last["price_avg"] == D("10.26")
    assert (figures["season_totals"][-2]["deliveries"], figures["season_totals"][-2]["kg"]) == (1, D("1.00"))


def test_moisture_is_read_from_the_dry_purchases(client, manager, coop, story, season):
    last = open_dashboard(client, manager, coop, season=season).context["figures"]["season_totals"][-1]

    assert (last["moisture_measured"], last["moisture_avg"]) == (3, D("7.77"))
    assert (last["moisture_over_target"], last["moisture_over_max"]) == (2, 1)


def test_quality_shows_moisture_grades_and_the_cut_test(client, manager, coop, story, season):
    quality = open_dashboard(client, manager, coop, season=season).context["figures"]["quality"]

    assert (quality["analyses"], quality["moisture_avg"], quality["moisture_over_max"]) == (2, D("7.60"), 1)
    assert (quality["grade_1"], quality["grade_2"], quality["substandard"]) == (1, 1, 0)
    cut = {row["class"]: (row["beans"], row["pct"]) for row in quality["cut_test"]}
    assert cut["well_fermented"] == (140, D("70.0"))
    assert cut["mouldy"] == (5, D("2.5"))
    assert cut["other"] == (11, D("5.5"))


def test_shipments_are_grouped_by_buyer_and_destination(client, manager, coop, story, season):
    trade = open_dashboard(client, manager, coop, season=season).context["figures"]["trade"]

    rows = [
        (r["buyer"], r["destination"], r["shipments"], r["lots"], r["kg"], r["value_usd"]) for r in trade["shipments"]
    ]
    assert rows == [
        ("Cioccolato Srl", "IT", 1, 2, D("10000"), D("80000.00")),
        ("Bean Ltd", "GB", 1, 0, D("5000"), D("35000.00")),
    ]
    assert trade["lots"] == {"made": 3, "eudr_segregated": 2, "unshipped": 1, "unshipped_kg": D("150")}


def test_only_certificates_ending_within_ninety_days_are_listed(client, manager, coop, story):
    response = open_dashboard(client, manager, coop)

    expiring = response.context["figures"]["certificates_expiring"]
    assert [(c["number"], c["days_left"]) for c in expiring] == [("CU-1", 30)]
    assert "CU-2" not in response.text


def test_inspection_coverage_counts_active_families_inspected_this_year(client, manager, coop, story):
    inspections = open_dashboard(client, manager, coop).context["figures"]["inspections"]

    assert (inspections["inspected"], inspections["active"], inspections["pct"]) == (1, 3, D("33.3"))
    assert inspections["missing"] == 2
    [campaign] = inspections["campaigns"]
    assert (campaign["done"], campaign["pending"], campaign["overdue"], campaign["due"]) == (2, 2, 0, 2)


def test_the_years_campaigns_are_listed_with_their_progress_and_a_link(client, manager, coop, story):
    response = open_dashboard(client, manager, coop)

    [campaign] = response.context["figures"]["inspections"]["campaigns"]
    table = text_of(response, "inspection-campaigns")
    assert f"{campaign['standard_name']} " in table
    assert table.endswith(" 2 2 0")
    assert reverse("campaign_detail", args=[coop.code, campaign["id"]]) in response.text


def test_without_a_campaign_this_year_every_active_family_is_still_to_inspect(client, manager, coop, story, today):
    InspectionCampaign.objects.filter(cooperative=coop, year=today.year).delete()

    response = open_dashboard(client, manager, coop)

    inspections = response.context["figures"]["inspections"]
    assert (inspections["inspected"], inspections["active"], inspections["missing"]) == (0, 3, 3)
    assert inspections["campaigns"] == []
    assert "0 of 3 active families inspected 0.0 %" in text_of(response, "inspections")


def test_a_past_season_shows_its_own_inspections_and_names_it(client, manager, coop, story, season):
    factories.InspectionCampaignFactory(
        cooperative=coop, year=season, starts_on=datetime.date(season, 1, 1), ends_on=datetime.date(season, 12, 31)
    )

    response = open_dashboard(client, manager, coop, language="es", season=season)

    inspections = response.context["figures"]["inspections"]
    assert (inspections["year"], inspections["inspected"], inspections["active"]) == (season, 1, 3)
    assert text_of(response, "card-inspections") == f"33 % inspeccionadas en {season}"
    assert text_of(response, "inspections").startswith(
        f"Inspecciones internas en {season} 1 de 3 familias activas inspeccionadas 33.3 %"
    )


def test_this_season_shows_this_years_inspections(client, manager, coop, story, today):
    response = open_dashboard(client, manager, coop, season=today.year)

    assert text_of(response, "card-inspections") == f"33 % inspected in {today.year}"
    assert "2 families still to inspect this year." in text_of(response, "inspections")


def season_choices(response):
    return [int(year) for year in re.findall(r'<option value="([0-9]{4})"', response.text)]


def test_the_seasons_offered_are_those_with_purchases_or_inspections_and_this_one(
    client, manager, coop, story, today, season
):
    factories.InspectionFactory(producer=story["rosa"], date=datetime.date(season - 4, 5, 1))

    response = open_dashboard(client, manager, coop)

    # Purchases in the last three seasons, inspections this season, last season and four seasons ago.
    assert season_choices(response) == [today.year, season, season - 1, season - 2, season - 4]


def test_an_empty_cooperative_is_offered_this_season_only(client, manager, coop, today):
    assert season_choices(open_dashboard(client, manager, coop)) == [today.year]


def test_a_season_asked_for_is_offered_even_without_data(client, manager, coop, today):
    response = open_dashboard(client, manager, coop, season=today.year - 3)

    assert season_choices(response) == [today.year, today.year - 3]
    assert f'<option value="{today.year - 3}" selected>' in response.text


def test_a_family_delivering_three_times_its_plausible_yield_is_flagged(client, manager, coop, story, season):
    response = open_dashboard(client, manager, coop, season=season)

    flags = response.context["figures"]["plausibility"]
    assert flags == [
        plausibility.YieldFlag(
            producer_id=story["juan"].pk,
            code=story["juan"].code,
            name="Juan Tapullima",
            delivered_kg=D("3000.00"),
            plausible_kg=D("1000.00"),
            ratio=D("3.00"),
            tolerance_pct=D("20.00"),
        )
    ]
    shown = text_of(response, "plausibility-flags")
    assert f"{story['juan'].code} · Juan Tapullima 3,000.00 1,000.00 3.00" in shown
    assert "Rosa" not in shown


def test_plausibility_takes_the_cooperatives_tolerance_and_flags_families_without_any_yield_estimate(
    coop, story, season
):
    assert plausibility.families_over_yield(coop, season, tolerance_pct=200) == []
    coop.plausibility_tolerance_pct = D("100")
    coop.save(update_fields=["plausibility_tolerance_pct"])
    assert plausibility.flagged_counts([coop.pk], season) == {coop.pk: 1}
    Plot.objects.filter(code="P-JUAN").update(estimated_yield_kg_ha=None)

    flags = plausibility.families_over_yield(coop, season, tolerance_pct=200)

    assert [(f.name, f.plausible_kg, f.ratio) for f in flags] == [("Juan Tapullima", D("0.00"), None)]


def test_the_manager_reads_the_figures_on_the_page(client, manager, coop, story, season):
    response = open_dashboard(client, manager, coop, season=season)

    assert "3 active families" in text_of(response, "card-members")
    assert "3.5 hectares" in text_of(response, "card-hectares")
    assert "Active families 3 led by a woman 2 (67 %) led by a man 1 led by someone under 30 1 (33 %)" in text_of(
        response, "members"
    )
    assert "Total 3.50 ha Certified (organic, with a certificate in force) 1.50 ha In conversion 2.00 ha" in text_of(
        response, "hectares"
    )
    assert f"{season} 4 3,500.00 S/ 35,900.00 S/ 10.26 7.8 %" in text_of(response, "season-table")
    assert "Cioccolato Srl Italy 1 2 10,000 US$ 80,000.00" in text_of(response, "shipments")
    assert "CU-1" in text_of(response, "certificates")
    # Last season had no inspection campaign: nobody's inspection counted then.
    assert text_of(response, "inspections") == (
        f"Internal inspections in {season} 0 of 3 active families inspected 0.0 % "
        f"3 families were not inspected in {season}."
    )
    assert "1 of 2 plots mapped and assessed as not deforested after 31/12/2020 50.0 %" in text_of(response, "eudr")


def test_the_page_shows_figures_in_peruvian_format(client, manager, coop, story, season):
    text = open_dashboard(client, manager, coop, language="es", season=season).text

    assert "S/ 35,900.00" in text
    assert "3,500.00" in text


def test_a_season_that_is_not_a_year_shows_this_season(client, manager, coop, today):
    for bad in ("next", "99999", "1850", "-1"):
        response = open_dashboard(client, manager, coop, season=bad)

        assert response.status_code == 200
        assert response.context["figures"]["season"] == today.year


def test_the_charts_read_the_figures_embedded_in_the_page(client, manager, coop, story, season):
    response = open_dashboard(client, manager, coop, season=season)

    embedded = response.text.split('<script id="dashboard-data" type="application/json">')[1].split("</script>")[0]
    data = orjson.loads(embedded)
    assert data["seasons"] == [season - 1, season]
    assert data["kg"][-1][2:4] == [1300.0, 2200.0]
    assert "/static/vendor/chart.js/chart.umd.min.js" in response.text
    assert "/static/overview/dashboard.js" in response.text


def test_an_empty_cooperative_has_a_dashboard_of_zeros(client, manager, coop):
    response = open_dashboard(client, manager, coop)
    figures = response.context["figures"]

    assert response.status_code == 200
    assert figures["members"]["active"] == 0
    assert figures["plots"]["hectares"] == 0
    assert figures["plots"]["eudr_ready_pct"] is None
    assert figures["plausibility"] == []


# What it costs


def grow(cooperative, families, season):
    """`families` more families, each with a plot, a purchase a month and a cut test."""
    centre = factories.CollectionCentreFactory(cooperative=cooperative)
    for _ in range(families):
        family = factories.ProducerFactory(cooperative=cooperative)
        factories.PlotFactory(producer=family)
        for month in (2, 5, 8):
            delivery = factories.DeliveryFactory(
                producer=family, collection_centre=centre, date=datetime.date(season, month, 3)
            )
            factories.QualityAnalysisFactory(delivery=delivery, date=delivery.date)
        factories.InspectionFactory(producer=family, inspector=factories.UserFactory())
    factories.CertificateFactory(
        cooperative=cooperative, valid_from=years_ago(1), valid_to=timezone.localdate() + datetime.timedelta(days=10)
    )


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_a_small_and_a_large_cooperative(
    client, manager, coop, story, season, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse("dashboard", args=[coop.code]) + f"?season={season}"
    small = queries_of(client, url)

    grow(coop, 25, season)

    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.context["figures"]["members"]["active"] == 28
    # 17 before the ICS figures came from certifications.selectors.campaign_progress (as the campaign
    # page's, the API's and the admin's do): one query finds the year's campaign, three count its progress.
    assert small <= 21


# The map's plots


def test_the_map_reads_the_member_families_plots_as_geojson(client, manager, coop, other_coop, story):
    factories.PlotFactory(producer__cooperative=other_coop, code="P-NEIGHBOUR")
    client.force_login(manager)

    response = client.get(reverse("dashboard_plots", args=[coop.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = orjson.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["code"]: f for f in collection["features"]}
    assert sorted(features) == ["P-JUAN", "P-ROSA"]
    assert features["P-ROSA"]["geometry"]["type"] == "Polygon"
    assert (features["P-ROSA"]["properties"]["certification"], features["P-ROSA"]["properties"]["eudr"]) == (
        "certified",
        "ready",
    )
    assert (features["P-JUAN"]["properties"]["certification"], features["P-JUAN"]["properties"]["eudr"]) == (
        "in_conversion",
        "not_assessed",
    )


def test_the_map_of_another_cooperative_is_not_found(client, manager, other_coop):
    factories.PlotFactory(producer__cooperative=other_coop)
    client.force_login(manager)

    assert client.get(reverse("dashboard_plots", args=[other_coop.code])).status_code == 404


def test_the_map_is_closed_to_strangers_and_partners(client, coop, partner):
    url = reverse("dashboard_plots", args=[coop.code])

    assert client.get(url).status_code == 302
    client.force_login(partner)
    assert client.get(url).status_code == 403


def test_the_map_costs_the_same_queries_for_few_and_many_plots(client, manager, coop, story, season):
    client.force_login(manager)
    url = reverse("dashboard_plots", args=[coop.code])
    few = queries_of(client, url)

    grow(coop, 10, season)

    assert queries_of(client, url) == few
    assert len(orjson.loads(client.get(url).content)["features"]) == 12


def test_field_officers_and_auditors_read_the_map(client, coop, field_officer, auditor, story):
    for person in (field_officer, auditor):
        client.force_login(person)

        assert client.get(reverse("dashboard_plots", args=[coop.code])).status_code == 200


def test_a_withdrawn_familys_plot_is_not_on_the_map(client, manager, coop, story):
    client.force_login(manager)

    collection = orjson.loads(client.get(reverse("dashboard_plots", args=[coop.code])).content)

    assert "P-GONE" not in [feature["properties"]["code"] for feature in collection["features"]]
    assert Plot.objects.filter(code="P-GONE", cooperative=coop).exists() is True


def test_a_long_list_of_flags_shows_the_largest_excesses_and_counts_the_rest(
    client, manager, coop, story, season, monkeypatch
):
    monkeypatch.setattr(views, "PLAUSIBILITY_SHOWN", 0)

    response = open_dashboard(client, manager, coop, season=season)

    assert response.context["plausibility_shown"] == []
    assert "And 1 more family over its plausible yield" in response.text
    assert len(response.context["figures"]["plausibility"]) == 1


def test_a_season_of_wet_cocoa_only_has_purchases_but_no_moisture(client, manager, coop, season):
    factories.DeliveryFactory(
        producer__cooperative=coop, date=datetime.date(season, 5, 2), state="wet", net_kg=D("270"), moisture_pct=None
    )

    response = open_dashboard(client, manager, coop, season=season)

    last = response.context["figures"]["season_totals"][-1]
    assert response.status_code == 200
    assert (last["deliveries"], last["kg"]) == (1, D("100.00"))
    assert (last["moisture_measured"], last["moisture_avg"]) == (0, None)
