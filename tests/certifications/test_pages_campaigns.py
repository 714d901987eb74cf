"""The ICS pages: campaigns and their progress, assigning inspectors, the ICS overview with the approved
member list and the external sample, photo answers, closing non-conformities and imposing sanctions."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from certifications import selectors
from certifications.models import (
    CampaignAssignment,
    ChecklistQuestion,
    ChecklistTemplate,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    Sanction,
    Standard,
)
from certifications.services import approval_decide, checklist_template_new_version
from producers.models import Producer
from tests.factories import (
    CertificateFactory,
    CoveredProducerFactory,
    InspectionCampaignFactory,
    InspectionFactory,
    NonConformityFactory,
    PlotFactory,
    ProducerFactory,
    SanctionTypeFactory,
)
from tests.html import text_of

pytestmark = pytest.mark.django_db
OWN_FAMILY = "An inspector cannot inspect his or her own family"


def organic():
    return Standard.objects.get(code="eu-organic")


@pytest.fixture
def campaign(coop):
    return InspectionCampaignFactory(
        cooperative=coop, year=2026, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31)
    )


def detail(coop, campaign):
    return reverse("campaign_detail", args=[coop.code, campaign.pk])


# Campaigns


def test_a_manager_opens_a_campaign(client, coop, manager):
    client.force_login(manager)
    response = client.post(
        reverse("campaign_list", args=[coop.code]),
        {"standard": organic().pk, "year": "2027", "starts_on": "2027-03-01", "ends_on": "2027-10-31"},
    )
    campaign = InspectionCampaign.objects.get()
    assert response.status_code == 302
    assert (campaign.cooperative, campaign.year) == (coop, 2027)


def test_a_campaign_with_dates_outside_its_year_is_refused(client, coop, manager):
    client.force_login(manager)
    response = client.post(
        reverse("campaign_list", args=[coop.code]),
        {"standard": organic().pk, "year": "2027", "starts_on": "2026-12-01", "ends_on": "2027-10-31"},
    )
    assert response.status_code == 400
    assert "The date must fall in the campaign's year." in text_of(response, "field-starts_on")
    assert InspectionCampaign.objects.count() == 0


def test_a_field_officer_may_not_open_a_campaign(client, coop, field_officer):
    client.force_login(field_officer)
    response = client.post(reverse("campaign_list", args=[coop.code]), {"standard": organic().pk, "year": "2027"})
    assert response.status_code == 403


def test_the_page_shows_the_progress_the_selector_computes(client, coop, campaign, manager):
    done, waiting = ProducerFactory(cooperative=coop), ProducerFactory(cooperative=coop)
    InspectionFactory(producer=done, standard=organic(), date=datetime.date(2026, 5, 2))
    client.force_login(manager)

    response = client.get(detail(coop, campaign))

    progress = selectors.campaign_progress(campaign)
    assert response.status_code == 200
    assert [text_of(response, f"count-{name}") for name in ("done", "pending", "overdue", "due")] == [
        str(progress[name]) for name in ("done", "pending", "overdue", "due")
    ]
    assert progress["done"] == 1
    assert progress["pending"] + progress["overdue"] == 1
    overdue_only = client.get(detail(coop, campaign) + "?state=done")
    assert done.code in text_of(overdue_only, "families")
    assert waiting.code not in text_of(overdue_only, "families")


def test_a_field_officer_assigns_families_and_is_refused_his_own(client, coop, campaign, field_officer):
    own = ProducerFactory(cooperative=coop, user=field_officer)
    other = ProducerFactory(cooperative=coop)
    client.force_login(field_officer)

    refused = client.post(detail(coop, campaign), {"inspector": field_officer.pk, "producers": [own.pk, other.pk]})
    assert refused.status_code == 400
    assert f"{OWN_FAMILY}: {own}." in text_of(refused, "field-inspector")
    assert CampaignAssignment.objects.count() == 0

    done = client.post(detail(coop, campaign), {"inspector": field_officer.pk, "producers": [other.pk]})
    assert done.status_code == 302
    assert list(CampaignAssignment.objects.values_list("producer", "inspector")) == [(other.pk, field_officer.pk)]


def test_an_auditor_reads_a_campaign_but_may_not_assign(client, coop, campaign, auditor, field_officer):
    family = ProducerFactory(cooperative=coop)
    client.force_login(auditor)
    assert client.get(detail(coop, campaign)).status_code == 200
    assert (
        client.post(detail(coop, campaign), {"inspector": field_officer.pk, "producers": [family.pk]}).status_code
        == 403
    )


def test_another_cooperatives_campaign_is_not_found(client, coop, other_coop, manager):
    client.force_login(manager)
    foreign = InspectionCampaignFactory(cooperative=other_coop)
    assert client.get(detail(coop, foreign)).status_code == 404


@pytest.mark.parametrize("families", [2, 20])
def test_the_campaign_page_costs_the_same_queries_whatever_its_size(
    client, coop, campaign, manager, families, django_assert_max_num_queries
):
    for _ in range(families):
        InspectionFactory(
            producer=ProducerFactory(cooperative=coop), standard=organic(), date=datetime.date(2026, 4, 1)
        )
    client.force_login(manager)
    with django_assert_max_num_queries(18):
        assert client.get(detail(coop, campaign)).status_code == 200


# The ICS overview: the approved member list, samples, overdue non-conformities


def test_the_approved_member_list_is_downloaded_in_spanish_as_xlsx_and_pdf(client, coop, manager):
    approved = ProducerFactory(cooperative=coop, last_name="Sangama Tuanama")
    PlotFactory(producer=approved, code="P-7")
    rejected = ProducerFactory(cooperative=coop, last_name="Isuiza Pinedo")
    approval_decide(producer=approved, standard=organic(), year=2026, decision="approved")
    approval_decide(producer=rejected, standard=organic(), year=2026, decision="rejected")
    client.force_login(manager)
    url = reverse("approved_member_list", args=[coop.code])

    xlsx = client.get(url, {"standard": "eu-organic", "year": "2026", "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="es")
    pdf = client.get(url, {"standard": "eu-organic", "year": "2026", "format": "pdf"}, HTTP_ACCEPT_LANGUAGE="es")
    bad = client.get(url, {"standard": "nope", "year": "2026"})

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    families = [row[1] for row in rows[6:]]
    assert xlsx.status_code == 200
    assert families == [f"Sangama Tuanama, {approved.first_name}"]
    assert rows[5][0] == "Código de socio"  # in the certifier's Spanish
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert bad.status_code == 400


def test_a_manager_draws_a_sample_and_the_reason_is_kept(client, coop, manager):
    certificate = CertificateFactory(cooperative=coop, standard=organic())
    for _ in range(12):
        CoveredProducerFactory(certificate=certificate, producer=ProducerFactory(cooperative=coop))
    client.force_login(manager)
    response = client.post(
        reverse("ics", args=[coop.code]),
        {"standard": organic().pk, "year": "2026", "seed": "42", "reason": "Control Union pidió la muestra"},
    )
    sample = ExternalSample.objects.get()
    assert response.status_code == 302
    assert (sample.members.count(), sample.members.filter(unannounced=True).count(), sample.reason) == (
        10,
        1,
        "Control Union pidió la muestra",
    )
    page = client.get(reverse("sample_detail", args=[coop.code, sample.pk]))
    assert text_of(page, "drawn") == "10"


def test_a_sample_without_a_reason_is_refused_on_the_page(client, coop, manager):
    ProducerFactory(cooperative=coop)
    client.force_login(manager)
    response = client.post(reverse("ics", args=[coop.code]), {"standard": organic().pk, "year": "2026", "seed": "1"})
    assert response.status_code == 400
    assert "This field is required." in text_of(response, "field-reason")
    assert ExternalSample.objects.count() == 0


def test_the_ics_page_flags_overdue_non_conformities(client, coop, auditor):
    inspection = InspectionFactory(producer=ProducerFactory(cooperative=coop))
    NonConformityFactory(inspection=inspection, description="Sin barrera viva", deadline=datetime.date(2020, 1, 1))
    NonConformityFactory(inspection=inspection, description="Sin registro", deadline=datetime.date(2099, 1, 1))
    client.force_login(auditor)
    response = client.get(reverse("ics", args=[coop.code]))
    assert "Sin barrera viva" in text_of(response, "overdue")
    assert "Sin registro" not in text_of(response, "overdue")


# The inspection: photo answers, closing a non-conformity, imposing a sanction


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def photo_template():
    """A new version of the organic checklist with a required photo question."""
    template = checklist_template_new_version(template=ChecklistTemplate.objects.current(organic()))
    ChecklistQuestion.objects.create(
        template=template, key="store_photo", text="Foto del almacén", kind="photo", order=999
    )
    return template


def inspection_post(template, **files):
    data = {
        "date": "2026-11-20",
        "standard": str(organic().pk),
        "findings": "",
        "decision": "approved",
        "non_conformities-TOTAL_FORMS": "0",
        "non_conformities-INITIAL_FORMS": "0",
        "non_conformities-MIN_NUM_FORMS": "0",
        "non_conformities-MAX_NUM_FORMS": "1000",
    }
    for question in template.questions.filter(kind="yes_no"):
        data[f"checklist-{question.key}"] = "yes"
    data.update(files)
    return data


def test_a_photo_answer_is_stored_and_served_only_in_its_cooperative(
    client, coop, field_officer, other_manager, photo_template, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    family = ProducerFactory(cooperative=coop)
    client.force_login(field_officer)
    upload = io.BytesIO(png_bytes())
    upload.name = "almacen.png"

    response = client.post(
        reverse("inspection_create", args=[coop.code, family.pk]),
        inspection_post(photo_template, **{"checklist-store_photo": upload}),
    )

    inspection = Inspection.objects.get()
    stored = inspection.checklist["store_photo"]
    assert response.status_code == 302
    assert inspection.checklist_template == photo_template
    assert stored.startswith(f"inspections/{coop.pk}/") and stored.endswith(".png")
    assert (tmp_path / stored).read_bytes() == png_bytes()
    url = reverse("inspection_photo", args=[coop.code, inspection.pk, "store_photo"])
    served = client.get(url)
    assert (served.status_code, served["Content-Type"], b"".join(served.streaming_content)) == (
        200,
        "image/png",
        png_bytes(),
    )
    client.force_login(other_manager)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not an image", "Send a JPEG or PNG photo, or a PDF."),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
    ],
)
def test_a_photo_answer_of_another_kind_or_too_large_is_refused(
    client, coop, field_officer, photo_template, content, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    family = ProducerFactory(cooperative=coop)
    client.force_login(field_officer)
    upload = io.BytesIO(content)
    upload.name = "foto.png"
    response = client.post(
        reverse("inspection_create", args=[coop.code, family.pk]),
        inspection_post(photo_template, **{"checklist-store_photo": upload}),
    )
    assert response.status_code == 200
    assert message in text_of(response, "field-checklist-store_photo")
    assert Inspection.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_the_form_asks_the_current_versions_questions(client, coop, field_officer, photo_template):
    family = ProducerFactory(cooperative=coop)
    client.force_login(field_officer)
    response = client.get(reverse("inspection_create", args=[coop.code, family.pk]))
    assert "Foto del almacén" in text_of(response, "checklist")
    assert "version 2" in text_of(response, "checklist")


def test_a_field_officer_closes_a_non_conformity_only_with_evidence(client, coop, field_officer):
    inspection = InspectionFactory(producer=ProducerFactory(cooperative=coop), date=datetime.date(2026, 5, 1))
    item = NonConformityFactory(inspection=inspection)
    url = reverse("non_conformity_close", args=[coop.code, inspection.pk, item.pk])
    client.force_login(field_officer)

    refused = client.post(url, {"closed_on": "2026-06-01", "closing_evidence": ""})
    assert refused.status_code == 400
    assert "This field is required." in text_of(refused, f"field-close{item.pk}_closing_evidence")
    closed = client.post(url, {"closed_on": "2026-06-01", "closing_evidence": "Barrera sembrada, foto en archivo"})
    item.refresh_from_db()
    assert closed.status_code == 302
    assert (item.closed_on, item.closing_evidence) == (datetime.date(2026, 6, 1), "Barrera sembrada, foto en archivo")


def test_a_manager_imposes_a_suspension_from_the_inspection(client, coop, manager, field_officer):
    family = ProducerFactory(cooperative=coop)
    inspection = InspectionFactory(producer=family)
    suspension = SanctionTypeFactory(cooperative=coop, kind="suspension", name="Suspensión")
    url = reverse("sanction_impose", args=[coop.code, inspection.pk])
    data = {"sanction_type": suspension.pk, "starts_on": "2026-06-01", "reason": "Cacao de terceros"}

    client.force_login(field_officer)
    assert client.post(url, data).status_code == 403
    client.force_login(manager)
    response = client.post(url, data)

    family.refresh_from_db()
    assert response.status_code == 302
    assert family.status == Producer.Status.SUSPENDED
    assert Sanction.objects.get().inspection == inspection
    again = client.post(url, data)
    assert again.status_code == 400
    assert "The family already has this status." in again.content.decode()
    assert Sanction.objects.count() == 1
