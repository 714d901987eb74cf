"""The ICS campaigns on every face: the dashboard, the overview, the campaign page, the API and the admin
show the same done, pending and overdue figures, all of certifications.selectors.campaign_progress.

One cooperative on 15 November 2026 with two campaigns that year: the organic one runs until
15 December, the Fairtrade one ended on 31 October. Rosa was inspected (for no standard in
particular: both campaigns count it), Juan for organic only, Edith not at all; a withdrawn family's
inspection is counted by the campaigns but not among the active families.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certifications import selectors
from certifications.models import Standard
from cooperatives import roles
from overview import dashboard
from producers.models import Producer
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 15)
FIGURES = ("done", "pending", "overdue", "due", "assigned")


@pytest.fixture(autouse=True)
def _on_the_day(monkeypatch):
    """Every face reads the day from timezone.localdate(): pending and overdue depend on it."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DAY)


@pytest.fixture
def campaigns(coop):
    organic, fairtrade = Standard.objects.get(code="eu-organic"), Standard.objects.get(code="fairtrade")
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa")
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan")
    edith = factories.ProducerFactory(cooperative=coop, first_name="Edith")
    withdrawn = factories.ProducerFactory(cooperative=coop, status=Producer.Status.WITHDRAWN)
    factories.ProducerFactory(cooperative=coop, status=Producer.Status.APPLICANT)
    campaigns = {
        "eu-organic": factories.InspectionCampaignFactory(
            cooperative=coop, standard=organic, year=2026,
            starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 12, 15),
        ),
        "fairtrade": factories.InspectionCampaignFactory(
            cooperative=coop, standard=fairtrade, year=2026,
            starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31),
        ),
    }  # fmt: skip
    factories.CampaignAssignmentFactory(campaign=campaigns["eu-organic"], producer=edith)
    factories.InspectionFactory(producer=rosa, date=datetime.date(2026, 5, 10))
    factories.InspectionFactory(producer=juan, standard=organic, date=datetime.date(2026, 6, 1))
    factories.InspectionFactory(producer=withdrawn, date=datetime.date(2026, 4, 2))
    return campaigns


def figures_of(progress):
    return {name: progress[name] for name in FIGURES}


def test_the_campaigns_stand_where_the_story_says(campaigns):
    organic = selectors.campaign_progress(campaigns["eu-organic"])
    fairtrade = selectors.campaign_progress(campaigns["fairtrade"])

    assert figures_of(organic) == {"done": 3, "pending": 1, "overdue": 0, "due": 1, "assigned": 1}
    assert figures_of(fairtrade) == {"done": 2, "pending": 0, "overdue": 2, "due": 2, "assigned": 0}


def test_the_dashboard_the_campaign_page_the_api_and_the_admin_agree_on_each_campaign(
    client, coop, manager, superuser, campaigns
):
    client.force_login(manager)
    shown = client.get(reverse("dashboard", args=[coop.code])).context["figures"]["inspections"]["campaigns"]
    api = APIClient(headers={"Accept-Language": "en"})
    api.force_authenticate(manager)

    assert [campaign["standard"] for campaign in shown] == ["eu-organic", "fairtrade"]
    for on_the_dashboard in shown:
        campaign = campaigns[on_the_dashboard["standard"]]
        wanted = figures_of(selectors.campaign_progress(campaign))
        client.force_login(manager)
        page = client.get(reverse("campaign_detail", args=[coop.code, campaign.pk]))
        answer = api.get(reverse("api:inspection-campaign-progress", args=[campaign.pk])).json()
        client.force_login(superuser)
        admin = client.get(
            reverse("admin:certifications_inspectioncampaign_change", args=[campaign.pk]),
            headers={"Accept-Language": "en"},
        ).content.decode()

        assert on_the_dashboard["id"] == campaign.pk
        assert figures_of(on_the_dashboard) == wanted
        assert {name: int(text_of(page, f"count-{name}")) for name in FIGURES} == wanted
        assert figures_of(answer) == wanted
        assert (
            "{done} done, {pending} pending, {overdue} overdue; {due} due, {assigned} assigned".format(**wanted)
            in admin
        )


def test_the_dashboards_headline_counts_a_family_inspected_once_no_campaign_has_it_due(
    client, coop, manager, campaigns
):
    client.force_login(manager)

    response = client.get(reverse("dashboard", args=[coop.code]))

    # Juan is due in the Fairtrade campaign, Edith in both: only Rosa is done with this year.
    inspections = response.context["figures"]["inspections"]
    assert (inspections["inspected"], inspections["active"], inspections["missing"]) == (1, 3, 2)
    assert inspections["pct"] == Decimal("33.3")
    assert "1 of 3 active families inspected 33.3 %" in text_of(response, "inspections")
    assert "2 families still to inspect this year." in text_of(response, "inspections")


def test_the_overview_shows_the_dashboards_inspection_figures(client, coop, other_coop, campaigns):
    factories.ProducerFactory(cooperative=other_coop)  # active, and no campaign there this year
    client.force_login(factories.staff_for([coop, other_coop], roles.MANAGER))

    response = client.get(reverse("overview"))

    rows = {cooperative.pk: figures for cooperative, figures in response.context["rows"]}
    assert rows[coop.pk]["inspections"] == dashboard.dashboard(coop, DAY)["inspections"]
    assert (rows[other_coop.pk]["inspections"]["inspected"], rows[other_coop.pk]["inspections"]["active"]) == (0, 1)
    # Rosa of the four active families the year's inspections are about.
    assert response.context["totals"]["inspected_pct"] == Decimal("25.0")
