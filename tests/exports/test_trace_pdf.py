"""The traceability report of a shipment as PDF: GET /api/v1/shipments/{id}/trace-report/?format=pdf."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from weasyprint.urls import URLFetcher

from cooperatives.documents import StaticOnlyFetcher
from tests.exports.pdf import pdf_text
from tests.exports.test_api_trace import build_shipment, shipment  # noqa: F401  (the story: Rosa's and Juan's cocoa)

pytestmark = pytest.mark.django_db


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    return pdf_text(response.content)


def lines_with(text, word):
    return [" ".join(line.split()) for line in text.splitlines() if word in line]


def test_the_pdf_names_the_shipment_its_lot_families_plots_and_kg(api, manager, shipment):  # noqa: F811
    text = pdf_of(api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf"))

    assert "Allima Cacao" in text
    assert "Traceability report of shipment EXP-1" in text
    assert shipment.contract.buyer.name in text
    assert "Lot L-2026-001" in text
    assert "Lot kg in the shipment: 280.00" in text
    # Rosa's purchase of 200 kg from two plots, Juan's of 100 kg from one.
    # Rosa's purchase of 200 kg from two plots, Juan's of 100 kg from one; a cell may wrap its text.
    rosa = lines_with(text, "R-1")[0]
    assert rosa.split()[:3] == ["R-1", "15/06/2026", "S-0001"]
    assert [w for w in rosa.split() if w in ("200.00", "P-001", "1.2000", "1.2270")] == [
        "200.00",
        "P-001",
        "1.2000",
        "1.2270",
    ]
    assert lines_with(text, "P-002")[0].split()[:4] == ["P-002", "El", "Bajo", "1.2000"]
    juan = lines_with(text, "R-2")[0]
    assert juan.split()[:3] == ["R-2", "15/06/2026", "S-0002"]
    assert "100.00" in juan.split() and "P-003" in juan.split()
    assert "Rosa" in text and "Tapullima" in text and "Juan" in text and "Sangama" in text
    assert lines_with(text, "Total of the purchases in the lot") == ["Total of the purchases in the lot 300.00"]
    assert "Kg of the lots in the shipment: 280.00" in text


def test_the_pdf_and_the_spreadsheet_come_from_the_same_trace(api, manager, shipment):  # noqa: F811
    client = api(manager)
    trace = client.get(f"/api/v1/shipments/{shipment.pk}/trace/").json()

    text = pdf_of(client.get(f"/api/v1/shipments/{shipment.pk}/trace-report/", headers={"Accept": "application/pdf"}))

    plots = [plot for lot in trace["lots"] for a in lot["allocations"] for plot in a["delivery"]["plots"]]
    assert [plot["code"] for plot in plots] == ["P-001", "P-002", "P-003"]
    assert all(plot["code"] in text for plot in plots)
    assert "eu-organic" in lines_with(text, "P-001")[0]
    assert "CU-" in text and "PE-000001" in text


def test_the_pdf_is_in_spanish_unless_the_caller_asks_otherwise(manager, shipment):  # noqa: F811
    client = APIClient()  # no Accept-Language: Spanish, the cooperatives' language
    client.force_authenticate(manager)

    text = pdf_of(client.get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf"))

    assert "Fecha de zarpe" in text
    assert "Kg del lote en el embarque: 280.00" in text
    assert "Comprador: " + shipment.contract.buyer.name in text
    assert "seco" in lines_with(text, "R-1")[0]
    assert "Departure date" not in text


def test_no_word_of_the_pdfs_table_is_split_or_runs_into_the_next_column(manager, shipment):  # noqa: F811
    client = APIClient()
    client.force_authenticate(manager)

    dnis = [a.delivery.producer.dni for a in shipment.lots.get().allocations.select_related("delivery__producer")]

    words = pdf_of(client.get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf")).split()

    # Rosa's plot P-002 has no geometry: "sin geometría", not "geometrí" and "a" a line below.
    assert "geometría" in words
    # "Certificado como" kept in its column, not run into "Código de parcela".
    assert {"Certificado", "Código", "Geometría", "Resultado"} <= set(words)
    assert [dni for dni in dnis if dni not in words] == []


def test_the_pdf_shows_the_families_dni_to_the_cooperatives_staff(api, manager, shipment):  # noqa: F811
    rosa = shipment.lots.get().allocations.get(delivery__receipt_number="R-1").delivery.producer

    text = pdf_of(api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf"))

    assert rosa.dni in lines_with(text, "R-1")[0]


def test_a_partner_without_personal_data_gets_the_pdf_without_any_dni(api, partner, shipment):  # noqa: F811
    dnis = [a.delivery.producer.dni for a in shipment.lots.get().allocations.select_related("delivery__producer")]

    text = pdf_of(api(partner).get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf"))

    assert "Tapullima" in text
    assert [dni for dni in dnis if dni in text] == []
    assert "DNI" not in text


def test_another_cooperatives_pdf_is_not_there(api, other_manager, shipment):  # noqa: F811
    response = api(other_manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=pdf")

    assert response.status_code == 404
    assert b"EXP-1" not in response.content


def test_an_unknown_format_is_not_there(api, manager, shipment):  # noqa: F811
    assert api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/?format=docx").status_code == 404


def test_the_report_fetches_no_url_but_the_static_files(settings):
    fetcher = StaticOnlyFetcher()

    for url in ["https://fonts.example.org/a.woff2", "http://169.254.169.254/latest", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="reads only static files"):
            fetcher.fetch(url)
    static = (settings.BASE_DIR / "static" / "minka" / "favicon.svg").as_uri()
    answer = fetcher.fetch(static)
    assert b"<svg" in answer.read()
    answer.close()
    assert isinstance(fetcher, URLFetcher)


@pytest.mark.parametrize(("lots", "deliveries_per_lot"), [(1, 1), (4, 6)])
def test_the_pdf_costs_the_same_queries_whatever_the_shipments_size(
    api,
    manager,
    coop,
    lots,
    deliveries_per_lot,
    django_assert_max_num_queries,
):
    big = build_shipment(coop, lots, deliveries_per_lot)
    client = api(manager)
    client.get(f"/api/v1/shipments/{big.pk}/")

    # The shipment with its cooperative and buyer, the trace's five reads, and the partner check.
    with django_assert_max_num_queries(7):
        response = client.get(f"/api/v1/shipments/{big.pk}/trace-report/?format=pdf")

    text = pdf_of(response)
    assert text.count("15/06/2026") == lots * deliveries_per_lot


def test_the_shipment_admin_links_to_both_reports_and_serves_them(client, manager, shipment):  # noqa: F811
    client.force_login(manager)

    page = client.get(reverse("admin:exports_shipment_change", args=[shipment.pk]))

    xlsx = reverse("admin:exports_shipment_trace_report", args=[shipment.pk, "xlsx"])
    pdf = reverse("admin:exports_shipment_trace_report", args=[shipment.pk, "pdf"])
    assert xlsx.encode() in page.content and pdf.encode() in page.content
    spreadsheet = client.get(xlsx)
    assert spreadsheet["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert spreadsheet.content.startswith(b"PK")
    text = pdf_of(client.get(pdf, headers={"Accept-Language": "es-PE"}))
    assert "EXP-1" in text and "Fecha de zarpe" in text  # in the admin's language


def test_the_shipment_admin_serves_no_report_of_another_cooperative(client, other_manager, shipment):  # noqa: F811
    client.force_login(other_manager)

    response = client.get(reverse("admin:exports_shipment_trace_report", args=[shipment.pk, "pdf"]))

    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")
