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
