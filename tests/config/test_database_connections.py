"""A worker's persistent database connection, dropped by the database, is replaced before a request uses it."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from cooperatives import roles
from tests import factories


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_request_after_the_database_dropped_the_connection_answers_200():
    coop = factories.CooperativeFactory(name="Allima Cacao")
    browser = Client()
    browser.force_login(factories.staff_for(coop, roles.MANAGER))
    # A connection opened as a worker opens it, with the settings of config/settings.py.
    connection.close()
    connection.connect()
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    # The database drops it (a restart, a failover, an idle timeout), seen from another connection.
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()

    # A request as the WSGI server hands it over: Django's test client skips the start-of-request
    # check of connections, a worker does not.
    request = RequestFactory().get(
        f"/c/{coop.code}/families/",
        headers={"Accept-Language": "en", "Cookie": browser.cookies.output(header="", sep=";")},
    )
    statuses = []
    body = WSGIHandler()(request.environ, lambda status, headers, exc_info=None: statuses.append(status))

    assert statuses == ["200 OK"], b"".join(body)[:500]
