"""What API tests share: two cooperatives, a person of each role in the first, and a client."""

import pytest
from rest_framework.test import APIClient

from cooperatives import roles
from tests import factories


@pytest.fixture
def coop(db):
    return factories.CooperativeFactory(name="Allima Cacao")


@pytest.fixture
def other_coop(db):
    return factories.CooperativeFactory(name="Cooperativa Vecina")


@pytest.fixture
def manager(coop):
    return factories.staff_for(coop, roles.MANAGER)


@pytest.fixture
def field_officer(coop):
    return factories.staff_for(coop, roles.FIELD_OFFICER)


@pytest.fixture
def partner(coop):
    return factories.staff_for(coop, roles.PARTNER)


@pytest.fixture
def auditor(coop):
    return factories.staff_for(coop, roles.AUDITOR)


@pytest.fixture
def api():
    """A client acting as the user given: api(manager).get(...)."""

    def client_for(user):
        client = APIClient(headers={"Accept-Language": "en"})
        client.force_authenticate(user)
        return client

    return client_for
