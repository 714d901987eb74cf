"""The premium report as a spreadsheet, from the same selector as the page and the API."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cooperatives.documents import XLSX
from cooperatives.spreadsheets import neutralise_formula


def filename(cooperative, year):
    return f"fairtrade-premium-{cooperative.code}-{year}.xlsx"


def premium_response(report, *, cooperative):
    """The report's spreadsheet as a download, as the page, the API and the admin answer it."""
    response = HttpResponse(premium_workbook(report, cooperative=cooperative), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(cooperative, report.year)}"'
    return response


def _money(value):
    return None if value is None else float(value)


def premium_workbook(report, *, cooperative):
    """XLSX bytes: the year's balance, then the premium per shipment, then the spending per project."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Premium %(year)s") % {"year": report.year}
    bold = Font(bold=True)

    def heading(*cells):
        sheet.append(list(cells))
        for cell in sheet[sheet.max_row]:
            cell.font = bold

    heading(_("Fairtrade premium report"), neutralise_formula(cooperative.name), report.year)
    sheet.append([_("Brought forward (USD)"), _money(report.brought_forward_usd)])
    sheet.append([_("Received in the year (USD)"), _money(report.received_in_year_usd)])
    sheet.append([_("Spent in the year (USD)"), _money(report.spent_in_year_usd)])
    sheet.append([_("Carried forward (USD)"), _money(report.carried_forward_usd)])
    sheet.append([])
    heading(
        _("Shipment"),
        _("Departure date"),
        _("Contract signed on"),
        _("Net weight (kg)"),
        _("Premium (USD/t)"),
        _("Owed (USD)"),
        _("Received (USD)"),
        _("Outstanding (USD)"),
    )
    for line in report.shipments:
        sheet.append(
            [
                neutralise_formula(line.shipment.number),
                line.shipment.departure_date,
                line.priced_on,
                float(line.shipment.net_kg),
                _money(line.premium_usd_per_t),
                _money(line.owed_usd),
                _money(line.received_usd),
                _money(line.outstanding_usd),
            ]
        )
    sheet.append(
        [
            _("Total"),
            None,
            None,
            None,
            None,
            *map(_money, (report.owed_usd, report.received_for_shipments_usd, report.outstanding_usd)),
        ]
    )
    sheet.append([])
    heading(
        _("Project"),
        _("Plan"),
        _("Approved on"),
        _("Budget (USD)"),
        _("Spent in the year (USD)"),
        _("Spent to date (USD)"),
        _("Budget left (USD)"),
    )
    for line in report.projects:
        project = line.project
        sheet.append(
            [
                neutralise_formula(project.name),
                project.plan.year,
                project.approved_on,
                _money(project.budget_usd),
                _money(line.spent_in_year_usd),
                _money(project.spent_usd),
                _money(line.remaining_budget_usd),
            ]
        )
    for row in sheet.iter_rows():
        for cell in row:
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
