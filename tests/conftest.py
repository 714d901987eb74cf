import os

import pytest


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
