"""A non-conformity's deadline comes after the inspection that found it, on every face: the model,
the inspection page, the admin and the API all refuse an earlier one beside the deadline."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from certifications.checklists import CHECKLISTS, YES_NO
from certifications.models import Inspection, NonConformity, Standard
from tests import factories

pytestmark = pytest.mark.django_db

FOUND_ON = datetime.date(2026, 5, 10)
MESSAGE = "The deadline cannot be before the inspection that found the non-conformity (10/05/2026)."


def api(user):
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user)
    return client


@pytest.fixture
def inspection(coop):
    return factories.InspectionFactory(producer=factories.ProducerFactory(cooperative=coop), date=FOUND_ON)


def test_the_model_refuses_a_deadline_before_the_inspection(inspection):
    non_conformity = NonConformity(
        inspection=inspection,
        cooperative=inspection.cooperative,
        description="Sin barrera viva.",
        deadline=datetime.date(2026, 5, 9),
    )

    with pytest.raises(ValidationError) as refused:
        non_conformity.full_clean()

    assert refused.value.message_dict == {"deadline": [MESSAGE]}


@pytest.mark.parametrize("deadline", [FOUND_ON, datetime.date(2026, 8, 1), None])
def test_a_deadline_on_or_after_the_inspection_or_none_is_accepted(inspection, deadline):
    NonConformity(
        inspection=inspection, cooperative=inspection.cooperative, description="Sin barrera viva.", deadline=deadline
    ).full_clean()


def test_the_inspection_page_refuses_it_beside_the_deadline(client, coop, field_officer):
    family = factories.ProducerFactory(cooperative=coop)
    data = {
        "date": "2026-11-20",
        "standard": str(Standard.objects.get(code="eu-organic").pk),
        "findings": "Parcela vecina sin barrera viva.",
        "decision": "conditional",
        "non_conformities-TOTAL_FORMS": "1",
        "non_conformities-INITIAL_FORMS": "0",
        "non_conformities-MIN_NUM_FORMS": "0",
        "non_conformities-MAX_NUM_FORMS": "1000",
        "non_conformities-0-description": "Falta barrera viva con la parcela vecina.",
        "non_conformities-0-severity": "major",
        "non_conformities-0-corrective_action": "Sembrar una barrera de guaba.",
        "non_conformities-0-deadline": "2026-11-19",
        "checklist-buffer_zone": "no",
        "checklist-buffer_width_m": "2.5",
        **{
            f"checklist-{q.key}": "yes" for q in CHECKLISTS["eu-organic"] if q.kind == YES_NO and q.key != "buffer_zone"
        },
    }
    client.force_login(field_officer)

    response = client.post(reverse("inspection_create", args=[coop.code, family.pk]), data)

    assert response.status_code == 200
    assert response.context["non_conformities"].forms[0].errors == {
        "deadline": ["The deadline cannot be before the inspection that found the non-conformity (20/11/2026)."]
    }
    assert Inspection.objects.exists() is False


def test_the_admin_refuses_it_beside_the_deadline(client, manager, inspection):
    non_conformity = factories.NonConformityFactory(inspection=inspection, deadline=datetime.date(2026, 8, 1))
    client.force_login(manager)

    response = client.post(
        reverse("admin:certifications_nonconformity_change", args=[non_conformity.pk]),
        {
            "inspection": inspection.pk,
            "description": non_conformity.description,
            "severity": "minor",
            "corrective_action": "",
            "deadline": "2026-05-01",
            "closed_on": "",
            "closing_evidence": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"deadline": [MESSAGE]}
    non_conformity.refresh_from_db()
    assert non_conformity.deadline == datetime.date(2026, 8, 1)


def test_the_api_refuses_it_beside_the_rows_deadline(field_officer, inspection):
    row = {"description": "Sin barrera viva.", "severity": "minor", "deadline": "2026-04-30"}

    response = api(field_officer).patch(
        reverse("api:inspection-detail", args=[inspection.pk]), {"non_conformities": [row]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "deadline_before_inspection", "detail": MESSAGE, "attr": "non_conformities.0.deadline"}
    ]
    assert NonConformity.objects.exists() is False


def test_moving_the_inspection_later_in_the_api_checks_the_rows_sent_with_it(field_officer, inspection):
    row = {"description": "Sin barrera viva.", "severity": "minor", "deadline": "2026-06-01"}

    response = api(field_officer).patch(
        reverse("api:inspection-detail", args=[inspection.pk]),
        {"date": "2026-07-01", "non_conformities": [row]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "non_conformities.0.deadline"
    inspection.refresh_from_db()
    assert inspection.date == FOUND_ON
