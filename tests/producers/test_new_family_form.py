"""A new family's form, on the page and in the admin: the next member code suggested, the entry date today in Peru."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from producers.models import Producer
from tests import factories
from tests.admin_helpers import url
from tests.html import field_text, input_value

pytestmark = pytest.mark.django_db

# 22:30 on 28 February in Lima is already 1 March in UTC: the entry date is Lima's day.
LIMA_EVENING = datetime.datetime(2026, 3, 1, 3, 30, tzinfo=datetime.UTC)


@pytest.fixture
def lima_evening(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LIMA_EVENING)


@pytest.fixture
def numbered(coop):
    """The cooperative's families, numbered as the demo's are, with a gap."""
    for code in ["ALL-0001", "ALL-0002", "ALL-0004"]:
        factories.ProducerFactory(cooperative=coop, code=code)
    return coop


def test_the_page_suggests_the_next_member_code_and_todays_entry_date_in_lima(client, numbered, manager, lima_evening):
    client.force_login(manager)

    response = client.get(reverse("producer_create", args=[numbered.code]))

    assert response.status_code == 200
    assert (input_value(response, "code"), input_value(response, "entry_date")) == ("ALL-0005", "2026-02-28")
    assert "The next free code in the cooperative's numbering is suggested." in field_text(response, "code")


def test_the_suggested_code_is_saved_as_it_was_suggested(client, numbered, field_officer):
    client.force_login(field_officer)
    form = client.get(reverse("producer_create", args=[numbered.code]))
    data = {
        "code": input_value(form, "code"),
        "first_name": "Rosa Elvira",
        "last_name": "Tapullima Sangama",
        "dni": "41234567",
        "sex": "F",
        "district": factories.CHAZUTA,
        "entry_date": input_value(form, "entry_date"),
        "household-TOTAL_FORMS": "0",
        "household-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("producer_create", args=[numbered.code]), data)

    assert response.status_code == 302
    family = Producer.objects.get(cooperative=numbered, dni="41234567")
    assert (family.code, family.entry_date) == ("ALL-0005", timezone.localdate())


def test_editing_a_family_keeps_its_code_and_entry_date(client, numbered, manager):
    family = Producer.objects.get(cooperative=numbered, code="ALL-0002")
    client.force_login(manager)

    response = client.get(reverse("producer_update", args=[numbered.code, family.pk]))

    assert (input_value(response, "code"), input_value(response, "entry_date")) == ("ALL-0002", "2015-03-01")


def test_another_cooperatives_codes_do_not_count(client, numbered, other_coop, manager):
    factories.ProducerFactory(cooperative=other_coop, code="ALL-0900")
    client.force_login(manager)

    response = client.get(reverse("producer_create", args=[numbered.code]))

    assert input_value(response, "code") == "ALL-0005"


def test_the_admins_add_form_suggests_the_code_and_the_entry_date(client, numbered, manager, lima_evening):
    client.force_login(manager)

    response = client.get(url(Producer, "add"))

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert (form["code"].value(), form["entry_date"].value(), form["district"].value()) == (
        "ALL-0005",
        datetime.date(2026, 2, 28),
        factories.CHAZUTA,
    )


def test_the_admins_add_form_names_each_cooperatives_next_code_when_it_cannot_know_which(client, numbered, other_coop):
    factories.ProducerFactory(cooperative=other_coop, code="V-17")
    both = factories.staff_for([numbered, other_coop])
    client.force_login(both)

    response = client.get(url(Producer, "add"))

    form = response.context["adminform"].form
    assert form["code"].value() is None
    assert form.fields["code"].help_text == ("The next free codes: ALL-0005 (Allima Cacao); V-18 (Cooperativa Vecina).")
