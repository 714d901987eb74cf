"""The admin in Spanish: a family's status history, the calendar and the time-zone note of its JavaScript."""

import json
import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def javascript_catalog(client, language):
    response = client.get("/admin/jsi18n/", headers={"Accept-Language": language})
    assert response.status_code == 200
    if "const newcatalog = " not in response.text:
        return {}  # nothing to translate
    start = response.text.index("const newcatalog = ") + len("const newcatalog = ")
    return json.JSONDecoder().raw_decode(response.text, start)[0]


def history(response):
    """The rows of the family's status history, as the admin's inline titles them."""
    rows = re.findall(r'id="status_changes-[0-9]+">\s*<td class="original">\s*<p>(.*?)</p>', response.text, re.DOTALL)
    return [" ".join(row.split()) for row in rows]


def test_a_familys_status_history_reads_in_the_users_language(client, coop, manager):
    family = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima", status="suspended")
    factories.ProducerStatusChangeFactory(producer=family, from_status="applicant", to_status="active")
    factories.ProducerStatusChangeFactory(
        producer=family, from_status="active", to_status="suspended", effective_date="2026-03-01"
    )
    client.force_login(manager)
    url = reverse("admin:producers_producer_change", args=[family.pk])

    spanish = history(client.get(url, headers={"Accept-Language": "es"}))
    english = history(client.get(url, headers={"Accept-Language": "en"}))

    assert spanish == [
        f"Tapullima, Rosa ({family.code}): postulante → activo (01/03/2015)",
        f"Tapullima, Rosa ({family.code}): activo → suspendido (01/03/2026)",
    ]
    assert english[1] == f"Tapullima, Rosa ({family.code}): active → suspended (01/03/2026)"


def test_the_admins_javascript_speaks_spanish_where_djangos_catalogue_is_silent(client, manager):
    client.force_login(manager)

    catalog = javascript_catalog(client, "es")

    note = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)"
    assert catalog[note] == [
        "Nota: escriba las horas en la zona horaria %(timezone)s. (Su equipo va %(offset)s hora atrasado.)",
        "Nota: escriba las horas en la zona horaria %(timezone)s. (Su equipo va %(offset)s horas atrasado.)",
        "Nota: escriba las horas en la zona horaria %(timezone)s. (Su equipo va %(offset)s horas atrasado.)",
    ]
    assert catalog["server"] == "servidor"
    assert catalog["Today (%(date)s)"] == "Hoy (%(date)s)"
    assert catalog["Today"] == "Hoy"  # Django's own Spanish stays


def test_in_english_the_admins_javascript_keeps_its_own_words(client, manager):
    client.force_login(manager)

    catalog = javascript_catalog(client, "en")

    assert "server" not in catalog
    assert "Today (%(date)s)" not in catalog


def test_the_admins_javascript_catalogue_is_for_staff(client):
    response = client.get("/admin/jsi18n/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
