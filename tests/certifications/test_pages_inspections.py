"""Internal inspections: a field officer records one with its checklist; everyone of the ICS reads it back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.checklists import CHECKLISTS, NUMBER, TEXT, YES_NO
from certifications.models import Inspection, NonConformity, Sanction, SanctionKind, Standard
from harvests.services import delivery_record
from producers.models import Producer
from tests.factories import (
    CertificateFactory,
    CollectionCentreFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    InspectionFactory,
    NonConformityFactory,
    PlotFactory,
    ProducerFactory,
    SanctionTypeFactory,
)
from tests.html import text_of

pytestmark = pytest.mark.django_db

READERS = ["manager", "field_officer", "auditor"]
WRITERS = ["manager", "field_officer"]
OWN_FAMILY = "An inspector cannot inspect his or her own family."


@pytest.fixture
def family(coop):
    return ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")


@pytest.fixture
def inspection(family, manager):
    inspection = InspectionFactory(
        producer=family,
        inspector=manager,
        standard=Standard.objects.get(code="eu-organic"),
        checklist={"no_prohibited_inputs": True, "buffer_zone": False, "buffer_width_m": 4, "legacy_question": "sí"},
        findings="Envases vacíos junto a la quebrada.",
        decision=Inspection.Decision.CONDITIONAL,
    )
    NonConformityFactory(inspection=inspection, description="Envases de agroquímicos del vecino sin barrera.")
    return inspection


@pytest.fixture
def other_inspection(other_coop):
    return InspectionFactory(producer=ProducerFactory(cooperative=other_coop), findings="Ajena")


def create_url(coop, family):
    return reverse("inspection_create", args=[coop.code, family.pk])


def detail_url(coop, inspection):
    return reverse("inspection_detail", args=[coop.code, inspection.pk])


def organic_answers(**changes):
    """A complete visit under EU organic: every yes/no question answered, a number and a text."""
    standard = Standard.objects.get(code="eu-organic")
    data = {
        "date": "2026-11-20",
        "standard": str(standard.pk),
        "findings": "Parcela vecina convencional sin barrera viva.",
        "decision": "conditional",
        "non_conformities-TOTAL_FORMS": "2",
        "non_conformities-INITIAL_FORMS": "0",
        "non_conformities-MIN_NUM_FORMS": "0",
        "non_conformities-MAX_NUM_FORMS": "1000",
        "non_conformities-0-description": "Falta barrera viva con la parcela vecina.",
        "non_conformities-0-severity": "major",
        "non_conformities-0-corrective_action": "Sembrar una barrera de guaba.",
        "non_conformities-0-deadline": "2027-02-28",
        "non_conformities-1-description": "",
        "non_conformities-1-severity": "minor",
        "non_conformities-1-corrective_action": "",
        "non_conformities-1-deadline": "",
    }
    for question in CHECKLISTS["eu-organic"]:
        if question.kind == YES_NO:
            data[f"checklist-{question.key}"] = "yes"
    data.update(
        {
            "checklist-buffer_zone": "no",
            "checklist-buffer_width_m": "2.5",
            "checklist-harvest_estimate_kg": "900",
            "checklist-observations": "La familia pide capacitación en compost.",
        }
    )
    data.update(changes)
    return data


# Who opens the pages.


@pytest.mark.parametrize("page", ["create", "detail"])
def test_anonymous_is_sent_to_log_in(client, coop, family, inspection, page):
    url = create_url(coop, family) if page == "create" else detail_url(coop, inspection)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("page", ["create", "detail"])
def test_a_partner_is_refused(client, coop, family, inspection, partner, page):
    client.force_login(partner)
    url = create_url(coop, family) if page == "create" else detail_url(coop, inspection)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("page", ["create", "detail"])
def test_another_cooperatives_manager_does_not_find_the_cooperative(
    client, coop, family, inspection, other_manager, page
):
    client.force_login(other_manager)
    url = create_url(coop, family) if page == "create" else detail_url(coop, inspection)
    assert client.get(url).status_code == 404


def test_another_cooperatives_family_and_inspection_are_not_found(client, coop, manager, other_inspection):
    client.force_login(manager)
    assert client.get(detail_url(coop, other_inspection)).status_code == 404
    assert client.get(create_url(coop, other_inspection.producer)).status_code == 404
    response = client.post(create_url(coop, other_inspection.producer), organic_answers())
    assert response.status_code == 404
    assert Inspection.objects.count() == 1


@pytest.mark.parametrize("role", READERS)
def test_every_reader_reads_an_inspection(client, coop, inspection, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(detail_url(coop, inspection))
    assert response.status_code == 200
    assert "Approved with conditions" in text_of(response, "summary")


@pytest.mark.parametrize("role", WRITERS)
def test_writers_open_the_form(client, coop, family, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(create_url(coop, family))
    assert response.status_code == 200
    assert "Internal inspection of Tapullima Sangama, Rosa Elvira" in response.content.decode()


def test_an_auditor_reads_but_does_not_record(client, coop, family, auditor):
    client.force_login(auditor)
    assert client.get(create_url(coop, family)).status_code == 403
    assert client.post(create_url(coop, family), organic_answers()).status_code == 403
    assert Inspection.objects.count() == 0


# The checklist follows the standard.


def test_the_form_asks_the_organic_checklist_first(client, coop, family, manager):
    client.force_login(manager)
    checklist = text_of(client.get(create_url(coop, family)), "checklist")
    assert "Checklist: EU organic (Reg. 2018/848)" in checklist
    assert "No synthetic fertiliser, herbicide or pesticide is used or stored on the farm." in checklist
    assert "Fairtrade" not in checklist


def test_choosing_another_standard_brings_its_questions(client, coop, family, manager):
    client.force_login(manager)
    fairtrade = Standard.objects.get(code="fairtrade")
    response = client.get(create_url(coop, family), {"standard": fairtrade.pk}, headers={"HX-Request": "true"})
    checklist = text_of(response, "checklist")
    assert "No child under 15 works on the farm" in checklist
    assert "No synthetic fertiliser" not in checklist
    # The select asks for the checklist of the standard chosen, without leaving the page.
    assert f'hx-get="{create_url(coop, family)}"' in response.content.decode()


def test_every_standard_has_a_checklist_of_eight_to_twelve_questions_with_unique_keys():
    for code, questions in CHECKLISTS.items():
        keys = [question.key for question in questions]
        assert 8 <= len(questions) <= 12, code
        assert len(set(keys)) == len(keys), code
        assert {question.kind for question in questions} <= {YES_NO, NUMBER, TEXT}, code
    assert set(CHECKLISTS) == set(Standard.objects.values_list("code", flat=True))


# Recording an inspection.


@pytest.mark.parametrize("role", WRITERS)
def test_a_writer_records_an_inspection_with_its_checklist_and_non_conformities(client, coop, family, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(create_url(coop, family), organic_answers())
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(coop, inspection)
    assert (inspection.cooperative, inspection.producer, inspection.inspector, inspection.standard.code) == (
        coop,
        family,
        user,
        "eu-organic",
    )
    assert (inspection.date, inspection.decision) == (datetime.date(2026, 11, 20), "conditional")
    assert inspection.checklist == {
        "no_prohibited_inputs": True,
        "inputs_recorded": True,
        "buffer_zone": False,
        "buffer_width_m": 2.5,
        "no_parallel_production": True,
        "plots_match_register": True,
        "harvest_estimate_kg": 900,
        "sold_to_cooperative": True,
        "clean_post_harvest": True,
        "soil_conservation": True,
        "observations": "La familia pide capacitación en compost.",
    }
    non_conformity = NonConformity.objects.get()
    assert (non_conformity.inspection, non_conformity.cooperative, non_conformity.severity) == (
        inspection,
        coop,
        "major",
    )
    assert non_conformity.deadline == datetime.date(2027, 2, 28)


def test_the_recorded_inspection_shows_its_answers_as_questions(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(create_url(coop, family), organic_answers(), follow=True)
    checklist = text_of(response, "checklist")
    assert "Plots next to conventional farms have a buffer zone or a living barrier. No" in checklist
    assert "No synthetic fertiliser, herbicide or pesticide is used or stored on the farm. Yes" in checklist
    assert "Width of the narrowest buffer zone (metres). 2.5" in checklist
    assert "Estimated harvest of the season (kg of dry cocoa). 900" in checklist
    assert "La familia pide capacitación en compost." in checklist
    assert "buffer_zone" not in checklist
    assert "Falta barrera viva con la parcela vecina." in text_of(response, "non-conformities")
    assert "Internal inspection of Tapullima Sangama, Rosa Elvira" in response.content.decode()


def test_an_unanswered_yes_no_question_is_asked_again_and_nothing_is_written(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(create_url(coop, family), organic_answers(**{"checklist-buffer_zone": ""}))
    assert response.status_code == 200
    assert "Answer this question." in text_of(response, "field-checklist-buffer_zone")
    assert (Inspection.objects.count(), NonConformity.objects.count()) == (0, 0)
    # What was typed is still there.
    content = response.content.decode()
    assert "Falta barrera viva con la parcela vecina." in content
    assert 'value="2.5"' in content


def test_a_negative_number_in_the_checklist_is_refused_beside_the_question(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(create_url(coop, family), organic_answers(**{"checklist-buffer_width_m": "-3"}))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in text_of(response, "field-checklist-buffer_width_m")
    assert Inspection.objects.count() == 0


def test_an_inspector_cannot_inspect_his_own_family(client, coop, field_officer):
    own = ProducerFactory(cooperative=coop, user=field_officer)
    client.force_login(field_officer)
    response = client.post(create_url(coop, own), organic_answers())
    assert response.status_code == 200
    assert OWN_FAMILY in response.content.decode()
    assert (Inspection.objects.count(), NonConformity.objects.count()) == (0, 0)


def test_the_inspector_is_the_user_whatever_the_form_says(client, coop, field_officer, manager):
    # A field officer cannot record the inspection of his own family under his manager's name.
    own = ProducerFactory(cooperative=coop, user=field_officer)
    client.force_login(field_officer)
    response = client.post(create_url(coop, own), organic_answers(inspector=str(manager.pk)))
    assert response.status_code == 200
    assert OWN_FAMILY in response.content.decode()
    assert Inspection.objects.count() == 0


# A sanction the inspection leads to: recorded through the sanction form, with its effects.


@pytest.fixture
def certified_plot(coop, family):
    """An organic plot of the family, within a valid EU organic certificate's scope."""
    plot = PlotFactory(producer=family, code="P-LOMA", conversion_start=datetime.date(2018, 1, 1))
    certificate = CertificateFactory(cooperative=coop, standard=Standard.objects.get(code="eu-organic"))
    CoveredProducerFactory(certificate=certificate, producer=family)
    CoveredPlotFactory(certificate=certificate, plot=plot)
    return plot


def inspect_then_sanction(client, coop, family, sanction_type, **fields):
    """Record an inspection on its page, then a sanction on the inspection's page: (inspection, response)."""
    assert client.post(create_url(coop, family), organic_answers()).status_code == 302
    inspection = Inspection.objects.get()
    data = {"sanction_type": sanction_type.pk, "starts_on": "2026-11-21", "reason": "Saco de urea.", **fields}
    return inspection, client.post(reverse("sanction_impose", args=[coop.code, inspection.pk]), data)


def delivered(plot, day, receipt):
    delivery = delivery_record(
        producer=plot.producer,
        plots=[plot],
        collection_centre=CollectionCentreFactory(cooperative=plot.cooperative),
        receipt_number=receipt,
        date=day,
        net_kg=Decimal("180"),
        price_pen_per_kg=Decimal("10.50"),
        moisture_pct=Decimal("7.0"),
    )
    return sorted(delivery.certified_standards.values_list("code", flat=True))


def test_the_inspection_form_records_no_sanction_of_its_own(client, coop, family, manager):
    client.force_login(manager)
    response = client.get(create_url(coop, family))
    assert 'name="sanction' not in response.content.decode()


def test_a_plot_exclusion_recorded_from_the_inspection_page_takes_the_plot_out_of_scope(
    client, coop, other_coop, family, manager, certified_plot
):
    exclusion = SanctionTypeFactory(cooperative=coop, kind=SanctionKind.PLOT_EXCLUSION, name="Exclusión")
    foreign_plot = PlotFactory(producer=ProducerFactory(cooperative=other_coop))
    client.force_login(manager)

    inspection, unnamed = inspect_then_sanction(client, coop, family, exclusion)
    assert unnamed.status_code == 400
    assert "Choose the plot to exclude." in text_of(unnamed, "field-sanction_plot")
    foreign = client.post(
        reverse("sanction_impose", args=[coop.code, inspection.pk]),
        {"sanction_type": exclusion.pk, "plot": foreign_plot.pk, "starts_on": "2026-11-21", "reason": "Urea"},
    )
    assert foreign.status_code == 400
    assert "Select a valid choice." in text_of(foreign, "field-sanction_plot")
    assert Sanction.objects.count() == 0

    named = client.post(
        reverse("sanction_impose", args=[coop.code, inspection.pk]),
        {"sanction_type": exclusion.pk, "plot": certified_plot.pk, "starts_on": "2026-11-21", "reason": "Urea"},
    )

    assert named.status_code == 302
    sanction = Sanction.objects.get()
    assert (sanction.inspection, sanction.plot, sanction.kind) == (inspection, certified_plot, "plot_exclusion")
    assert list(certified_plot.covered_by.values_list("excluded_on", flat=True)) == [datetime.date(2026, 11, 21)]
    assert delivered(certified_plot, datetime.date(2026, 11, 20), "R-1") == ["eu-organic"]
    assert delivered(certified_plot, datetime.date(2026, 11, 21), "R-2") == []
    page = client.get(detail_url(coop, inspection))
    assert "Exclusion of a plot (P-LOMA)" in text_of(page, "summary")


def test_a_suspension_recorded_from_the_inspection_page_makes_the_familys_next_delivery_uncertified(
    client, coop, family, manager, certified_plot
):
    suspension = SanctionTypeFactory(cooperative=coop, kind=SanctionKind.SUSPENSION, name="Suspensión")
    client.force_login(manager)

    inspection, response = inspect_then_sanction(client, coop, family, suspension)

    assert response.status_code == 302
    family.refresh_from_db()
    assert family.status == Producer.Status.SUSPENDED
    assert Sanction.objects.get().inspection == inspection
    assert delivered(certified_plot, datetime.date(2026, 11, 20), "R-1") == ["eu-organic"]
    assert delivered(certified_plot, datetime.date(2026, 11, 21), "R-2") == []


def test_a_bad_deadline_on_a_non_conformity_writes_nothing(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(create_url(coop, family), organic_answers(**{"non_conformities-0-deadline": "31/02/2027"}))
    assert response.status_code == 200
    assert "Enter a valid date." in text_of(response, "field-non_conformities-0-deadline")
    assert (Inspection.objects.count(), NonConformity.objects.count()) == (0, 0)


def test_a_standard_that_does_not_exist_is_refused_beside_the_field(client, coop, family, manager):
    client.force_login(manager)
    response = client.post(create_url(coop, family), organic_answers(standard="999999"))
    assert response.status_code == 200
    assert "Select a valid choice." in text_of(response, "field-standard")
    assert Inspection.objects.count() == 0


# Reading an inspection.


def test_the_inspection_shows_question_texts_and_keeps_an_unknown_answer_under_its_key(
    client, coop, inspection, auditor
):
    client.force_login(auditor)
    response = client.get(detail_url(coop, inspection))
    checklist = text_of(response, "checklist")
    assert checklist.index("No synthetic fertiliser") < checklist.index("Plots next to conventional farms")
    assert "Width of the narrowest buffer zone (metres). 4" in checklist
    assert "legacy_question sí" in checklist
    assert "Envases de agroquímicos del vecino sin barrera." in text_of(response, "non-conformities")
    assert "Envases vacíos junto a la quebrada." in text_of(response, "summary")


def test_the_inspection_page_has_a_plain_title_and_one_sanctions_section(client, coop, inspection, manager):
    client.force_login(manager)
    response = client.get(detail_url(coop, inspection))
    page = response.content.decode()
    title = page[page.index("<title>") + len("<title>") : page.index("</title>")]
    assert title == f"Internal inspection · {coop.name} · Minka"
    assert page.count('id="sanctions"') == 1
    assert page.count("/sanctions/new/") == 1


def test_the_inspection_costs_the_same_queries_with_one_or_many_non_conformities(
    client, coop, inspection, manager, django_assert_num_queries
):
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(coop, inspection)).status_code == 200
    NonConformityFactory.create_batch(15, inspection=inspection)
    with django_assert_num_queries(len(queries)):
        assert client.get(detail_url(coop, inspection)).status_code == 200
