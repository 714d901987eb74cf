"""GET /api/v1/shipments/{id}/trace-report/: the trace as a spreadsheet a buyer or certifier files away."""

import io

import pytest
from openpyxl import load_workbook

from plots.models import Plot
from tests.exports.test_api_trace import shipment  # noqa: F401  (the story: one lot of Rosa's and Juan's cocoa)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_report_has_a_row_per_lot_purchase_and_plot(api, manager, shipment):  # noqa: F811
    rows = rows_of(api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/"))

    assert rows[0][:2] == ["Shipment", "EXP-1"]
    header, *lines = rows[4:]
    assert header[:4] == ["Lot", "Lot kg in the shipment", "Kg of the purchase in the lot", "Receipt"]
    assert "DNI" in header
    # Rosa's purchase came from two plots, Juan's from one.
    assert [(line[3], line[header.index("Plot code")]) for line in lines] == [
        ("R-1", "P-001"),
        ("R-1", "P-002"),
        ("R-2", "P-003"),
    ]
    assert [line[header.index("EUDR ready")] for line in lines] == ["yes", "no", "yes"]
    assert lines[0][header.index("Certificates")] == "eu-organic CU-PE-000001"
    # Choices as their readers' words, as in the PDF, not the API's codes.
    assert [line[header.index("State")] for line in lines] == ["dry", "dry", "wet (baba)"]
    assert [line[header.index("Conversion status")] for line in lines] == [
        "organic",
        "in conversion, year 2",
        "conventional",
    ]
    assert lines[0][header.index("Deforestation result")] == "not deforested after 31/12/2020"


def test_a_partner_gets_the_report_without_the_families_dni(api, partner, shipment):  # noqa: F811
    header = rows_of(api(partner).get(f"/api/v1/shipments/{shipment.pk}/trace-report/"))[4]

    assert "DNI" not in header


def test_the_report_speaks_spanish_when_asked(api, manager, shipment):  # noqa: F811
    client = api(manager)

    rows = rows_of(client.get(f"/api/v1/shipments/{shipment.pk}/trace-report/", headers={"Accept-Language": "es"}))

    assert rows[0][0] == "Embarque"
    header = rows[4]
    assert rows[5][header.index("Estado")] == "seco"


def test_another_cooperatives_report_is_not_there(api, other_manager, shipment):  # noqa: F811
    assert api(other_manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/").status_code == 404


def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(api, manager, shipment):  # noqa: F811
    shipment.number = '=HYPERLINK("http://evil.example","x")'
    shipment.save(update_fields=["number"])
    Plot.objects.filter(code="P-001").update(name="=1+1")

    response = api(manager).get(f"/api/v1/shipments/{shipment.pk}/trace-report/")

    sheet = load_workbook(io.BytesIO(response.content)).active
    number, plot_name = sheet["B1"], sheet.cell(row=6, column=[c.value for c in sheet[5]].index("Plot") + 1)
    assert (number.data_type, number.value) == ("s", '\'=HYPERLINK("http://evil.example","x")')
    assert (plot_name.data_type, plot_name.value) == ("s", "'=1+1")
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
