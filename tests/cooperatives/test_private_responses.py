"""Every answer to someone signed in, or sending a key, is kept by no cache (cooperatives.middleware).

Members' personal data leaves Minka as pages, API answers, admin exports, PDFs and spreadsheets;
a shared computer's browser cache or a proxy must keep none of it. The static files stay cacheable.
"""

import pytest
from django.test import Client
from django.urls import reverse

from certifications.models import Standard
from certifications.services import approval_decide
from cooperatives.services import partner_key_issue
from tests.factories import HouseholdMemberFactory, PlotFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def family(coop):
    family = ProducerFactory(cooperative=coop, dni="45781236", code="S-0101")
    HouseholdMemberFactory(producer=family)
    PlotFactory(producer=family)
    approval_decide(producer=family, standard=Standard.objects.get(code="eu-organic"), year=2026, decision="approved")
    return family


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def test_the_family_pages_are_kept_by_no_cache(signed_in, coop, family):
    for url in [reverse("producer_list", args=[coop.code]), reverse("producer_detail", args=[coop.code, family.pk])]:
        response = signed_in.get(url)

        assert response.status_code == 200
        assert b"45781236" in response.content
        assert {"private", "no-store"} <= directives(response), url


def test_the_admins_family_page_and_its_csv_export_are_kept_by_no_cache(signed_in, family):
    page = signed_in.get(reverse("admin:producers_producer_change", args=[family.pk]))
    export = signed_in.post(reverse("admin:producers_producer_export"), {"format": "0"})

    assert (page.status_code, export.status_code) == (200, 200)
    assert export["Content-Type"].startswith("text/csv")
    assert b"45781236" in export.content
    assert {"private", "no-store"} <= directives(page)
    assert {"private", "no-store"} <= directives(export)


def test_the_member_list_pdf_and_spreadsheet_are_kept_by_no_cache(signed_in, coop, family):
    pdf = signed_in.get(
        reverse("approved_member_list", args=[coop.code]), {"standard": "eu-organic", "year": 2026, "format": "pdf"}
    )
    xlsx = signed_in.get("/api/v1/certificates/ics-member-list/")

    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert (xlsx.status_code, xlsx["Content-Type"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert directives(pdf) == {"private", "no-store"}
    assert directives(xlsx) == {"private", "no-store"}


def test_the_apis_answer_to_a_key_with_personal_data_is_kept_by_no_cache(coop, family):
    _row, key = partner_key_issue(name="Certifier", cooperatives=[coop], personal_data=True)
    client = Client(headers={"Authorization": f"Api-Key {key}"})

    response = client.get(reverse("api:producer-detail", args=[family.pk]))

    assert response.status_code == 200
    assert response.json()["dni"] == "45781236"
    assert directives(response) == {"private", "no-store"}


def test_a_refused_keys_answer_is_kept_by_no_cache_too(db):
    response = Client(headers={"Authorization": "Api-Key not-a-key"}).get(reverse("api:producer-list"))

    assert response.status_code == 401
    assert directives(response) == {"private", "no-store"}


def test_the_static_files_stay_cacheable_for_someone_signed_in(signed_in):
    response = signed_in.get("/static/minka/favicon.svg")

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)


def test_the_favicon_its_view_made_public_stays_public(signed_in):
    response = signed_in.get("/favicon.ico")

    assert response.status_code == 302
    assert directives(response) == {"public", "max-age=86400"}
