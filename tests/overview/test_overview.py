"""Someone who works for several cooperatives reads their headline figures side by side."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certifications.models import Standard
from cooperatives import roles
from cooperatives.models import Membership
from overview import dashboard
from producers.models import Producer
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db

D = Decimal


def fill(cooperative, families, kg_each):
    """`families` active families, each with a plot of 1 ha yielding 800 kg, and one purchase this season.

    The plots are conventional and within a Fairtrade certificate, and the purchases sold as Fairtrade:
    plausibility weighs certified kilograms only.
    """
    today = timezone.localdate()
    centre = factories.CollectionCentreFactory(cooperative=cooperative)
    fairtrade = factories.CertificateFactory(
        cooperative=cooperative, standard=Standard.objects.get(code="fairtrade"),
        valid_from=today.replace(month=1, day=1), valid_to=today + datetime.timedelta(days=200),
    )  # fmt: skip
    for _ in range(families):
        family = factories.ProducerFactory(cooperative=cooperative)
        plot = factories.PlotFactory(
            producer=family, declared_area_ha=D("1.0"), estimated_yield_kg_ha=D("800"), conversion_start=None
        )
        factories.CoveredPlotFactory(certificate=fairtrade, plot=plot)
        delivery = factories.DeliveryFactory(
            producer=family, collection_centre=centre, date=today.replace(month=1, day=1), net_kg=kg_each,
            price_pen_per_kg=D("10.00"),
        )  # fmt: skip
        delivery.certified_standards.add(fairtrade.standard)


@pytest.fixture
def federation(coop, other_coop):
    """A manager of both cooperatives."""
    return factories.staff_for([coop, other_coop], roles.MANAGER)


@pytest.fixture
def figures(coop, other_coop):
    # Allima: two families within their yield; the neighbour: one family buying twice its plot's 800 kg.
    fill(coop, 2, D("300"))
    fill(other_coop, 1, D("1600"))
    Producer.objects.filter(cooperative=other_coop).update(sex="M")
    today = timezone.localdate()
    factories.CertificateFactory(
        cooperative=other_coop,
        valid_from=dashboard.years_before(today, 1),
        valid_to=today + datetime.timedelta(days=10),
    )


def open_overview(client, user):
    client.force_login(user)
    return client.get(reverse("overview"), headers={"Accept-Language": "en"})


def rows_by_code(response):
    return {cooperative.code: row for cooperative, row in response.context["rows"]}


def test_a_stranger_is_asked_to_log_in(client):
    response = client.get(reverse("overview"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_partner_has_no_overview(client, partner):
    assert open_overview(client, partner).status_code == 403


@pytest.mark.parametrize("person", ["manager", "field_officer", "auditor"])
def test_staff_of_one_cooperative_see_only_theirs(client, coop, other_coop, person, request):
    response = open_overview(client, request.getfixturevalue(person))

    assert response.status_code == 200
    assert list(rows_by_code(response)) == [coop.code]
    assert reverse("dashboard", args=[other_coop.code]) not in response.text


def test_a_superuser_sees_every_cooperative(client, superuser, coop, other_coop):
    response = open_overview(client, superuser)

    assert response.status_code == 200
    assert set(rows_by_code(response)) == {coop.code, other_coop.code}


def test_each_cooperative_has_its_row_and_a_link_to_its_dashboard(client, federation, coop, other_coop, figures):
    response = open_overview(client, federation)

    rows = rows_by_code(response)
    assert list(rows) == [coop.code, other_coop.code]  # by name: Allima before Cooperativa Vecina
    assert reverse("dashboard", args=[coop.code]) in response.text
    assert reverse("dashboard", args=[other_coop.code]) in response.text


def test_the_figures_are_each_cooperatives_own(client, federation, coop, other_coop, figures):
    rows = rows_by_code(open_overview(client, federation))

    allima, neighbour = rows[coop.code], rows[other_coop.code]
    assert (allima["members"]["active"], allima["members"]["women"]) == (2, 2)
    assert (neighbour["members"]["active"], neighbour["members"]["women"]) == (1, 0)
    assert (allima["plots"]["hectares"], neighbour["plots"]["hectares"]) == (D("2.0"), D("1.0"))
    assert (allima["purchases"]["kg"], allima["purchases"]["pen"]) == (D("600.00"), D("6000.00"))
    assert (neighbour["purchases"]["kg"], neighbour["purchases"]["pen"]) == (D("1600.00"), D("16000.00"))
    assert (allima["plots"]["eudr_ready_pct"], neighbour["plots"]["eudr_ready_pct"]) == (D("100.0"), D("100.0"))
    assert (allima["certificates_expiring"], neighbour["certificates_expiring"]) == (0, 1)
    assert (allima["inspections"]["pct"], allima["inspections"]["inspected"]) == (D("0.0"), 0)


def test_families_over_their_plausible_yield_are_counted_per_cooperative(client, federation, coop, other_coop, figures):
    rows = rows_by_code(open_overview(client, federation))

    assert (rows[coop.code]["plausibility_flags"], rows[other_coop.code]["plausibility_flags"]) == (0, 1)


def test_the_federation_total_adds_the_cooperatives_up(client, federation, figures):
    response = open_overview(client, federation)

    totals = response.context["totals"]
    assert (totals["active"], totals["plots"], totals["hectares"]) == (3, 3, D("3.0"))
    assert (totals["kg"], totals["pen"]) == (D("2200.00"), D("22000.00"))
    assert (totals["plausibility_flags"], totals["certificates_expiring"]) == (1, 1)
    assert "S/ 22,000.00" in response.text


def test_someone_of_no_cooperative_reads_an_empty_overview(client):
    loner = factories.UserFactory()
    loner.groups.add(Group.objects.get(name=roles.FIELD_OFFICER))

    response = open_overview(client, loner)

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "You do not work for any cooperative yet" in response.text


def campaign(cooperative, year, standard="eu-organic"):
    made = factories.InspectionCampaignFactory(
        cooperative=cooperative, year=year, standard=Standard.objects.get(code=standard)
    )
    factories.CampaignAssignmentFactory(
        campaign=made, producer=Producer.objects.filter(cooperative=cooperative).first()
    )
    return made


def test_the_overview_costs_the_same_queries_for_two_or_six_cooperatives(
    client, federation, coop, other_coop, figures, django_assert_max_num_queries
):
    client.force_login(federation)
    this_year = timezone.localdate().year
    for cooperative in (coop, other_coop):
        campaign(cooperative, this_year)
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("overview")).status_code == 200

    more = [factories.CooperativeFactory() for _ in range(4)]
    for cooperative in more:
        fill(cooperative, 3, D("100"))
        factories.staff_for(cooperative)  # someone else's membership changes nothing here
        # Each with this year's campaigns of two standards, one family assigned: no query per campaign.
        campaign(cooperative, this_year)
        campaign(cooperative, this_year, standard="fairtrade")
    Membership.objects.bulk_create([Membership(user=federation, cooperative=c) for c in more])

    with django_assert_max_num_queries(len(two)):
        response = client.get(reverse("overview"))
    assert len(response.context["rows"]) == 6
    # The year's campaigns and their progress (certifications.selectors.campaigns_progress) cost four.
    assert len(two) <= 13


def test_the_table_reads_one_line_per_cooperative_and_the_total(client, federation, coop, other_coop, figures):
    response = open_overview(client, federation)

    table = text_of(response, "overview-table")
    assert "Allima Cacao 2 2 2.0 0.0 0.0 600 S/ 6,000.00 0 % 100 % 0 0" in table
    assert "Cooperativa Vecina 1 0 1.0 0.0 0.0 1,600 S/ 16,000.00 0 % 100 % 1 1" in table
    assert "All 3 2 3.0 0.0 0.0 2,200 S/ 22,000.00 0 % 100 % 1 1" in table
