"""What API tests share besides the people of tests/conftest.py: a client acting as one of them."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """A client acting as the user given: api(manager).get(...)."""

    def client_for(user):
        client = APIClient(headers={"Accept-Language": "en"})
        client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def fresh_api(api):
    """A client for the user as a real request sees them: loaded afresh, so the request pays for its
    own scope and permissions, after an earlier request (warm_url) filled the process's role cache."""

    def client_for(user, warm_url):
        api(user).get(warm_url)
        return api(type(user).objects.get(pk=user.pk))

    return client_for
