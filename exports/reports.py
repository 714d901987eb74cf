"""Reports about shipments for buyers and certifiers, built from the same selectors as the API."""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cooperatives.documents import pdf_from_html
from cooperatives.spreadsheets import neutralise_formula
from harvests.models import Delivery
from plots.models import ConversionStatus, Plot

from .models import Lot


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
    _append(sheet, [_("Shipment"), trace["number"]])
    _append(sheet, [_("Departure date"), date_format(trace["departure_date"], "SHORT_DATE_FORMAT")])
    _append(sheet, [_("Net weight (kg)"), float(trace["net_kg"])])
    _append(sheet, [])
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
                _label(Delivery.State, delivery["state"]),
                float(delivery["net_kg"]),
                float(delivery["dry_kg"]),
                _label(ConversionStatus, delivery["organic_status"]),
                ", ".join(delivery["certified_standards"]),
                family["code"],
                f"{family['first_name']} {family['last_name']}",
                *([family.get("dni", "")] if with_dni else []),
            ]
            for plot in delivery["plots"] or [None]:
                _append(sheet, purchase + _plot_cells(plot))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append(sheet, cells):
    # Every cell, not only those known to be typed by people: the shipment number is free text too.
    sheet.append([neutralise_formula(value) for value in cells])


def _plot_cells(plot):
    if plot is None:
        return [""] * 9
    return [
        plot["code"],
        plot["name"],
        float(plot["declared_area_ha"]),
        float(plot["measured_area_ha"]) if plot["measured_area_ha"] is not None else "",
        _label(ConversionStatus, plot["certification"]["conversion_status"]),
        ", ".join(f"{c['standard']} {c['number']}" for c in plot["certification"]["certificates"]),
        plot["eudr"]["geometry_type"] or "",
        _label(Plot.DeforestationResult, plot["eudr"]["deforestation_result"]),
        _yes_no(plot["eudr"]["eudr_ready"]),
    ]


def _bold(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


# The traceability report as PDF: the same trace, laid out for printing.


def _kg(value):
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def _ha(value):
    return "" if value is None else number_format(Decimal(value), decimal_pos=4, use_l10n=True, force_grouping=True)


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else value


def trace_document(trace, *, shipment):
    """The trace of `shipment` as display text: what the PDF's template lays out, nothing to compute there."""
    lots = []
    for lot in trace["lots"]:
        purchases = []
        for allocation in lot["allocations"]:
            delivery = allocation["delivery"]
            family = delivery["producer"]
            purchases.append(
                {
                    "receipt_number": delivery["receipt_number"],
                    "date": _date(delivery["date"]),
                    "state": _label(Delivery.State, delivery["state"]),
                    "kg": _kg(allocation["kg"]),
                    "organic_status": _label(ConversionStatus, delivery["organic_status"]),
                    "certified_as": ", ".join(delivery["certified_standards"]),
                    "family": f"{family['code']} {family['first_name']} {family['last_name']}",
                    "dni": family.get("dni"),
                    "plots": [
                        {
                            "code": plot["code"],
                            "name": plot["name"],
                            "declared_area_ha": _ha(plot["declared_area_ha"]),
                            "measured_area_ha": _ha(plot["measured_area_ha"]),
                            "conversion_status": _label(ConversionStatus, plot["certification"]["conversion_status"]),
                            "certificates": ", ".join(
                                f"{c['standard']} {c['number']}" for c in plot["certification"]["certificates"]
                            ),
                            "geometry_type": plot["eudr"]["geometry_type"] or _("no geometry"),
                            "deforestation_result": _label(
                                Plot.DeforestationResult, plot["eudr"]["deforestation_result"]
                            ),
                            "eudr_ready": _yes_no(plot["eudr"]["eudr_ready"]),
                        }
                        for plot in delivery["plots"]
                    ],
                }
            )
        allocated = sum((Decimal(allocation["kg"]) for allocation in lot["allocations"]), Decimal(0))
        lots.append(
            {
                "code": lot["code"],
                "kg": _kg(lot["kg"]),
                "allocated_kg": _kg(allocated),
                "eudr_segregated": _yes_no(lot["eudr_segregated"]),
                "fairtrade_mode": _label(Lot.FairtradeMode, lot["fairtrade_mode"]),
                "purchases": purchases,
            }
        )
    return {
        "cooperative": shipment.cooperative.name,
        "number": trace["number"],
        "departure_date": _date(trace["departure_date"]),
        "buyer": shipment.contract.buyer.name,
        "contract": shipment.contract.number,
        "net_kg": _kg(trace["net_kg"]),
        "lots_kg": _kg(sum((Decimal(lot["kg"]) for lot in trace["lots"]), Decimal(0))),
        "purchases": sum(len(lot["purchases"]) for lot in lots),
        "lots": lots,
        "with_dni": any(p["dni"] is not None for lot in lots for p in lot["purchases"]),
        "printed_on": _date(timezone.localdate()),
    }


def trace_pdf(trace, *, shipment):
    """The traceability report of `shipment` as PDF bytes, A4 landscape, in the active language.

    `trace` is exports.selectors.shipment_trace's answer, as for trace_workbook: the PDF, the
    spreadsheet and the API's trace say the same.
    """
    html = render_to_string(
        "exports/trace_report.html",
        {"report": trace_document(trace, shipment=shipment), "LANGUAGE_CODE": get_language()},
    )
    return pdf_from_html(html)


def mass_balance_workbook(report):
    """The certified mass balance of a season as XLSX bytes: the page's table (exports.selectors.mass_balance)."""
    from .selectors import mass_balance_table

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Mass balance"))
    bold = Font(bold=True)
    sheet.append([_("Cooperative"), neutralise_formula(report["cooperative"].name)])
    sheet.append([_("Season"), report["season"]])
    sheet.append([])
    sheet.append(
        [_bold(sheet, _("Dry kg"), bold)] + [_bold(sheet, str(row["standard"]), bold) for row in report["rows"]]
    )
    for line in mass_balance_table(report["rows"]):
        sheet.append([str(line["label"]), *(float(value["kg"]) for value in line["values"]), str(line["help"])])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
