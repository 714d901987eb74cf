import datetime

import pytest
from django.core.exceptions import ValidationError

from producers.models import Producer, ProducerStatusChange
from producers.services import producer_change_status
from tests.factories import ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_suspending_a_member_keeps_who_when_and_why():
    officer = UserFactory()
    producer = ProducerFactory(status=Producer.Status.ACTIVE)

    change = producer_change_status(
        producer=producer,
        to_status=Producer.Status.SUSPENDED,
        effective_date=datetime.date(2026, 4, 1),
        reason="Uso de herbicida en parcela certificada",
        changed_by=officer,
    )

    producer.refresh_from_db()
    assert producer.status == Producer.Status.SUSPENDED
    assert change.from_status == Producer.Status.ACTIVE
    assert change.to_status == Producer.Status.SUSPENDED
    assert change.changed_by == officer
    assert change.cooperative_id == producer.cooperative_id
    assert list(producer.status_changes.values_list("to_status", flat=True)) == ["suspended"]


def test_an_applicant_cannot_be_suspended_before_being_admitted():
    producer = ProducerFactory(status=Producer.Status.APPLICANT)

    with pytest.raises(ValidationError) as error:
        producer_change_status(producer=producer, to_status=Producer.Status.SUSPENDED)

    assert error.value.message_dict["status"] == ["A family cannot go from applicant to suspended."]
    producer.refresh_from_db()
    assert producer.status == Producer.Status.APPLICANT
    assert ProducerStatusChange.objects.count() == 0


def test_setting_the_same_status_again_is_refused():
    producer = ProducerFactory(status=Producer.Status.ACTIVE)

    with pytest.raises(ValidationError) as error:
        producer_change_status(producer=producer, to_status=Producer.Status.ACTIVE)

    assert error.value.message_dict["status"] == ["The family already has this status."]


def test_a_withdrawn_family_may_apply_again():
    producer = ProducerFactory(status=Producer.Status.WITHDRAWN)

    producer_change_status(producer=producer, to_status=Producer.Status.APPLICANT)

    producer.refresh_from_db()
    assert producer.status == Producer.Status.APPLICANT
