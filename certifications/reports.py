"""The ICS member list and the approved member list for certifiers, as XLSX and PDF, from certifications.selectors."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cooperatives.documents import PDF, XLSX, pdf_from_html
from cooperatives.spreadsheets import neutralise_formula
from plots.models import ConversionStatus
from producers.models import MembershipStatus, Sex

from .models import ApprovalDecision, Inspection, SanctionKind, standard_name


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else value


def _number(value):
    return "" if value is None else float(value)


def _certificates(coverages):
    return ", ".join(f"{c['standard']} {c['number']}" for c in coverages)


def _exclusions(coverages):
    return ", ".join(f"{c['standard']} {c['number']} ({_date(c['excluded_on'])})" for c in coverages)


def _sanction(row):
    label = _label(SanctionKind, row["sanction"])
    if row["plot"]:
        label = _("%(sanction)s %(plot)s") % {"sanction": label, "plot": row["plot"]}
    return _("%(sanction)s (%(date)s)") % {"sanction": label, "date": _date(row["date"])}


def _flags(family, season):
    """The plausibility flags that name the family, each with the figures that explain it."""
    flags = family.get("plausibility", {})
    for flag in flags.get("over_yield", []):
        yield _(
            "%(delivered)s kg certified in %(season)s against %(plausible)s kg plausible (tolerance %(tolerance)s %%)"
        ) % {
            "delivered": number_format(flag.delivered_kg, 0, force_grouping=True),
            "season": season,
            "plausible": number_format(flag.plausible_kg, 0, force_grouping=True),
            "tolerance": number_format(flag.tolerance_pct, 0),
        }
    for flag in flags.get("overlaps", []):
        mine, other = (
            (flag.plot_code, flag.other_plot_code)
            if flag.producer_id == family["id"]
            else (flag.other_plot_code, flag.plot_code)
        )
        yield _("plot %(plot)s overlaps %(other)s by %(area)s m²") % {
            "plot": mine,
            "other": other,
            "area": number_format(flag.overlap_m2, 0, force_grouping=True),
        }
    for flag in flags.get("outside_district", []):
        yield _("plot %(plot)s reaches %(distance)s m outside %(district)s") % {
            "plot": flag.plot_code,
            "distance": number_format(flag.distance_m, 0, force_grouping=True),
            "district": flag.district_name,
        }
    for flag in flags.get("over_holding", []):
        yield _("holds %(hectares)s ha, over the %(limit)s ha of an organic group member") % {
            "hectares": number_format(flag.hectares, 2),
            "limit": number_format(flag.limit_ha, 0),
        }


def member_table(members):
    """(headers, rows) of the ICS member list: one row per family and plot, in the active language.

    One row per plot, the family's columns repeated on each, because a certifier filters,
    sorts and sums the register by plot (areas, conversion, exclusions are per plot) and a
    filtered row must still say whose plot it is; a family without plots keeps one row.
    `members` is certifications.selectors.ics_member_list's answer (or approved_member_list's,
    whose families carry their approval): the DNI column only when it carries DNIs. The XLSX and
    the PDF are both written from this table, so they say the same.
    """
    with_dni = any("dni" in family for family in members["families"])
    with_approval = "year" in members
    headers = [
        _("Member code"),
        _("Family"),
        *([_("DNI")] if with_dni else []),
        _("Sex"),
        _("Community"),
        _("District"),
        _("Status"),
        _("Entry date"),
        _("Plot code"),
        _("Plot"),
        _("Declared area (ha)"),
        _("Measured area (ha)"),
        _("Conversion status"),
        _("Conversion start"),
        _("Certificates of the family"),
        _("Family excluded from"),
        _("Certificates of the plot"),
        _("Plot excluded from"),
        _("Last internal inspection"),
        _("Decision"),
        _("Open non-conformities"),
        _("Sanctions"),
        _("Plausibility flags"),
        *([_("Approval"), _("Approved on")] if with_approval else []),
    ]
    rows = []
    for family in members["families"]:
        last = family["last_inspection"]
        before = [
            family["code"],
            f"{family['last_name']}, {family['first_name']}",
            *([family.get("dni", "")] if with_dni else []),
            _label(Sex, family["sex"]),
            family["community"],
            family["district"],
            _label(MembershipStatus, family["status"]),
            _date(family["entry_date"]),
        ]
        after = [
            _date(last["date"]) if last else "",
            _label(Inspection.Decision, last["decision"]) if last else "",
            family["open_non_conformities"],
            "; ".join(_sanction(row) for row in family["sanctions"]),
            "; ".join(_flags(family, members["season"])),
        ]
        if with_approval:
            approval = family["approval"]
            after += [_label(ApprovalDecision.Decision, approval["decision"]), _date(approval["decided_on"])]
        for plot in family["plots"] or [None]:
            rows.append([*before, *_plot_cells(family, plot), *after])
    return headers, rows


def _title(members):
    if "year" in members:
        return _("Approved member list %(standard)s %(year)s") % {
            "standard": standard_name(members["standard"]["name"]),
            "year": members["year"],
        }
    return _("ICS member list")


def ics_member_workbook(members):
    """The ICS member list (or the approved member list) as XLSX bytes, from member_table.

    Text a spreadsheet would run as a formula is written as text.
    """
    headers, rows = member_table(members)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Approved members") if "year" in members else _("ICS member list"))
    bold = Font(bold=True)
    sheet.append([_("Cooperative"), neutralise_formula(members["cooperative"])])
    if "year" in members:
        sheet.append([_("Standard"), standard_name(members["standard"]["name"])])
        sheet.append([_("Year"), members["year"]])
    else:
        certificate = members["certificate"]
        sheet.append(
            [_("Certificate"), f"{certificate['standard']} {certificate['number']}" if certificate else _("all")]
        )
    sheet.append([_("Situation on"), _date(members["on"])])
    sheet.append([])
    sheet.append([_bold(sheet, text, bold) for text in headers])
    for cells in rows:
        sheet.append([neutralise_formula(value) for value in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def member_list_pdf(members):
    """The approved member list (or the ICS member list) as PDF bytes, A4 landscape, in the active language."""
    headers, rows = member_table(members)
    # Up to 26 columns share the page, so free text may break inside a long word (a certificate
    # number, a community's name); codes, DNIs, dates and figures never do.
    free_text = {
        _("Family"),
        _("Community"),
        _("Plot"),
        _("Certificates of the family"),
        _("Family excluded from"),
        _("Certificates of the plot"),
        _("Plot excluded from"),
        _("Sanctions"),
        _("Plausibility flags"),
    }
    wraps = [header in free_text for header in headers]
    html = render_to_string(
        "certifications/member_list_pdf.html",
        {
            "title": _title(members),
            "members": members,
            "on": _date(members["on"]),
            "headers": headers,
            "rows": [
                [("" if value is None else value, wrap) for value, wrap in zip(row, wraps, strict=True)] for row in rows
            ],
            "LANGUAGE_CODE": get_language(),
        },
    )
    return pdf_from_html(html)


def member_list_download(members, *, name, file_format="xlsx"):
    """The member list as an attachment `name`.pdf (file_format "pdf") or `name`.xlsx: the pages, the
    admin and the API answer the same file."""
    if file_format == "pdf":
        response = HttpResponse(member_list_pdf(members), content_type=PDF)
    else:
        file_format = "xlsx"
        response = HttpResponse(ics_member_workbook(members), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _plot_cells(family, plot):
    family_cells = [_certificates(family["certificates"]), _exclusions(family["exclusions"])]
    if plot is None:
        return ["", "", "", "", "", "", *family_cells, "", ""]
    return [
        plot["code"],
        plot["name"],
        _number(plot["declared_area_ha"]),
        _number(plot["measured_area_ha"]),
        _label(ConversionStatus, plot["conversion_status"]),
        _date(plot["conversion_start"]),
        *family_cells,
        _certificates(plot["certificates"]),
        _exclusions(plot["exclusions"]),
    ]


def _bold(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell
