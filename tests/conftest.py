import os

import pytest
from rest_framework.test import APIClient

from cooperatives import roles
from tests import factories

# The demo cooperative's fixtures (seeded, allima), for the modules that read it.
pytest_plugins = ["tests.demo"]


def pytest_collection_modifyitems(config, items):
    """Tests of what only PostgreSQL does (two transactions at once, composite keys) are left out elsewhere.

    Deselected, not skipped: on SQLite there is nothing for them to test, and pytest's summary counts them.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgresql")]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


@pytest.fixture(scope="session", autouse=True)
def _postgres_when_required(django_db_blocker):
    """In CI the suite runs on PostgreSQL or not at all: never a silent SQLite fallback."""
    if os.environ.get("MINKA_REQUIRE_POSTGRES"):
        from django.db import connection

        assert connection.vendor == "postgresql", f"CI must test on PostgreSQL, not {connection.vendor}"


@pytest.fixture(autouse=True)
def _english_unless_asked(request):
    """Messages are asserted in English, the source language; a test about Spanish overrides it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A browser that asks for English, the source language (a test about Spanish asks for it itself)."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no role permissions or throttle counts of another test."""
    from django.core.cache import cache

    cache.clear()
    yield


# The people of the stories: two cooperatives, and someone of each role in the first.


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
def auditor(coop):
    return factories.staff_for(coop, roles.AUDITOR)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True)


# The API's clients: a client acting as one of the people above.
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
