"""The ICS through /api/v1/: the same services and selectors as the pages and the admin."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from certifications import selectors
from certifications.models import CampaignAssignment, ExternalSample, Sanction, Standard
from certifications.services import approval_decide
from producers.models import Producer
from tests.factories import (
    CampaignAssignmentFactory,
    CertificateFactory,
    CoveredProducerFactory,
    ExternalSampleFactory,
    InspectionCampaignFactory,
    InspectionFactory,
    ProducerFactory,
    SanctionFactory,
    SanctionTypeFactory,
    UserFactory,
)
from tests.html import text_of

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user)
    return client


def organic():
    return Standard.objects.get(code="eu-organic")


def test_an_assignment_of_an_inspector_to_his_own_family_is_refused(coop, field_officer):
    campaign = InspectionCampaignFactory(cooperative=coop)
    own = ProducerFactory(cooperative=coop, user=field_officer)

    response = api(field_officer).post(
        reverse("api:campaign-assignment-list"),
        {"campaign": campaign.pk, "producer": own.pk, "inspector": field_officer.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "own_family",
            "detail": f"An inspector cannot inspect his or her own family: {own}.",
            "attr": "inspector",
        }
    ]
    assert CampaignAssignment.objects.count() == 0


def test_assigning_a_family_again_through_the_api_gives_it_to_the_new_inspector(coop, manager, field_officer):
    campaign = InspectionCampaignFactory(cooperative=coop)
    family = ProducerFactory(cooperative=coop)
    client = api(manager)
    body = {"campaign": campaign.pk, "producer": family.pk, "inspector": manager.pk}

    first = client.post(reverse("api:campaign-assignment-list"), body, format="json")
    again = client.post(reverse("api:campaign-assignment-list"), {**body, "inspector": field_officer.pk}, format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assignment = CampaignAssignment.objects.get()
    assert (again.json()["id"], assignment.inspector, assignment.cooperative) == (assignment.pk, field_officer, coop)


def test_an_assignment_changes_hands_through_the_api_but_stays_about_its_family(coop, manager, field_officer):
    assignment = CampaignAssignmentFactory(campaign=InspectionCampaignFactory(cooperative=coop), inspector=manager)
    url = reverse("api:campaign-assignment-detail", args=[assignment.pk])
    own = ProducerFactory(cooperative=coop, user=field_officer)
    client = api(manager)

    moved = client.patch(url, {"producer": own.pk}, format="json")
    handed = client.patch(url, {"inspector": field_officer.pk}, format="json")

    assert moved.status_code == 400
    assert moved.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "An assignment stays about its campaign and family: post a new assignment instead.",
            "attr": "producer",
        }
    ]
    assert handed.status_code == 200, handed.json()
    assignment.refresh_from_db()
    assert assignment.inspector == field_officer


def test_the_api_the_page_and_the_admin_agree_on_a_campaigns_progress(client, coop, manager, superuser):
    campaign = InspectionCampaignFactory(
        cooperative=coop, year=2026, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31)
    )
    for day in (datetime.date(2026, 4, 1), datetime.date(2025, 4, 1), None):
        family = ProducerFactory(cooperative=coop)
        if day:
            InspectionFactory(producer=family, standard=organic(), date=day)
    figures = selectors.campaign_progress(campaign)
    wanted = {name: figures[name] for name in ("done", "pending", "overdue", "due", "assigned")}

    answer = api(manager).get(reverse("api:inspection-campaign-progress", args=[campaign.pk])).json()
    client.force_login(manager)
    page = client.get(reverse("campaign_detail", args=[coop.code, campaign.pk]))
    client.force_login(superuser)
    admin = client.get(
        reverse("admin:certifications_inspectioncampaign_change", args=[campaign.pk]), headers={"Accept-Language": "en"}
    )

    assert {name: answer[name] for name in wanted} == wanted
    assert {name: int(text_of(page, f"count-{name}")) for name in wanted} == wanted
    assert wanted["done"] == 1
    expected = "{done} done, {pending} pending, {overdue} overdue; {due} due, {assigned} assigned".format(**wanted)
    assert expected in admin.content.decode()


def test_a_sanction_posted_through_the_api_has_its_effect_and_is_never_changed(coop, manager):
    family = ProducerFactory(cooperative=coop)
    suspension = SanctionTypeFactory(cooperative=coop, kind="suspension")
    client = api(manager)

    response = client.post(
        reverse("api:sanction-list"),
        {"sanction_type": suspension.pk, "producer": family.pk, "starts_on": "2026-06-01", "reason": "Cacao ajeno"},
        format="json",
    )
    family.refresh_from_db()
    sanction = Sanction.objects.get()

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["imposed_by"]) == ("suspension", manager.pk)
    assert family.status == Producer.Status.SUSPENDED
    patch = client.patch(reverse("api:sanction-detail", args=[sanction.pk]), {"reason": "x"}, format="json")
    assert patch.status_code == 405


def test_a_plot_exclusion_without_a_plot_is_refused_by_the_api(coop, manager):
    family = ProducerFactory(cooperative=coop)
    exclusion = SanctionTypeFactory(cooperative=coop, kind="plot_exclusion")
    response = api(manager).post(
        reverse("api:sanction-list"),
        {"sanction_type": exclusion.pk, "producer": family.pk, "starts_on": "2026-06-01", "reason": "Urea"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "detail": "Choose the plot to exclude.", "attr": "plot"}]
    assert Sanction.objects.count() == 0


def test_a_sample_drawn_through_the_api_is_the_seeds(coop, manager):
    certificate = CertificateFactory(cooperative=coop, standard=organic())
    for _ in range(25):
        CoveredProducerFactory(certificate=certificate, producer=ProducerFactory(cooperative=coop))
    ProducerFactory.create_batch(3, cooperative=coop)  # under no certificate: not in the population
    client = api(manager)
    body = {"cooperative": coop.pk, "standard": "eu-organic", "year": 2026, "seed": 99, "reason": "Visita anual"}

    first = client.post(reverse("api:external-sample-list"), body, format="json")
    again = client.post(reverse("api:external-sample-list"), body, format="json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["members"] == again.json()["members"]
    assert (len(first.json()["members"]), first.json()["population"]) == (10, 25)
    assert sum(member["unannounced"] for member in first.json()["members"]) == 1
    assert ExternalSample.objects.count() == 2


def test_the_approved_member_list_through_the_api(coop, partner):
    approved = ProducerFactory(cooperative=coop, last_name="Sangama")
    approval_decide(producer=approved, standard=organic(), year=2026, decision="approved")
    ProducerFactory(cooperative=coop)

    response = api(partner).get(
        reverse("api:approval-decision-approved-member-list"), {"standard": "eu-organic", "year": 2026}
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert response.status_code == 200
    assert [row[1] for row in rows[6:]] == [f"Sangama, {approved.first_name}"]
    assert "DNI" not in rows[5]  # a partner never sees the members' DNIs


def test_another_cooperatives_campaign_is_not_found_through_the_api(other_coop, manager):
    foreign = InspectionCampaignFactory(cooperative=other_coop)
    assert api(manager).get(reverse("api:inspection-campaign-progress", args=[foreign.pk])).status_code == 404


@pytest.mark.parametrize("resource", ["inspection-campaign", "campaign-assignment", "sanction", "external-sample"])
def test_a_list_costs_the_same_queries_whatever_its_length(coop, manager, resource, django_assert_max_num_queries):
    inspector = UserFactory()
    for year in range(2020, 2026):
        campaign = InspectionCampaignFactory(
            cooperative=coop, year=year, starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 10, 31)
        )
        CampaignAssignmentFactory(campaign=campaign, inspector=inspector)
        SanctionFactory(sanction_type__cooperative=coop)
        ExternalSampleFactory(cooperative=coop)
    with django_assert_max_num_queries(8):
        response = api(manager).get(reverse(f"api:{resource}-list"))
    assert (response.status_code, response.json()["count"]) == (200, 6)


def test_the_admin_downloads_the_approved_member_list_of_the_decisions_chosen(client, coop, superuser):
    approved = ProducerFactory(cooperative=coop, last_name="Sangama")
    decision = approval_decide(producer=approved, standard=organic(), year=2026, decision="approved")
    earlier = approval_decide(producer=approved, standard=organic(), year=2025, decision="approved")
    client.force_login(superuser)
    changelist = reverse("admin:certifications_approvaldecision_changelist")

    def run(action, *decisions):
        data = {"action": action, "_selected_action": [d.pk for d in decisions]}
        return client.post(changelist, data, headers={"Accept-Language": "en"})

    xlsx = run("approved_member_list_xlsx", decision)
    pdf = run("approved_member_list_pdf", decision)
    mixed = run("approved_member_list_xlsx", decision, earlier)

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[6:]] == [f"Sangama, {approved.first_name}"]
    assert xlsx["Content-Disposition"] == f'attachment; filename="aprobados-{coop.code}-eu-organic-2026.xlsx"'
    assert (pdf["Content-Type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="aprobados-{coop.code}-eu-organic-2026.pdf"'
    assert mixed.status_code == 302
    assert "Choose the decisions of one cooperative, standard and year." in client.get(changelist).content.decode()
