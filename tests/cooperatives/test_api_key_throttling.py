"""Guessing API keys: an address that tried too many wrong keys waits; the schema has its own anonymous rate."""

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cooperatives.api.throttling import FailedKeyThrottle, SchemaAnonRateThrottle
from cooperatives.services import partner_key_issue
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
PARTNER = "198.51.100.20"
PROXY = "127.0.0.1"
RATES = {"anon": "100/minute", "user": "100/minute", "failed_key": "3/minute", "schema": "2/minute"}


def throttled(seconds):
    """The API's standard error body for a 429."""
    detail = f"Request was throttled. Expected available in {seconds} seconds."
    return {"type": "client_error", "errors": [{"code": "throttled", "detail": detail, "attr": None}]}


@pytest.fixture(autouse=True)
def low_rates(monkeypatch):
    for throttle in (AnonRateThrottle, UserRateThrottle, FailedKeyThrottle, SchemaAnonRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", RATES)


@pytest.fixture
def key(db):
    return partner_key_issue(name="Buyer", cooperatives=[CooperativeFactory()])[1]


def get(path, key=None, **meta):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en", **meta)


def wrong_keys(times, **meta):
    return [get("/api/v1/cooperatives/", f"AbCdEfGh.wrong-key-{n}", **meta).status_code for n in range(times)]


def test_an_address_past_its_wrong_keys_waits_before_any_key_is_read(key):
    answers = wrong_keys(4, REMOTE_ADDR=ATTACKER)
    right_key_from_there = get("/api/v1/cooperatives/", key, REMOTE_ADDR=ATTACKER)

    assert answers == [401, 401, 401, 429]
    assert right_key_from_there.status_code == 429
    assert int(right_key_from_there["Retry-After"]) in range(55, 61)  # a minute from the first wrong key
    assert right_key_from_there.json() == throttled(right_key_from_there["Retry-After"])


def test_a_valid_key_from_another_address_is_unaffected(key):
    wrong_keys(10, REMOTE_ADDR=ATTACKER)

    response = get("/api/v1/cooperatives/", key, REMOTE_ADDR=PARTNER)

    assert response.status_code == 200


def test_right_keys_count_no_failure(key):
    answers = [get("/api/v1/cooperatives/", key, REMOTE_ADDR=PARTNER).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert wrong_keys(1, REMOTE_ADDR=PARTNER) == [401]


def test_a_forged_forwarded_address_does_not_escape_the_wait():
    answers = [
        get("/api/v1/cooperatives/", f"AbCdEfGh.wrong-{n}", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        for n in range(4)
    ]

    assert [answer.status_code for answer in answers] == [401, 401, 401, 429]


def test_behind_one_proxy_each_client_counts_by_the_address_the_proxy_saw(key):
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        # The attacker writes an address of its own first; the proxy appends the one it saw.
        answers = wrong_keys(4, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{PARTNER}, {ATTACKER}")
        partner = get("/api/v1/cooperatives/", key, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=PARTNER)

    assert answers == [401, 401, 401, 429]
    assert partner.status_code == 200


# The schema


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_anonymous_callers_get_the_schema_and_its_docs_at_the_schemas_own_rate(path):
    answers = [get(path, REMOTE_ADDR=ATTACKER) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"].isdigit()
    assert get(path, REMOTE_ADDR=PARTNER).status_code == 200


def test_a_forged_forwarded_address_does_not_escape_the_schemas_rate():
    answers = [get("/api/v1/redoc/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]


def test_a_key_reads_the_schema_at_its_own_rate(key):
    answers = [get("/api/v1/redoc/", key, REMOTE_ADDR=ATTACKER).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
