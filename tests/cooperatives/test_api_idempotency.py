"""Two POSTs with one Idempotency-Key at the same moment, each on its own thread and database connection.

The second waits for the first and replays its answer (cooperatives.api.viewsets); if the first is
still at work after IDEMPOTENCY_WAIT seconds, the second answers 409 with Retry-After.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client

from cooperatives.api import viewsets
from cooperatives.services import partner_key_issue
from producers.api.serializers import ProducerSerializer
from producers.api.views import ProducerViewSet
from producers.models import Producer
from tests import factories
from tests.factories import CHAZUTA

LIST = "/api/v1/producers/"

# The first request holds its transaction open a moment after creating; the second starts inside it.
pytestmark = [
    pytest.mark.postgresql,  # needs concurrent transactions (PostgreSQL)
    # Committed transactions; the migrations' rows (districts, roles, prices) come back after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def new_family(coop):
    return {
        "cooperative": coop.pk,
        "code": "S-0900",
        "first_name": "Julia",
        "last_name": "Sangama Amasifuén",
        "dni": "40000123",
        "sex": "F",
        "district": CHAZUTA,
    }


@pytest.fixture
def race(monkeypatch):
    """Runs the same POST on two threads: "second" starts once "first" has created its family and is
    holding its transaction open for `hold` seconds; the second, were it to check the family before
    the first's answer is kept, does so only after the first has finished."""
    coop = factories.CooperativeFactory()
    _row, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")
    first_inside, first_done = threading.Event(), threading.Event()
    perform_create, validate = ProducerViewSet.perform_create, ProducerSerializer.validate

    def run(hold):
        def slow_perform_create(self, serializer):
            perform_create(self, serializer)
            if threading.current_thread().name == "first":
                first_inside.set()
                time.sleep(hold)

        def late_validate(self, attrs):
            if threading.current_thread().name == "second":
                first_done.wait(timeout=30)
            return validate(self, attrs)

        monkeypatch.setattr(ProducerViewSet, "perform_create", slow_perform_create)
        monkeypatch.setattr(ProducerSerializer, "validate", late_validate)
        answers = {}

        def post(name):
            try:
                if name == "second":
                    first_inside.wait(timeout=30)
                client = Client(headers={"Accept-Language": "en", "Authorization": f"Api-Key {key}"})
                answers[name] = client.post(
                    LIST, new_family(coop), content_type="application/json", headers={"Idempotency-Key": "enrol-1"}
                )
            finally:
                if name == "first":
                    first_done.set()
                connections.close_all()

        threads = [threading.Thread(target=post, args=(name,), name=name) for name in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers["first"], answers["second"], coop, key

    return run


def test_a_second_post_with_the_key_waits_for_the_first_and_replays_its_answer(race):
    first, second, coop, _key = race(hold=0.5)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Producer.objects.filter(cooperative=coop).count() == 1


def test_a_second_post_answers_409_while_the_first_is_still_at_work_and_replays_it_afterwards(race, monkeypatch):
    monkeypatch.setattr(viewsets, "IDEMPOTENCY_WAIT", 0.3)

    first, second, coop, key = race(hold=2)

    assert (first.status_code, second.status_code) == (201, 409)
    assert second.headers["Retry-After"] == "1"
    assert second.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "idempotency_key_in_progress",
                "detail": "A request with this Idempotency-Key is still being carried out: repeat it in a moment "
                "to receive its answer.",
                "attr": None,
            }
        ],
    }
    again = Client(headers={"Accept-Language": "en", "Authorization": f"Api-Key {key}"}).post(
        LIST, new_family(coop), content_type="application/json", headers={"Idempotency-Key": "enrol-1"}
    )
    assert (again.status_code, again.json()) == (201, first.json())
    assert Producer.objects.filter(cooperative=coop).count() == 1
