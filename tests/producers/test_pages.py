"""The family pages: a field officer finds a family, registers or edits it with its household, and reads its profile."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from stdnum.pe import cui

from certifications.models import Standard
from producers.models import HouseholdMember, Producer, ProducerStatusChange
from tests.factories import (
    CHAZUTA,
    CertificateFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    DeliveryFactory,
    HouseholdMemberFactory,
    InspectionFactory,
    PlotFactory,
    ProducerFactory,
    ProducerStatusChangeFactory,
    SanctionFactory,
)
from tests.html import field_text, text_of

pytestmark = pytest.mark.django_db

READERS = ["manager", "field_officer", "auditor"]
WRITERS = ["manager", "field_officer"]


# The pages and who opens them.


@pytest.fixture
def family(coop):
    family = ProducerFactory(
        cooperative=coop,
        code="F-0001",
        first_name="Rosa Elvira",
        last_name="Tapullima Sangama",
        dni="44556677",
        phone="+51987654321",
        community="Aguas Verdes",
    )
    HouseholdMemberFactory(producer=family, name="Luis Tapullima", birth_year=2005)
    return family


@pytest.fixture
def other_family(other_coop):
    return ProducerFactory(cooperative=other_coop, first_name="Juana", last_name="Vecina Ajena")


def pages(coop, family):
    return {
        "list": reverse("producer_list", args=[coop.code]),
        "profile": reverse("producer_detail", args=[coop.code, family.pk]),
        "create": reverse("producer_create", args=[coop.code]),
        "edit": reverse("producer_update", args=[coop.code, family.pk]),
    }


ALL_PAGES = ["list", "profile", "create", "edit"]


@pytest.mark.parametrize("page", ALL_PAGES)
def test_anonymous_is_sent_to_log_in(client, coop, family, page):
    url = pages(coop, family)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("page", ALL_PAGES)
def test_a_partner_is_refused(client, coop, family, partner, page):
    client.force_login(partner)
    assert client.get(pages(coop, family)[page]).status_code == 403


@pytest.mark.parametrize("page", ALL_PAGES)
def test_another_cooperatives_manager_does_not_find_the_cooperative(client, coop, family, other_manager, page):
    client.force_login(other_manager)
    assert client.get(pages(coop, family)[page]).status_code == 404


@pytest.mark.parametrize("page", ["profile", "edit"])
def test_a_family_of_another_cooperative_is_not_found(client, coop, manager, other_family, page):
    client.force_login(manager)
    assert client.get(pages(coop, other_family)[page]).status_code == 404


def test_another_cooperatives_family_cannot_be_edited_or_moved(client, coop, manager, other_family):
    client.force_login(manager)
    response = client.post(reverse("producer_update", args=[coop.code, other_family.pk]), registration(dni="40000999"))
    assert response.status_code == 404
    other_family.refresh_from_db()
    assert other_family.first_name == "Juana"


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_list_and_the_profile(client, coop, family, role, request):
    client.force_login(request.getfixturevalue(role))
    listing = client.get(reverse("producer_list", args=[coop.code]))
    assert listing.status_code == 200
    assert "Tapullima Sangama, Rosa Elvira" in listing.content.decode()
    profile = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    assert profile.status_code == 200
    # Personal data is for every role of the pages.
    assert "44556677" in text_of(profile, "family")
    assert "987 654 321" in text_of(profile, "family")


@pytest.mark.parametrize("role", WRITERS)
def test_writers_open_both_forms(client, coop, family, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("producer_create", args=[coop.code])).status_code == 200
    edit = client.get(reverse("producer_update", args=[coop.code, family.pk]))
    assert edit.status_code == 200
    assert 'value="Luis Tapullima"' in edit.content.decode()


def test_an_auditor_reads_but_cannot_register_edit_or_change_a_status(client, coop, family, auditor):
    client.force_login(auditor)
    assert client.get(reverse("producer_create", args=[coop.code])).status_code == 403
    assert client.get(reverse("producer_update", args=[coop.code, family.pk])).status_code == 403
    assert client.post(reverse("producer_create", args=[coop.code]), registration()).status_code == 403
    status = client.post(reverse("producer_status", args=[coop.code, family.pk]), {"status": "suspended"})
    assert status.status_code == 403
    assert Producer.objects.count() == 1
    assert ProducerStatusChange.objects.count() == 0
    profile = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    assert "Edit family" not in profile.content.decode()
    assert 'id="status-form"' not in profile.content.decode()


# The list: search, filter, pages.


def test_the_list_finds_a_family_by_name_code_dni_or_community(client, coop, family, manager):
    ProducerFactory(cooperative=coop, code="F-0777", first_name="Marcos", last_name="Huansi", community="Pucallpillo")
    client.force_login(manager)
    url = reverse("producer_list", args=[coop.code])
    for query in ["rosa tapullima", "F-0001", "4455", "aguas"]:
        content = client.get(url, {"q": query}).content.decode()
        assert "Tapullima Sangama, Rosa Elvira" in content, query
        assert "Huansi" not in content, query
    assert "Huansi, Marcos" in client.get(url, {"q": "pucallpillo"}).content.decode()


def test_the_list_finds_a_family_whatever_accents_are_typed(client, coop, manager):
    ProducerFactory(cooperative=coop, first_name="José", last_name="Ríos Peña", community="Chazutayacu")
    client.force_login(manager)
    url = reverse("producer_list", args=[coop.code])

    for query in ["jose rios", "RÍOS PEÑA", "pena"]:
        assert "Ríos Peña, José" in client.get(url, {"q": query}).content.decode(), query


def test_the_list_filters_by_status_and_ignores_an_unknown_one(client, coop, family, manager):
    ProducerFactory(cooperative=coop, first_name="Marcos", last_name="Huansi", status=Producer.Status.WITHDRAWN)
    client.force_login(manager)
    url = reverse("producer_list", args=[coop.code])
    withdrawn = client.get(url, {"status": "withdrawn"}).content.decode()
    assert "Huansi, Marcos" in withdrawn
    assert "Tapullima" not in withdrawn
    everyone = client.get(url, {"status": "expelled"})
    assert everyone.status_code == 200
    assert "Huansi, Marcos" in everyone.content.decode()
    assert "Tapullima" in everyone.content.decode()


def test_the_list_shows_only_this_cooperatives_families(client, coop, family, other_family, manager):
    client.force_login(manager)
    content = client.get(reverse("producer_list", args=[coop.code]), {"q": "a"}).content.decode()
    assert "Tapullima" in content
    assert "Vecina Ajena" not in content


def test_the_list_counts_plots_and_hectares_per_family(client, coop, family, manager):
    PlotFactory(producer=family, measured_area_ha=Decimal("1.2500"))
    PlotFactory(producer=family, geometry=None, measured_area_ha=None, declared_area_ha=Decimal("0.7500"))
    client.force_login(manager)
    response = client.get(reverse("producer_list", args=[coop.code]))
    row = response.context["families"][0]
    assert (row.plot_count, row.area_ha) == (2, Decimal("2.0000"))
    assert "2.00" in response.content.decode()


def test_a_plot_mapped_as_a_point_counts_its_declared_area_in_the_list(client, coop, family, manager):
    point = {"type": "Point", "coordinates": [-76.137845, -6.573612]}
    # Rows written before a point's measured area was left empty hold 0 (so did the demo's).
    PlotFactory(producer=family, geometry=point, measured_area_ha=Decimal("0"), declared_area_ha=Decimal("1.5000"))
    PlotFactory(producer=family, geometry=point, measured_area_ha=None, declared_area_ha=Decimal("0.5000"))
    PlotFactory(producer=family, measured_area_ha=Decimal("1.2500"), declared_area_ha=Decimal("1.3000"))
    client.force_login(manager)

    response = client.get(reverse("producer_list", args=[coop.code]), headers={"Accept-Language": "es"})

    assert response.context["families"][0].area_ha == Decimal("3.2500")
    assert '<td class="number">3.25</td>' in response.content.decode()
    assert text_of(response, "area-note") == (
        "Hectáreas: medidas en el mapa donde se dibujó el límite de la parcela; declaradas donde la parcela está "
        "mapeada como un punto o no está mapeada."
    )


def test_the_list_pages_by_fifty_and_keeps_the_search_in_the_links(client, coop, manager):
    ProducerFactory.create_batch(51, cooperative=coop, community="Chazutayacu")
    client.force_login(manager)
    url = reverse("producer_list", args=[coop.code])
    first = client.get(url, {"q": "chazutayacu"})
    assert len(first.context["families"]) == 50
    assert "51 families" in first.content.decode()
    assert "?q=chazutayacu&amp;page=2" in first.content.decode()
    second = client.get(url, {"q": "chazutayacu", "page": "2"})
    assert len(second.context["families"]) == 1
    # A page that does not exist shows the last one rather than an error.
    assert client.get(url, {"page": "999"}).status_code == 200
    assert client.get(url, {"page": "x"}).status_code == 200


def test_the_list_costs_the_same_queries_for_three_or_sixty_families(client, coop, manager, django_assert_num_queries):
    families = ProducerFactory.create_batch(3, cooperative=coop)
    for family in families:
        PlotFactory(producer=family)
    client.force_login(manager)
    url = reverse("producer_list", args=[coop.code])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for family in ProducerFactory.create_batch(57, cooperative=coop):
        PlotFactory(producer=family, geometry=None)
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200


# Registering a family with its household: all or nothing.


def registration(**changes):
    data = {
        "code": "S-0900",
        "first_name": "Julia",
        "last_name": "Sangama Amasifuén",
        "dni": "47100123",
        "sex": "F",
        "birth_date": "1985-02-03",
        "phone": "987654321",
        "community": "Aguas Verdes",
        "district": CHAZUTA,
        "entry_date": "2020-01-15",
        "household-TOTAL_FORMS": "2",
        "household-INITIAL_FORMS": "0",
        "household-MIN_NUM_FORMS": "0",
        "household-MAX_NUM_FORMS": "1000",
        "household-0-name": "Pedro Sangama",
        "household-0-relation": "spouse",
        "household-0-sex": "M",
        "household-0-birth_year": "1982",
        "household-1-name": "Ana Sangama",
        "household-1-relation": "child",
        "household-1-sex": "F",
        "household-1-birth_year": "2010",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", WRITERS)
def test_a_writer_registers_a_family_with_two_household_members(client, coop, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("producer_create", args=[coop.code]), registration())
    family = Producer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("producer_detail", args=[coop.code, family.pk])
    assert (family.cooperative, family.dni, family.code, family.last_name) == (
        coop,
        "47100123",
        "S-0900",
        "Sangama Amasifuén",
    )
    # A new family starts as the model says: an applicant.
    assert family.status == Producer.Status.APPLICANT
    assert str(family.phone) == "+51987654321"
    members = list(HouseholdMember.objects.order_by("birth_year").values_list("name", "relation", "cooperative_id"))
    assert members == [("Pedro Sangama", "spouse", coop.pk), ("Ana Sangama", "child", coop.pk)]


def test_a_new_family_starts_in_the_cooperatives_district(client, coop, manager):
    client.force_login(manager)
    form = client.get(reverse("producer_create", args=[coop.code])).context["form"]
    assert form["district"].value() == CHAZUTA == coop.district_id


def test_blank_household_rows_are_not_saved(client, coop, manager):
    client.force_login(manager)
    data = registration(**{f"household-1-{name}": "" for name in ["name", "relation", "sex", "birth_year"]})
    assert client.post(reverse("producer_create", args=[coop.code]), data).status_code == 302
    assert list(HouseholdMember.objects.values_list("name", flat=True)) == ["Pedro Sangama"]


def test_a_cui_is_accepted_and_stored_as_the_dni(client, coop, manager):
    client.force_login(manager)
    given = "47100123" + cui.calc_check_digits("47100123")[0]
    assert client.post(reverse("producer_create", args=[coop.code]), registration(dni=given)).status_code == 302
    assert Producer.objects.get().dni == "47100123"


@pytest.mark.parametrize(
    "dni, message",
    [
        ("1234", "A DNI has 8 digits (9 with the check character of the CUI)."),
        ("4710012X", "A DNI has digits only."),
        # The CUI of 47100123 ends in 1 or F (python-stdnum's pe.cui): K is a mistyped check character.
        ("47100123K", "The check character does not match this DNI: please check the number."),
    ],
)
def test_a_bad_dni_is_refused_beside_the_field_and_nothing_is_written(client, coop, manager, dni, message):
    assert not cui.is_valid(dni)
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(dni=dni))
    assert response.status_code == 200
    assert message in field_text(response, "dni")
    assert (Producer.objects.count(), HouseholdMember.objects.count()) == (0, 0)
    # What was typed is still there.
    content = response.content.decode()
    assert f'value="{dni}"' in content
    assert 'value="Pedro Sangama"' in content


def test_the_message_is_in_the_users_language_spanish_first(coop, manager):
    client = Client()
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(dni="1234"))
    assert response.status_code == 200
    assert "Un DNI tiene 8 dígitos (9 con el carácter de verificación del CUI)." in field_text(response, "dni")
    assert Producer.objects.count() == 0


def test_a_dni_already_in_the_cooperative_is_refused_beside_the_field(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(dni=family.dni))
    assert response.status_code == 200
    assert "This DNI is already registered in this cooperative: Tapullima Sangama, Rosa Elvira (F-0001)." in (
        field_text(response, "dni")
    )
    assert Producer.objects.count() == 1


def test_the_same_dni_may_join_another_cooperative(client, coop, manager, other_family):
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(dni=other_family.dni))
    assert response.status_code == 302
    assert Producer.objects.filter(dni=other_family.dni).count() == 2


def test_a_member_code_already_used_is_refused_beside_the_field(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(code="F-0001"))
    assert response.status_code == 200
    assert "This member code is already used in this cooperative" in field_text(response, "code")
    assert Producer.objects.count() == 1


def test_a_birth_date_in_the_future_is_refused_by_the_models_rule(client, coop, manager):
    client.force_login(manager)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("producer_create", args=[coop.code]), registration(birth_date=tomorrow))
    assert response.status_code == 200
    assert "The birth date cannot be in the future." in field_text(response, "birth_date")
    assert Producer.objects.count() == 0


@pytest.mark.parametrize(
    "year, message",
    [
        ("1850", "Ensure this value is greater than or equal to 1900."),
        (str(timezone.localdate().year + 1), "The birth year cannot be in the future."),
        ("about 1990", "Enter a whole number."),
    ],
)
def test_a_bad_birth_year_in_the_household_writes_nothing_and_keeps_what_was_typed(
    client, coop, manager, year, message
):
    client.force_login(manager)
    response = client.post(
        reverse("producer_create", args=[coop.code]), registration(**{"household-1-birth_year": year})
    )
    assert response.status_code == 200
    assert message in field_text(response, "household-1-birth_year")
    assert (Producer.objects.count(), HouseholdMember.objects.count()) == (0, 0)
    content = response.content.decode()
    for typed in ["Julia", "Sangama Amasifuén", "47100123", "Pedro Sangama", "Ana Sangama", year]:
        assert f'value="{typed}"' in content, typed


def test_a_bad_phone_is_refused_beside_the_field(client, coop, manager):
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), registration(phone="12"))
    assert response.status_code == 200
    assert "Enter a valid phone number" in field_text(response, "phone")
    assert Producer.objects.count() == 0


def test_an_empty_form_says_what_is_required(client, coop, manager):
    client.force_login(manager)
    response = client.post(reverse("producer_create", args=[coop.code]), {"household-TOTAL_FORMS": "0"})
    assert response.status_code == 200
    assert "This field is required." in field_text(response, "dni")
    assert Producer.objects.count() == 0


def test_a_tampered_management_form_is_refused_without_an_error_page(client, coop, manager):
    client.force_login(manager)
    data = registration()
    del data["household-TOTAL_FORMS"]
    response = client.post(reverse("producer_create", args=[coop.code]), data)
    assert response.status_code == 200
    assert Producer.objects.count() == 0


# Editing a family.


def test_editing_keeps_the_cooperative_and_the_status_and_updates_the_household(
    client, coop, other_coop, family, field_officer
):
    client.force_login(field_officer)
    luis = family.household.get()
    data = registration(
        code=family.code,
        dni=family.dni,
        first_name="Rosa",
        cooperative=str(other_coop.pk),
        status="withdrawn",
        **{
            "household-TOTAL_FORMS": "2",
            "household-INITIAL_FORMS": "1",
            "household-0-id": str(luis.pk),
            "household-0-producer": str(family.pk),
            "household-0-name": "Luis Alberto Tapullima",
            "household-0-relation": "child",
            "household-0-sex": "M",
            "household-0-birth_year": "2005",
        },
    )
    response = client.post(reverse("producer_update", args=[coop.code, family.pk]), data)
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.cooperative, family.status, family.first_name) == (coop, Producer.Status.ACTIVE, "Rosa")
    assert sorted(family.household.values_list("name", "cooperative_id")) == [
        ("Ana Sangama", coop.pk),
        ("Luis Alberto Tapullima", coop.pk),
    ]


def test_editing_can_remove_a_household_member(client, coop, family, manager):
    client.force_login(manager)
    luis = family.household.get()
    data = registration(
        code=family.code,
        dni=family.dni,
        **{
            "household-TOTAL_FORMS": "1",
            "household-INITIAL_FORMS": "1",
            "household-0-id": str(luis.pk),
            "household-0-name": luis.name,
            "household-0-relation": luis.relation,
            "household-0-sex": luis.sex,
            "household-0-birth_year": str(luis.birth_year),
            "household-0-DELETE": "on",
        },
    )
    assert client.post(reverse("producer_update", args=[coop.code, family.pk]), data).status_code == 302
    assert HouseholdMember.objects.count() == 0


def test_a_household_member_of_another_family_cannot_be_edited_through_this_one(client, coop, family, manager):
    neighbour = ProducerFactory(cooperative=coop)
    stranger = HouseholdMemberFactory(producer=neighbour, name="Ajeno")
    client.force_login(manager)
    data = registration(
        code=family.code,
        dni=family.dni,
        **{"household-TOTAL_FORMS": "1", "household-INITIAL_FORMS": "1", "household-0-id": str(stranger.pk)},
    )
    client.post(reverse("producer_update", args=[coop.code, family.pk]), data)
    # The formset edits only this family's rows: another's id is not found there, and its row is left alone.
    stranger.refresh_from_db()
    assert (stranger.name, stranger.producer) == ("Ajeno", neighbour)
    assert list(family.household.values_list("name", flat=True)) == ["Luis Tapullima"]


def test_editing_a_family_to_its_own_dni_is_not_a_duplicate(client, coop, family, manager):
    client.force_login(manager)
    data = registration(code=family.code, dni=family.dni, **{"household-TOTAL_FORMS": "0"})
    assert client.post(reverse("producer_update", args=[coop.code, family.pk]), data).status_code == 302


# The profile.


@pytest.fixture
def story(coop, other_coop, family, manager):
    """A family with two plots (one certified, one only declared), deliveries, an inspection and a certificate."""
    today = timezone.localdate()
    organic = Standard.objects.get(code="eu-organic")
    certificate = CertificateFactory(
        cooperative=coop,
        number="CU-PE-815",
        valid_from=today - datetime.timedelta(days=30),
        valid_to=today + datetime.timedelta(days=300),
    )
    CoveredProducerFactory(certificate=certificate, producer=family)
    expired = CertificateFactory(
        cooperative=coop,
        number="CU-PE-OLD",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2020, 12, 31),
    )
    CoveredProducerFactory(certificate=expired, producer=family)
    mapped = PlotFactory(producer=family, code="P-LOMA", name="La Loma")
    CoveredPlotFactory(certificate=certificate, plot=mapped)
    declared = PlotFactory(
        producer=family, code="P-BAJO", name="El Bajo", geometry=None, measured_area_ha=None, deforestation_result=""
    )
    delivery = DeliveryFactory(producer=family, receipt_number="R-ROSA-1", net_kg=Decimal("1250.00"))
    delivery.certified_standards.add(organic)
    inspection = InspectionFactory(
        producer=family, inspector=manager, findings="Todo en orden.", decision="conditional"
    )
    SanctionFactory(sanction_type__cooperative=coop, producer=family, inspection=inspection)
    # Another family's rows, which the profile must not show.
    neighbour = ProducerFactory(cooperative=coop, last_name="Vecino")
    PlotFactory(producer=neighbour, code="P-VECINO")
    DeliveryFactory(producer=neighbour, receipt_number="R-VECINO")
    ProducerStatusChangeFactory(producer=family, reason="Aprobada por el consejo")
    return {"mapped": mapped, "declared": declared, "delivery": delivery, "inspection": inspection}


def test_the_profile_shows_the_familys_plots_on_a_map_and_in_a_table(client, coop, family, manager, story):
    client.force_login(manager)
    response = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    plots = text_of(response, "plots")
    assert "P-LOMA · La Loma" in plots
    assert "P-BAJO · El Bajo" in plots
    assert "P-VECINO" not in plots
    assert "Organic" in plots
    assert "Certified" in plots
    assert "Not mapped" in plots
    content = response.content.decode()
    assert reverse("plot_update", args=[coop.code, story["mapped"].pk]) in content
    assert reverse("plot_create", args=[coop.code, family.pk]) in content
    features = json.loads(text_of(response, "family-plots"))["features"]
    assert [(f["properties"]["code"], f["properties"]["certification"]) for f in features] == [("P-LOMA", "certified")]
    assert features[0]["geometry"] == story["mapped"].geometry


def test_the_profile_escapes_a_plot_name_inside_the_map_data(client, coop, family, manager):
    PlotFactory(producer=family, name="</script><script>alert(1)</script>")
    client.force_login(manager)
    response = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    features = json.loads(text_of(response, "family-plots"))["features"]
    assert features[0]["properties"]["name"] == "</script><script>alert(1)</script>"


def test_the_profile_shows_deliveries_inspections_certificates_and_history(client, coop, family, manager, story):
    client.force_login(manager)
    response = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    deliveries = text_of(response, "deliveries")
    assert "R-ROSA-1" in deliveries
    assert "1,250.00" in deliveries
    assert "S/ 12,250.00" in deliveries
    assert "EU organic (Reg. 2018/848)" in deliveries
    assert "R-VECINO" not in deliveries
    content = response.content.decode()
    assert reverse("delivery_receipt", args=[coop.code, story["delivery"].pk]) in content
    inspections = text_of(response, "inspections")
    assert "Approved with conditions" in inspections
    assert "Warning" in inspections
    assert reverse("inspection_detail", args=[coop.code, story["inspection"].pk]) in content
    certificates = text_of(response, "certificates")
    assert "CU-PE-815" in certificates
    assert "CU-PE-OLD" not in certificates
    assert "Luis Tapullima" in text_of(response, "household")
    assert "Aprobada por el consejo" in text_of(response, "status")


def test_the_profile_shows_the_last_twenty_deliveries_and_the_totals_of_all(client, coop, family, manager):
    for day in range(1, 23):
        DeliveryFactory(producer=family, date=datetime.date(2026, 6, day), receipt_number=f"R-{day:02d}")
    client.force_login(manager)
    response = client.get(reverse("producer_detail", args=[coop.code, family.pk]))
    assert [d.receipt_number for d in response.context["deliveries"]][:2] == ["R-22", "R-21"]
    assert len(response.context["deliveries"]) == 20
    deliveries = text_of(response, "deliveries")
    assert "22 deliveries in all" in deliveries
    assert "5,500.00 kg dry" in deliveries
    assert "R-02" not in deliveries


def test_the_profile_costs_the_same_queries_for_a_small_or_a_busy_family(
    client, coop, manager, story, family, django_assert_num_queries
):
    small = ProducerFactory(cooperative=coop)
    plot = PlotFactory(producer=small)
    for day in (1, 2):
        DeliveryFactory(producer=small, date=datetime.date(2026, 6, day), plots=[plot])
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("producer_detail", args=[coop.code, small.pk])).status_code == 200
    organic = Standard.objects.get(code="eu-organic")
    for day in range(1, 21):
        DeliveryFactory(producer=family, date=datetime.date(2026, 7, day)).certified_standards.add(organic)
    for _ in range(4):
        PlotFactory(producer=family)
        InspectionFactory(producer=family)
        HouseholdMemberFactory(producer=family)
    with django_assert_num_queries(len(queries)):
        assert client.get(reverse("producer_detail", args=[coop.code, family.pk])).status_code == 200
    assert len(queries) <= 20


# A step in the membership, from the profile.


@pytest.mark.parametrize("role", WRITERS)
def test_a_writer_changes_the_status_and_the_history_keeps_it(client, coop, family, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(
        reverse("producer_status", args=[coop.code, family.pk]),
        {"status": "suspended", "effective_date": "2026-11-01", "reason": "No entregó en la campaña"},
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == Producer.Status.SUSPENDED
    change = ProducerStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.effective_date, change.changed_by, change.cooperative) == (
        "active",
        "suspended",
        datetime.date(2026, 11, 1),
        user,
        coop,
    )
    assert "No entregó en la campaña" in text_of(client.get(response["Location"]), "status")


def test_a_status_the_family_cannot_reach_is_refused_beside_the_field(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(reverse("producer_status", args=[coop.code, family.pk]), {"status": "applicant"})
    assert response.status_code == 200
    assert "Select a valid choice." in field_text(response, "status")
    assert ProducerStatusChange.objects.count() == 0
    family.refresh_from_db()
    assert family.status == Producer.Status.ACTIVE


def test_the_status_form_offers_only_the_steps_the_service_allows(client, coop, manager):
    applicant = ProducerFactory(cooperative=coop, status=Producer.Status.APPLICANT)
    client.force_login(manager)
    response = client.get(reverse("producer_detail", args=[coop.code, applicant.pk]))
    assert [value for value, _ in response.context["status_form"].fields["status"].choices] == ["active", "withdrawn"]


def test_a_status_change_on_another_cooperatives_family_is_not_found(client, coop, manager, other_family):
    client.force_login(manager)
    response = client.post(reverse("producer_status", args=[coop.code, other_family.pk]), {"status": "suspended"})
    assert response.status_code == 404
    assert ProducerStatusChange.objects.count() == 0
