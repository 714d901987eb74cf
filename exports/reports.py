"""Reports about shipments for buyers and certifiers, built from the same selectors as the API."""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from producers.imports import neutralise_formula


def _yes_no(value):
    return _("yes") if value else _("no")


def trace_workbook(trace):
    """The traceability report of a shipment as XLSX bytes: one row per lot, purchase and plot.

    `trace` is exports.selectors.shipment_trace's answer, so the report says exactly what the
    API's trace says (the family's DNI only when the trace carries it). Text a spreadsheet would
    run as a formula is written as text.
    """
    with_dni = any(
        "dni" in allocation["delivery"]["producer"] for lot in trace["lots"] for allocation in lot["allocations"]
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Traceability"))
    bold = Font(bold=True)
    sheet.append([_("Shipment"), trace["number"]])
    sheet.append([_("Departure date"), date_format(trace["departure_date"], "SHORT_DATE_FORMAT")])
    sheet.append([_("Net weight (kg)"), float(trace["net_kg"])])
    sheet.append([])
    headers = [
        _("Lot"),
        _("Lot kg in the shipment"),
        _("Kg of the purchase in the lot"),
        _("Receipt"),
        _("Date"),
        _("State"),
        _("Net kg"),
        _("Dry kg"),
        _("Organic status"),
        _("Certified as"),
        _("Member code"),
        _("Family"),
        *([_("DNI")] if with_dni else []),
        _("Plot code"),
        _("Plot"),
        _("Declared area (ha)"),
        _("Measured area (ha)"),
        _("Conversion status"),
        _("Certificates"),
        _("Geometry"),
        _("Deforestation result"),
        _("EUDR ready"),
    ]
    sheet.append([_bold(sheet, text, bold) for text in headers])
    for lot in trace["lots"]:
        for allocation in lot["allocations"]:
            delivery = allocation["delivery"]
            family = delivery["producer"]
            purchase = [
                lot["code"],
                float(lot["kg"]),
                float(allocation["kg"]),
                delivery["receipt_number"],
                date_format(delivery["date"], "SHORT_DATE_FORMAT"),
                delivery["state"],
                float(delivery["net_kg"]),
                float(delivery["dry_kg"]),
                delivery["organic_status"],
                ", ".join(delivery["certified_standards"]),
                family["code"],
                f"{family['first_name']} {family['last_name']}",
                *([family.get("dni", "")] if with_dni else []),
            ]
            for plot in delivery["plots"] or [None]:
                sheet.append([neutralise_formula(value) for value in purchase + _plot_cells(plot)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plot_cells(plot):
    if plot is None:
        return [""] * 9
    return [
        plot["code"],
        plot["name"],
        float(plot["declared_area_ha"]),
        float(plot["measured_area_ha"]) if plot["measured_area_ha"] is not None else "",
        plot["certification"]["conversion_status"],
        ", ".join(f"{c['standard']} {c['number']}" for c in plot["certification"]["certificates"]),
        plot["eudr"]["geometry_type"] or "",
        plot["eudr"]["deforestation_result"],
        _yes_no(plot["eudr"]["eudr_ready"]),
    ]


def _bold(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell
