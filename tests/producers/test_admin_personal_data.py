"""A partner's login reads the admin without members' personal data, as their key reads the API:
no DNI, phone or birth date on a family's page, its list, its search or its export, and no household."""

import csv
import io

import pytest
from django.test import Client

from producers.models import HouseholdMember, Producer
from tests import factories
from tests.admin_helpers import url

pytestmark = pytest.mark.django_db

DNI, PHONE, BIRTH = "44556677", "+51987654321", "1979-03-14"


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def family(coop):
    family = factories.ProducerFactory(
        cooperative=coop, dni=DNI, phone=PHONE, birth_date=BIRTH, last_name="Tapullima", first_name="Rosa"
    )
    factories.HouseholdMemberFactory(producer=family, name="Julio Tapullima Sangama")
    return family


def _export(client):
    response = client.post(url(Producer, "export"), {"format": "0"})
    return response, list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_partner_reads_a_familys_page_without_its_dni_phone_birth_date_or_household(client, partner, family):
    client.force_login(partner)

    page = client.get(url(Producer, "change", family.pk))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Tapullima" in text
    for secret in (DNI, "987 654 321", "987654321", "14/03/1979", "1979", "Julio Tapullima Sangama"):
        assert secret not in text
    assert HouseholdMember not in [inline.opts.model for inline in page.context["inline_admin_formsets"]]


def test_a_partner_lists_and_searches_families_without_their_dni(client, partner, family):
    client.force_login(partner)

    listing = client.get(url(Producer, "changelist"))
    by_dni = client.get(url(Producer, "changelist"), {"q": DNI})
    by_name = client.get(url(Producer, "changelist"), {"q": "Tapullima"})

    assert listing.status_code == 200
    assert DNI not in listing.content.decode()
    assert "dni" not in listing.context["cl"].list_display
    assert list(by_dni.context["cl"].result_list) == []
    assert list(by_name.context["cl"].result_list) == [family]


def test_a_partners_export_of_the_families_has_no_personal_columns(client, partner, family):
    client.force_login(partner)

    response, rows = _export(client)

    assert response.status_code == 200
    assert [h for h in rows[0] if h in ("DNI", "Celular", "Fecha de nacimiento")] == []
    assert DNI not in response.content.decode()
    assert PHONE[3:] not in response.content.decode()
    assert "1979" not in response.content.decode()
    assert [row[rows[0].index("Apellidos")] for row in rows[1:]] == ["Tapullima"]


def test_a_partner_cannot_open_the_household_members(client, partner, family):
    member = family.household.get()
    client.force_login(partner)

    assert client.get(url(HouseholdMember, "changelist")).status_code == 403
    assert client.get(url(HouseholdMember, "change", member.pk)).status_code == 403
    assert client.get(url(HouseholdMember, "history", member.pk)).status_code == 403
    assert client.post(url(HouseholdMember, "export"), {"format": "0"}).status_code == 403


def test_a_partner_reads_a_past_version_of_a_family_without_its_dni(client, partner, family):
    version = family.history.latest()
    client.force_login(partner)

    page = client.get(url(Producer, "simple_history", family.pk, version.history_id))

    assert page.status_code == 200
    assert DNI not in page.content.decode()


@pytest.mark.parametrize("role", ["manager", "field_officer", "auditor"])
def test_the_cooperatives_staff_read_the_personal_data(client, family, role, request):
    client.force_login(request.getfixturevalue(role))

    page = client.get(url(Producer, "change", family.pk))
    _response, rows = _export(client)

    assert DNI in page.content.decode()
    assert "Julio Tapullima Sangama" in page.content.decode()
    assert rows[1][rows[0].index("DNI")] == DNI
