import pytest

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
def other_manager(other_coop):
    return factories.staff_for(other_coop, roles.MANAGER)


@pytest.fixture
def field_officer(coop):
    return factories.staff_for(coop, roles.FIELD_OFFICER)


@pytest.fixture
def partner(coop):
    return factories.staff_for(coop, roles.PARTNER)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True)
