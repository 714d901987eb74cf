"""The demo cooperative for the tests that read it (a plugin of tests/conftest.py): seeded once per
test module that asks for it, then rolled back."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from cooperatives.models import Cooperative


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back at the end: other modules see nothing.

    Yields what seed_demo printed.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        if connection.vendor == "postgresql":
            # Bulk-loaded tables have no statistics yet; without them PostgreSQL plans the
            # checks on them as nested loops over thousands of rows and takes minutes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def allima(seeded, db):
    return Cooperative.objects.get(code="allima")
