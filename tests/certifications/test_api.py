"""Certificates (with the families and plots they cover) and internal inspections through /api/v1/."""

import datetime

import pytest

from certifications.checklists import CHECKLISTS, YES_NO
from certifications.models import Certificate, ChecklistTemplate, Inspection, NonConformity, Standard
from certifications.services import checklist_template_new_version
from cooperatives import roles
from tests import factories

CERTIFICATES = "/api/v1/certificates/"
INSPECTIONS = "/api/v1/inspections/"


@pytest.fixture
def plot(coop):
    return factories.PlotFactory(producer=factories.ProducerFactory(cooperative=coop))


def test_a_manager_creates_a_certificate_with_the_families_and_plots_it_covers(api, manager, coop, plot):
    body = {
        "cooperative": coop.pk,
        "standard": "fairtrade",
        "number": "FLO-12345",
        "certification_body": "FLOCERT",
        "scope": "Cacao en grano",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "covered_producers": [{"producer": plot.producer_id, "included_on": "2026-01-01", "excluded_on": None}],
        "covered_plots": [{"plot": plot.pk, "included_on": None, "excluded_on": None}],
    }

    response = api(manager).post(CERTIFICATES, body, format="json")

    assert response.status_code == 201, response.json()
    certificate = Certificate.objects.get()
    covered_producer, covered_plot = certificate.covered_producers.get(), certificate.covered_plots.get()
    assert response.json() == {
        **body,
        "id": certificate.pk,
        "covered_producers": [{"id": covered_producer.pk, **body["covered_producers"][0]}],
        "covered_plots": [{"id": covered_plot.pk, **body["covered_plots"][0]}],
        "modified": response.json()["modified"],
    }
    assert covered_producer.cooperative_id == coop.pk


def test_changing_the_covered_plots_keeps_the_listed_and_drops_the_others(api, manager, coop, plot):
    certificate = factories.CertificateFactory(cooperative=coop)
    kept = factories.CoveredPlotFactory(certificate=certificate, plot=plot)
    factories.CoveredPlotFactory(certificate=certificate, plot=factories.PlotFactory(producer=plot.producer))

    response = api(manager).patch(
        f"{CERTIFICATES}{certificate.pk}/",
        {"covered_plots": [{"plot": plot.pk, "excluded_on": "2026-07-01"}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["covered_plots"] == [
        {"id": kept.pk, "plot": plot.pk, "included_on": None, "excluded_on": "2026-07-01"}
    ]
    assert list(certificate.covered_plots.values_list("pk", flat=True)) == [kept.pk]


def test_a_certificate_cannot_cover_another_cooperatives_plot(api, manager, coop, other_coop):
    certificate = factories.CertificateFactory(cooperative=coop)
    stranger = factories.PlotFactory(producer=factories.ProducerFactory(cooperative=other_coop))

    response = api(manager).patch(
        f"{CERTIFICATES}{certificate.pk}/", {"covered_plots": [{"plot": stranger.pk}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "does_not_exist",
            "detail": f'Invalid pk "{stranger.pk}" - object does not exist.',
            "attr": "covered_plots.0.plot",
        }
    ]
    assert certificate.covered_plots.exists() is False


def test_a_field_officer_and_a_partner_read_certificates_but_cannot_write_them(api, field_officer, partner, coop):
    certificate = factories.CertificateFactory(cooperative=coop)
    for user in (field_officer, partner):
        client = api(user)
        assert client.get(CERTIFICATES).json()["results"][0]["id"] == certificate.pk
        assert client.get(f"{CERTIFICATES}{certificate.pk}/").status_code == 200
        assert client.patch(f"{CERTIFICATES}{certificate.pk}/", {"scope": "x"}, format="json").status_code == 403
        assert client.post(CERTIFICATES, {}, format="json").status_code == 403
    certificate.refresh_from_db()
    assert certificate.scope == "Cacao en grano"


def test_another_cooperatives_certificate_is_not_there(api, manager, other_coop):
    theirs = factories.CertificateFactory(cooperative=other_coop)
    client = api(manager)

    assert client.get(f"{CERTIFICATES}{theirs.pk}/").status_code == 404
    assert client.patch(f"{CERTIFICATES}{theirs.pk}/", {"scope": "x"}, format="json").status_code == 404
    assert client.delete(f"{CERTIFICATES}{theirs.pk}/").status_code == 404
    assert client.get(CERTIFICATES).json()["results"] == []
    assert Certificate.objects.filter(pk=theirs.pk).exists() is True


def test_certificates_filter_by_standard_validity_and_expiry(api, manager, coop):
    organic = factories.CertificateFactory(cooperative=coop, valid_to=datetime.date(2026, 12, 31))
    fairtrade = factories.CertificateFactory(
        cooperative=coop,
        standard=Standard.objects.get(code="fairtrade"),
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    client = api(manager)

    def ids(query):
        response = client.get(CERTIFICATES, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids({}) == [organic.pk, fairtrade.pk]
    assert ids({"standard": "fairtrade"}) == [fairtrade.pk]
    assert ids({"valid_on": "2026-03-01"}) == [organic.pk]
    assert ids({"expiring_before": "2026-01-01"}) == [fairtrade.pk]
    assert ids({"cooperative": coop.pk, "search": organic.number}) == [organic.pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_page_of_certificates_costs_the_same_queries_whatever_its_size(
    fresh_api, manager, coop, plot, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        certificate = factories.CertificateFactory(cooperative=coop)
        factories.CoveredProducerFactory(certificate=certificate, producer=plot.producer)
        factories.CoveredPlotFactory(certificate=certificate, plot=plot)
    client = fresh_api(manager, CERTIFICATES)

    # The caller's cooperatives, groups and own permissions; the count, the page, covered families and plots.
    with django_assert_max_num_queries(7):
        response = client.get(CERTIFICATES)

    assert response.json()["count"] == rows


# Inspections


def organic_checklist(**changes):
    """Every yes/no question of the EU organic checklist answered, and a number."""
    answers = {question.key: True for question in CHECKLISTS["eu-organic"] if question.kind == YES_NO}
    return {**answers, "buffer_zone": False, "buffer_width_m": 4, **changes}


def inspection_body(producer, inspector, **changes):
    return {
        "producer": producer.pk,
        "standard": "eu-organic",
        "inspector": inspector.pk,
        "date": "2026-05-10",
        "checklist": organic_checklist(),
        "findings": "Envases sin barrera.",
        "decision": "conditional",
        "non_conformities": [
            {
                "description": "Envases de agroquímicos sin barrera.",
                "severity": "minor",
                "corrective_action": "Barrera viva",
                "deadline": "2026-08-01",
                "closed_on": None,
                "closing_evidence": "",
            }
        ],
        **changes,
    }


def test_a_field_officer_records_an_inspection_with_its_non_conformities(api, field_officer, plot):
    body = inspection_body(plot.producer, field_officer)

    response = api(field_officer).post(INSPECTIONS, body, format="json")

    assert response.status_code == 201, response.json()
    inspection = Inspection.objects.get()
    non_conformity = NonConformity.objects.get()
    assert response.json() == {
        **body,
        "id": inspection.pk,
        "cooperative": plot.cooperative_id,
        "checklist_template": ChecklistTemplate.objects.current(Standard.objects.get(code="eu-organic")).pk,
        "non_conformities": [{"id": non_conformity.pk, **body["non_conformities"][0]}],
        "modified": response.json()["modified"],
    }
    assert (non_conformity.cooperative_id, non_conformity.inspection_id) == (plot.cooperative_id, inspection.pk)


# The checklist answers, checked as the inspection page checks them.


def errors_of(response):
    assert response.status_code == 400, response.json()
    return {(error["attr"], error["detail"]) for error in response.json()["errors"]}


def test_the_api_refuses_text_for_a_number_and_a_question_the_checklist_does_not_ask(api, field_officer, plot):
    checklist = organic_checklist(buffer_width_m="cuatro metros", fertiliser_brand="Urea Andina")

    response = api(field_officer).post(
        INSPECTIONS, inspection_body(plot.producer, field_officer, checklist=checklist), format="json"
    )

    assert errors_of(response) == {
        ("checklist.buffer_width_m", "Enter a number."),
        ("checklist.fertiliser_brand", "This checklist version has no question fertiliser_brand."),
    }
    assert Inspection.objects.exists() is False


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("sí", "Select a valid choice. sí is not one of the available choices."),
        (1, "Select a valid choice. 1 is not one of the available choices."),
        (None, "Answer this question."),
    ],
)
def test_the_api_refuses_a_yes_no_question_answered_otherwise_or_not_at_all(api, field_officer, plot, answer, message):
    checklist = organic_checklist(no_prohibited_inputs=answer)

    response = api(field_officer).post(
        INSPECTIONS, inspection_body(plot.producer, field_officer, checklist=checklist), format="json"
    )

    assert errors_of(response) == {("checklist.no_prohibited_inputs", message)}


def test_the_api_refuses_a_negative_number_and_a_yes_for_a_number(api, field_officer, plot):
    checklist = organic_checklist(buffer_width_m=-3, unregistered_plots=True, observations=7)

    response = api(field_officer).post(
        INSPECTIONS, inspection_body(plot.producer, field_officer, checklist=checklist), format="json"
    )

    assert errors_of(response) == {
        ("checklist.buffer_width_m", "Ensure this value is greater than or equal to 0."),
        ("checklist.unregistered_plots", "Give a number."),
        ("checklist.observations", "Give a text."),
    }


def test_a_number_answered_zero_is_kept(api, field_officer, plot):
    checklist = organic_checklist(buffer_width_m=0, unregistered_plots=0)

    response = api(field_officer).post(
        INSPECTIONS, inspection_body(plot.producer, field_officer, checklist=checklist), format="json"
    )

    assert response.status_code == 201, response.json()
    kept = Inspection.objects.get().checklist
    assert (kept["buffer_width_m"], kept["unregistered_plots"]) == (0, 0)


def test_the_api_refuses_a_checklist_version_of_another_standard(api, field_officer, plot):
    fairtrade = ChecklistTemplate.objects.current(Standard.objects.get(code="fairtrade"))

    response = api(field_officer).post(
        INSPECTIONS,
        inspection_body(plot.producer, field_officer, checklist_template=fairtrade.pk),
        format="json",
    )

    assert errors_of(response) == {
        ("checklist_template", "This checklist is of Fairtrade, not of the inspection's standard."),
    }
    assert Inspection.objects.exists() is False


def test_the_api_keeps_the_inspections_checklist_version_when_the_answers_change(api, field_officer, plot):
    client = api(field_officer)
    created = client.post(INSPECTIONS, inspection_body(plot.producer, field_officer), format="json").json()
    first = ChecklistTemplate.objects.get(pk=created["checklist_template"])
    checklist_template_new_version(template=first)

    changed = client.patch(
        f"{INSPECTIONS}{created['id']}/", {"checklist": organic_checklist(buffer_width_m=6.5)}, format="json"
    )

    assert changed.status_code == 200, changed.json()
    assert (changed.json()["checklist_template"], changed.json()["checklist"]["buffer_width_m"]) == (first.pk, 6.5)


def test_a_photo_answer_is_kept_through_the_api_but_never_made_there(api, field_officer, plot):
    template = checklist_template_new_version(
        template=ChecklistTemplate.objects.current(Standard.objects.get(code="eu-organic"))
    )
    template.questions.create(key="store_photo", text="Foto del almacén", kind="photo", order=999)
    stored = f"inspections/{plot.cooperative_id}/almacen.png"
    inspection = factories.InspectionFactory(
        producer=plot.producer,
        standard=template.standard,
        checklist_template=template,
        checklist=organic_checklist(store_photo=stored),
    )
    client = api(field_officer)
    url = f"{INSPECTIONS}{inspection.pk}/"

    kept = client.patch(url, {"checklist": organic_checklist(store_photo=stored, buffer_width_m=5)}, format="json")
    made = client.patch(url, {"checklist": organic_checklist(store_photo="inspections/1/otra.png")}, format="json")
    missing = client.patch(url, {"checklist": organic_checklist()}, format="json")

    assert kept.status_code == 200, kept.json()
    assert kept.json()["checklist"]["store_photo"] == stored
    assert errors_of(made) == {("checklist.store_photo", "Add a photo or file on the inspection page.")}
    assert errors_of(missing) == {("checklist.store_photo", "Add the photo or file this question asks for.")}


def test_an_inspector_cannot_inspect_his_own_family(api, field_officer, plot):
    plot.producer.user = field_officer
    plot.producer.save(update_fields=["user"])

    response = api(field_officer).post(INSPECTIONS, inspection_body(plot.producer, field_officer), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "own_family", "detail": "An inspector cannot inspect his or her own family.", "attr": "inspector"}
        ],
    }
    assert Inspection.objects.exists() is False


def test_an_inspector_from_another_cooperative_reads_as_a_missing_one(api, field_officer, other_coop, plot):

    stranger = factories.staff_for(other_coop, roles.FIELD_OFFICER)

    response = api(field_officer).post(INSPECTIONS, inspection_body(plot.producer, stranger), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "does_not_exist",
            "detail": f'Invalid pk "{stranger.pk}" - object does not exist.',
            "attr": "inspector",
        }
    ]


def test_closing_a_non_conformity_changes_that_row(api, field_officer, plot):
    non_conformity = factories.NonConformityFactory(inspection=factories.InspectionFactory(producer=plot.producer))
    row = {"id": non_conformity.pk, "description": "Corregido", "closed_on": "2026-07-01", "closing_evidence": "Foto"}

    response = api(field_officer).patch(
        f"{INSPECTIONS}{non_conformity.inspection_id}/", {"non_conformities": [row]}, format="json"
    )

    assert response.status_code == 200, response.json()
    non_conformity.refresh_from_db()
    assert (non_conformity.closed_on, non_conformity.closing_evidence) == (datetime.date(2026, 7, 1), "Foto")


def test_a_partner_reads_inspections_but_cannot_record_one(api, partner, plot):
    inspection = factories.InspectionFactory(producer=plot.producer)
    client = api(partner)

    assert [row["id"] for row in client.get(INSPECTIONS).json()["results"]] == [inspection.pk]
    assert client.post(INSPECTIONS, inspection_body(plot.producer, partner), format="json").status_code == 403
    assert client.delete(f"{INSPECTIONS}{inspection.pk}/").status_code == 403
    assert Inspection.objects.count() == 1


def test_another_cooperatives_inspection_is_not_there(api, manager, other_coop):
    theirs = factories.InspectionFactory(producer=factories.ProducerFactory(cooperative=other_coop))
    client = api(manager)

    assert client.get(f"{INSPECTIONS}{theirs.pk}/").status_code == 404
    assert client.patch(f"{INSPECTIONS}{theirs.pk}/", {"findings": "x"}, format="json").status_code == 404
    assert client.delete(f"{INSPECTIONS}{theirs.pk}/").status_code == 404
    assert client.get(INSPECTIONS).json()["results"] == []


def test_inspections_filter_by_family_year_decision_and_sanction(api, manager, plot):
    this_year = factories.InspectionFactory(producer=plot.producer)
    factories.SanctionFactory(sanction_type__cooperative=plot.cooperative, producer=plot.producer, inspection=this_year)
    factories.SanctionFactory(sanction_type__cooperative=plot.cooperative, producer=plot.producer, inspection=this_year)
    last_year = factories.InspectionFactory(
        producer=factories.ProducerFactory(cooperative=plot.cooperative),
        date=datetime.date(2025, 5, 10),
        decision="rejected",
    )
    client = api(manager)

    def ids(query):
        response = client.get(INSPECTIONS, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids({"producer": plot.producer_id}) == [this_year.pk]
    assert ids({"year": 2025}) == [last_year.pk]
    assert ids({"decision": "rejected"}) == [last_year.pk]
    assert ids({"sanction": "warning"}) == [this_year.pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_page_of_inspections_costs_the_same_queries_whatever_its_size(
    api, manager, plot, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        factories.NonConformityFactory(inspection=factories.InspectionFactory(producer=plot.producer))
    client = api(manager)
    client.get(INSPECTIONS)

    with django_assert_max_num_queries(4):
        response = client.get(INSPECTIONS)

    assert response.json()["count"] == rows
