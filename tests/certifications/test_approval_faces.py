"""The ICS committee's approval decision from each face (page, admin, API), all through approval_decide."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from certifications.models import ApprovalDecision, Inspection, Standard
from certifications.selectors import approved_member_list
from harvests.plausibility import flags_on
from tests.factories import InspectionFactory, ProducerFactory
from tests.html import text_of

pytestmark = pytest.mark.django_db


def organic():
    return Standard.objects.get(code="eu-organic")


def approved(coop, year=2026):
    """{family id: decision} on the approved member list of EU organic for `year`."""
    members = approved_member_list(coop, standard=organic(), year=year, flags=flags_on(coop, timezone.localdate()))
    return {family["id"]: family["approval"]["decision"] for family in members["families"]}


@pytest.fixture
def inspection(coop):
    return InspectionFactory(
        producer=ProducerFactory(cooperative=coop),
        standard=organic(),
        date=datetime.date(2026, 5, 10),
        decision=Inspection.Decision.CONDITIONAL,
    )


def api(user):
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user)
    return client


# The page: the inspection's, for the cooperative's managers.


def decide_url(coop, inspection):
    return reverse("approval_decide", args=[coop.code, inspection.pk])


def test_the_inspection_page_offers_the_inspectors_recommendation_as_the_decision(client, coop, manager, inspection):
    client.force_login(manager)
    response = client.get(reverse("inspection_detail", args=[coop.code, inspection.pk]))
    form = response.context["approval_form"]
    assert (form["decision"].value(), form["year"].value(), form["standard"].value()) == (
        "conditional",
        2026,
        organic().pk,
    )
    assert "The inspector recommended: approved with conditions." in text_of(response, "field-approval_decision")
    assert "No approval decision yet" in text_of(response, "approval")


def test_a_decision_recorded_on_the_inspection_page_puts_the_family_on_the_approved_list(
    client, coop, manager, inspection
):
    client.force_login(manager)
    data = {"standard": organic().pk, "year": 2026, "decision": "approved", "decided_on": "2026-11-15", "reason": ""}

    response = client.post(decide_url(coop, inspection), data)

    assert response.status_code == 302
    assert approved(coop) == {inspection.producer_id: "approved"}
    decision = ApprovalDecision.objects.get()
    assert (decision.inspection, decision.decided_by, decision.cooperative) == (inspection, manager, coop)
    page = client.get(reverse("inspection_detail", args=[coop.code, inspection.pk]))
    assert "EU organic (Reg. 2018/848) 2026: Approved" in text_of(page, "approval")

    rejected = client.post(decide_url(coop, inspection), {**data, "decision": "rejected", "reason": "Acta 12"})
    assert rejected.status_code == 302
    assert (ApprovalDecision.objects.get().decision, approved(coop)) == ("rejected", {})


def test_a_decision_without_a_choice_is_asked_again_and_nothing_is_written(client, coop, manager, inspection):
    client.force_login(manager)
    response = client.post(
        decide_url(coop, inspection), {"standard": organic().pk, "year": 2026, "decision": "", "decided_on": ""}
    )
    assert response.status_code == 400
    assert "This field is required." in text_of(response, "field-approval_decision")
    assert ApprovalDecision.objects.exists() is False


def test_only_a_manager_of_the_cooperative_records_a_decision(client, coop, field_officer, other_manager, inspection):
    data = {"standard": organic().pk, "year": 2026, "decision": "approved", "decided_on": "2026-11-15"}
    client.force_login(field_officer)
    assert client.post(decide_url(coop, inspection), data).status_code == 403
    page = client.get(reverse("inspection_detail", args=[coop.code, inspection.pk]))
    assert f'action="{decide_url(coop, inspection)}"' not in page.content.decode()
    client.force_login(other_manager)
    assert client.post(decide_url(coop, inspection), data).status_code == 404
    assert ApprovalDecision.objects.exists() is False


# The admin.


def admin_add(client, producer, decision):
    return client.post(
        reverse("admin:certifications_approvaldecision_add"),
        {
            "producer": producer.pk,
            "standard": organic().pk,
            "year": 2026,
            "decision": decision,
            "decided_on": "2026-11-15",
            "reason": "Acta del comité",
            "inspection": "",
        },
    )


def test_a_decision_from_the_admin_is_on_the_approved_list_and_a_second_replaces_it(client, coop, manager):
    family = ProducerFactory(cooperative=coop)
    client.force_login(manager)

    first = admin_add(client, family, "approved")
    assert first.status_code == 302
    assert approved(coop) == {family.pk: "approved"}
    second = admin_add(client, family, "conditional")

    assert second.status_code == 302
    decision = ApprovalDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.cooperative) == ("conditional", manager, coop)
    assert approved(coop) == {family.pk: "conditional"}


def test_the_admin_changes_a_decision_but_not_whom_it_is_about(client, coop, manager):
    family = ProducerFactory(cooperative=coop)
    client.force_login(manager)
    admin_add(client, family, "approved")
    decision = ApprovalDecision.objects.get()
    other = ProducerFactory(cooperative=coop)

    response = client.post(
        reverse("admin:certifications_approvaldecision_change", args=[decision.pk]),
        {
            "producer": other.pk,
            "year": 2020,
            "decision": "rejected",
            "decided_on": "2026-12-01",
            "reason": "Reincidencia",
            "inspection": "",
        },
    )

    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.producer, decision.year, decision.decision) == (family, 2026, "rejected")
    assert ApprovalDecision.objects.count() == 1
    assert approved(coop) == {}


# The API.


def api_body(producer, decision):
    return {
        "producer": producer.pk,
        "standard": "eu-organic",
        "year": 2026,
        "decision": decision,
        "decided_on": "2026-11-15",
        "reason": "",
        "inspection": None,
    }


def test_a_decision_from_the_api_is_on_the_approved_list_and_a_second_replaces_the_first(coop, manager):
    family = ProducerFactory(cooperative=coop)
    client = api(manager)

    first = client.post(reverse("api:approval-decision-list"), api_body(family, "approved"), format="json")
    assert first.status_code == 201, first.json()
    assert approved(coop) == {family.pk: "approved"}
    second = client.post(reverse("api:approval-decision-list"), api_body(family, "conditional"), format="json")

    assert second.status_code in (200, 201), second.json()
    decision = ApprovalDecision.objects.get()
    assert second.json()["id"] == first.json()["id"] == decision.pk
    assert (second.json()["decision"], second.json()["decided_by"]) == ("conditional", manager.pk)
    assert approved(coop) == {family.pk: "conditional"}


def test_the_api_changes_a_decision_but_not_whom_it_is_about(coop, manager):
    family = ProducerFactory(cooperative=coop)
    client = api(manager)
    created = client.post(reverse("api:approval-decision-list"), api_body(family, "approved"), format="json").json()
    url = reverse("api:approval-decision-detail", args=[created["id"]])

    moved = client.patch(url, {"year": 2025}, format="json")
    changed = client.patch(url, {"decision": "rejected"}, format="json")

    assert moved.status_code == 400
    assert moved.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "A decision stays about its family, standard and year: post a new decision instead.",
            "attr": "year",
        }
    ]
    assert (changed.status_code, changed.json()["decision"], changed.json()["year"]) == (200, "rejected", 2026)
    assert approved(coop) == {}


def test_the_api_refuses_an_inspection_of_another_family(coop, manager):
    family = ProducerFactory(cooperative=coop)
    elsewhere = InspectionFactory(producer=ProducerFactory(cooperative=coop))

    response = api(manager).post(
        reverse("api:approval-decision-list"),
        {**api_body(family, "approved"), "inspection": elsewhere.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "invalid", "detail": "The inspection must be of the same family.", "attr": "inspection"}
    ]
    assert ApprovalDecision.objects.exists() is False
