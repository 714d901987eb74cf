"""Dates a record cannot have (9999-12-31, 1066-10-14) are refused by the model, with a message beside the field.

The rule lives on the model fields (cooperatives.validators.DateWithin), so the admin, the pages
and the API refuse alike: a record of something done (an inspection, a family's entry, a decision,
a contract's signature, an assembly) is not after today in Lima; a plan (a certificate's validity,
a campaign, a sanction, a shipment) is not far ahead; nothing is before 1900.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from certifications.models import ApprovalDecision, Certificate, Inspection, InspectionCampaign, Sanction
from exports.models import Contract, Lot, Shipment
from fairtrade.models import GeneralAssembly
from producers.models import Producer
from tests import factories
from tests.factories import CHAZUTA

FUTURE = "The date cannot be in the future."
TOO_EARLY = "Enter a date from 1900 on."

# (model, field, the first day refused after today, its message)
BOUNDS = [
    (Producer, "entry_date", 1, FUTURE),
    (Inspection, "date", 1, FUTURE),
    (ApprovalDecision, "decided_on", 1, FUTURE),
    (Contract, "signed_on", 1, FUTURE),
    (Lot, "production_start", 1, FUTURE),
    (Lot, "production_end", 1, FUTURE),
    (GeneralAssembly, "date", 1, FUTURE),
    (Certificate, "valid_from", 1, "Enter a date at most 1 year from today."),
    (Certificate, "valid_to", 6, "Enter a date at most 6 years from today."),
    (Sanction, "starts_on", 1, "Enter a date at most 1 year from today."),
    (InspectionCampaign, "starts_on", 2, "Enter a date at most 2 years from today."),
    (InspectionCampaign, "ends_on", 2, "Enter a date at most 2 years from today."),
    (Contract, "delivery_from", 5, "Enter a date at most 5 years from today."),
    (Contract, "delivery_to", 5, "Enter a date at most 5 years from today."),
    (Shipment, "departure_date", 5, "Enter a date at most 5 years from today."),
]
IDS = [f"{model.__name__}.{field}" for model, field, *_ in BOUNDS]
LIMA_TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _today_in_lima(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: LIMA_TODAY)


def field_errors(model, field, value):
    row = model(**{field: value})
    others = [f.name for f in model._meta.fields if f.name != field]
    try:
        row.clean_fields(exclude=others)
    except ValidationError as error:
        return error.message_dict.get(field, [])
    return []


def years_on(years, days=0):
    return LIMA_TODAY.replace(year=LIMA_TODAY.year + years) + datetime.timedelta(days=days)


@pytest.mark.parametrize(("model", "field", "years", "message"), BOUNDS, ids=IDS)
def test_a_date_too_far_ahead_is_refused_and_the_last_good_one_kept(model, field, years, message):
    last_good = LIMA_TODAY if message == FUTURE else years_on(years)

    assert field_errors(model, field, datetime.date(9999, 12, 31)) == [message]
    assert field_errors(model, field, last_good + datetime.timedelta(days=1)) == [message]
    assert field_errors(model, field, last_good) == []
    assert field_errors(model, field, datetime.date(1899, 12, 31)) == [TOO_EARLY]
    assert field_errors(model, field, datetime.date(1900, 1, 1)) == []


@pytest.mark.django_db
def test_a_certificate_runs_five_years_at_most(coop):
    certificate = factories.CertificateFactory.build(
        cooperative=coop, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2031, 1, 2)
    )

    with pytest.raises(ValidationError) as refused:
        certificate.clean()

    assert refused.value.message_dict == {"valid_to": ["A certificate is valid for 5 years at most."]}
    certificate.valid_to = datetime.date(2031, 1, 1)
    certificate.clean()


@pytest.mark.django_db
def test_a_family_cannot_enter_before_its_cooperative_was_founded(coop):
    coop.founded = datetime.date(2004, 8, 12)
    family = factories.ProducerFactory.build(cooperative=coop, entry_date=datetime.date(2004, 8, 11))

    with pytest.raises(ValidationError) as refused:
        family.clean()

    assert refused.value.message_dict == {
        "entry_date": ["The entry date cannot be before the cooperative was founded (12/08/2004)."]
    }
    family.entry_date = coop.founded
    family.clean()


@pytest.mark.django_db
def test_an_approval_for_year_9999_is_refused(coop):
    decision = factories.ApprovalDecisionFactory.build(
        producer=factories.ProducerFactory(cooperative=coop), cooperative=coop, year=9999
    )

    with pytest.raises(ValidationError) as refused:
        decision.clean()

    assert refused.value.message_dict == {"year": ["Enter a year from 1900 to 2027."]}


@pytest.mark.django_db
def test_the_api_refuses_a_family_entering_on_9999_12_31_beside_the_field(coop, field_officer):
    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(field_officer)
    body = {
        "cooperative": coop.pk,
        "code": "S-0900",
        "first_name": "Julia",
        "last_name": "Sangama Amasifuén",
        "dni": "40000123",
        "sex": "F",
        "district": CHAZUTA,
        "entry_date": "9999-12-31",
    }

    response = client.post("/api/v1/producers/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "date_in_future", "detail": FUTURE, "attr": "entry_date"}],
    }
    assert Producer.objects.filter(cooperative=coop).exists() is False


@pytest.mark.django_db
def test_the_admin_refuses_an_inspection_dated_9999_12_31_beside_the_field(client, coop, manager):
    family = factories.ProducerFactory(cooperative=coop)
    client.force_login(manager)

    response = client.post(
        reverse("admin:certifications_inspection_add"),
        {"cooperative": coop.pk, "producer": family.pk, "inspector": manager.pk, "date": "31/12/9999"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("date") == [FUTURE]
