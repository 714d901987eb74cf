"""Requests are throttled per key and for anonymous callers (rates from settings, lowered here)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cooperatives.services import partner_key_issue
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_requests_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    yield
    cache.clear()


def keyed_client(coop):
    _, key = partner_key_issue(name="Buyer", cooperatives=[coop])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_a_key_past_its_rate_is_told_to_wait_and_other_keys_are_not():
    coop = CooperativeFactory()
    busy, calm = keyed_client(coop), keyed_client(coop)

    answers = [busy.get("/api/v1/cooperatives/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert busy.get("/api/v1/cooperatives/")["Retry-After"].isdigit()
    assert calm.get("/api/v1/cooperatives/").status_code == 200


def test_anonymous_callers_are_throttled_too():
    client = APIClient()

    answers = [client.get("/api/v1/schema/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
