"""The approved member list as a PDF reads in Spanish when asked for in Spanish (issue 6: the list the
certifier asks for, "in Spanish"), and in English when asked for in English.

The PDF's text is read back with pypdf. Its table's narrow columns wrap a heading over
several lines (and -layout sets the next column beside each line), so a heading is checked word by
word in the table's heading rows, and the lines that do not wrap (title, facts) whole.
"""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from certifications.models import Standard
from certifications.services import approval_decide
from tests.exports.pdf import pdf_text
from tests.factories import PlotFactory, ProducerFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
SPANISH_HEADINGS = [
    "Código de socio",
    "Familia",
    "DNI",
    "Sexo",
    "Comunidad",
    "Distrito",
    "Estado",
    "Fecha de ingreso",
    "Código de parcela",
    "Parcela",
    "Área declarada (ha)",
    "Área medida (ha)",
    "Estado de transición",
    "Inicio de la transición",
    "Última inspección interna",
    "Decisión",
    "No conformidades abiertas",
    "Sanciones",
    "Alertas de plausibilidad",
]
# Words of the English headings that no Spanish heading holds.
ENGLISH_WORDS = {"Member", "Family", "Sex", "Community", "Declared", "Measured", "Last", "inspection", "Sanctions"}


@pytest.fixture
def approved(coop):
    families = [
        ProducerFactory(cooperative=coop, code="S-0101", last_name="Sangama Tuanama"),
        ProducerFactory(cooperative=coop, code="S-0102", last_name="Isuiza Pinedo"),
    ]
    organic = Standard.objects.get(code="eu-organic")
    for family in families:
        PlotFactory(producer=family)
        approval_decide(producer=family, standard=organic, year=YEAR, decision="approved")
    return families


def heading_words(text):
    """The words of the table's heading rows: from the facts line to the first family's code."""
    rows = re.split(r"· 2 famil(?:ias|ies)", text, maxsplit=1)[-1]
    return set(re.split(r"S-010[12]", rows, maxsplit=1)[0].split())


def page_pdf(client, coop, language):
    url = reverse("approved_member_list", args=[coop.code])
    response = client.get(
        url, {"standard": "eu-organic", "year": YEAR, "format": "pdf"}, headers={"Accept-Language": language}
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    return pdf_text(response.content)


def test_the_pages_pdf_asked_for_in_spanish_has_spanish_headings(client, coop, manager, approved):
    client.force_login(manager)

    text = page_pdf(client, coop, "es")

    assert "Padrón de socios aprobados Orgánico UE (Reg. 2018/848) 2026" in text
    assert "Situación al:" in text
    assert "· 2 familias" in text
    words = heading_words(text)
    assert [heading for heading in SPANISH_HEADINGS if not set(heading.split()) <= words] == []
    assert words & ENGLISH_WORDS == set()


def test_the_apis_pdf_asked_for_in_spanish_has_spanish_headings(coop, manager, approved):
    api = APIClient(headers={"Accept-Language": "es"})
    api.force_authenticate(manager)

    response = api.get(
        reverse("api:approval-decision-approved-member-list"),
        {"standard": "eu-organic", "year": YEAR, "format": "pdf"},
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(response.content)
    assert "Padrón de socios aprobados Orgánico UE (Reg. 2018/848) 2026" in text
    words = heading_words(text)
    assert [heading for heading in SPANISH_HEADINGS if not set(heading.split()) <= words] == []
    assert words & ENGLISH_WORDS == set()


def test_the_pdf_asked_for_in_english_is_in_english(client, coop, manager, approved):
    client.force_login(manager)

    text = page_pdf(client, coop, "en")

    assert "Approved member list EU organic (Reg. 2018/848) 2026" in text
    assert "Situation on:" in text
    assert "· 2 families" in text
    assert {"Member", "Family", "Last", "inspection", "Sanctions"} <= heading_words(text)
    assert "Padrón" not in text


def test_every_column_of_the_pdf_fits_on_the_page(client, coop, manager, approved):
    client.force_login(manager)

    text = page_pdf(client, coop, "es")

    # The last columns, the first cut off when the table ran past the page's right edge.
    assert {"Aprobación", "Fecha", "de", "aprobación"} <= heading_words(text)
    # A DNI is never split over two lines.
    assert [family.dni for family in approved if family.dni not in text.split()] == []
