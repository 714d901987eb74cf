"""A member list as a cooperative keeps it, imported: its own headers, its dates, no member codes, no district.

The lists are built with openpyxl as an office types them: headers in its own words, a DNI typed as a
number (its leading zero lost), real date cells beside dates typed as text, a phone as a number.
"""

import datetime
import io

import pytest
from openpyxl import Workbook

from cooperatives.spreadsheets import ImportFileError, match_columns
from plots import imports as plot_imports
from producers import imports as family_imports
from producers.imports import producers_import
from producers.models import Producer
from tests import factories

pytestmark = pytest.mark.django_db


def member_list(headers, rows):
    """The bytes of an XLSX as the office saves it: date cells shown as day/month/year."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Padrón de socios"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def error_lines(report):
    return [str(error) for error in report.errors]


def families(cooperative):
    """The families of the lists below (not those a test registered first), by DNI."""
    return list(
        Producer.objects.for_cooperative(cooperative)
        .filter(dni__in=["41234567", "05414828", "10812543"])
        .order_by("dni")
        .values_list("dni", "code", "birth_date", "district_id", "community")
    )


# 1. Every column is read or said to be left out; every date is read or refused saying why.

# The list of an office that names its columns its own way (Allima's "Fecha Nacimiento").
OFFICE_HEADERS = ["Código", "DNI", "Apellidos", "Nombres", "Sexo", "Fecha Nacimiento", "Distrito", "Observaciones"]


def office_rows(*birth_dates):
    people = [
        ["AV-001", "41234567", "Tapullima Sangama", "Rosa Elvira", "F"],
        ["AV-002", 5414828, "Amasifuén Tuanama", "María Jesús", "F"],
        ["AV-003", "10812543", "Peñaloza Ríos", "Segundo", "M"],
    ]
    return [[*person, born, "220904", ""] for person, born in zip(people, birth_dates, strict=True)]


def test_it_reads_a_fecha_nacimiento_column_of_real_date_cells_and_typed_dates():
    coop = factories.CooperativeFactory()
    rows = office_rows(datetime.datetime(1978, 5, 14), "03/11/1985", "1969-07-20")

    report = producers_import(cooperative=coop, content=member_list(OFFICE_HEADERS, rows), filename="padron.xlsx")

    assert (error_lines(report), report.written) == ([], True)
    assert [born for _dni, _code, born, _district, _community in families(coop)] == [
        datetime.date(1985, 11, 3),
        datetime.date(1969, 7, 20),
        datetime.date(1978, 5, 14),
    ]


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(1978, 5, 14),
        datetime.date(1978, 5, 14),
        28624,  # a date cell whose format was lost: its serial number
        "14/05/1978",
        "14-05-1978",
        "14.05.1978",
        "14/5/1978",
        "14/05/78",
        "1978-05-14",
        "1978-05-14 00:00:00",
    ],
)
def test_a_date_is_read_as_peru_writes_it_iso_or_as_a_spreadsheets_date(value):
    coop = factories.CooperativeFactory()
    rows = office_rows("03/11/1985", value, "20/07/1969")

    report = producers_import(cooperative=coop, content=member_list(OFFICE_HEADERS, rows))

    assert error_lines(report) == []
    assert Producer.objects.get(cooperative=coop, dni="05414828").birth_date == datetime.date(1978, 5, 14)


def test_the_report_names_the_columns_read_with_their_field_and_those_left_out():
    coop = factories.CooperativeFactory()
    rows = [[*row, "987654321", "042 52 3456"] for row in office_rows("14/05/1978", "03/11/1985", "20/07/1969")]
    content = member_list([*OFFICE_HEADERS, "Celular", "Teléfono"], rows)

    report = producers_import(cooperative=coop, content=content, dry_run=True)

    assert [(header, str(label)) for header, label in report.columns.read_as()] == [
        ("Código", "Member code"),
        ("DNI", "DNI"),
        ("Apellidos", "Surnames"),
        ("Nombres", "First names"),
        ("Sexo", "Sex"),
        ("Fecha Nacimiento", "Birth date"),
        ("Distrito", "District"),
        ("Celular", "Phone"),
    ]
    assert report.columns.ignored == [
        ("Observaciones", "no field of the template; name it as the template does to have it read"),
        ("Teléfono", 'its field is read from "Celular" already'),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/1988", '"31/02/1988" is not a date: February 1988 has 29 days.'),
        ("29/02/1987", '"29/02/1987" is not a date: February 1987 has 28 days.'),
        ("31/04/1990", '"31/04/1990" is not a date: April 1990 has 30 days.'),
        ("05/14/1978", '"05/14/1978" is not a date: there is no month 14. Write the date as day/month/year.'),
        ("1988-02-30", '"1988-02-30" is not a date: February 1988 has 29 days.'),
        (1978, 'Write the date as day/month/year, e.g. 14/05/1978; got "1978".'),
    ],
)
def test_an_impossible_date_is_refused_on_its_row_and_column_and_nothing_is_written(value, message):
    coop = factories.CooperativeFactory()
    content = member_list(OFFICE_HEADERS, office_rows("14/05/1978", value, "20/07/1969"))

    report = producers_import(cooperative=coop, content=content)

    assert (error_lines(report), report.written) == ([f'Row 3, column "Fecha Nacimiento": {message}'], False)
    assert Producer.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Fecha Nacimiento", "birth_date"),
        ("Fecha de nacimiento", "birth_date"),
        ("FECHA DE NACIMIENTO", "birth_date"),
        ("F. Nac.", "birth_date"),
        ("Fec. Nac.", "birth_date"),
        ("F. de Nacimiento", "birth_date"),
        ("Nacimiento", "birth_date"),
        ("Fecha de nacimiento (dd/mm/aaaa)", "birth_date"),
        ("Birth date", "birth_date"),
        ("Celular", "phone"),
        ("Teléfono", "phone"),
        ("Telf.", "phone"),
        ("N° Celular", "phone"),
        ("Phone", "phone"),
        ("Comunidad", "community"),
        ("Caserío", "community"),
        ("CASERIO", "community"),
        ("Sector", "community"),
        ("Community", "community"),
        ("Sexo", "sex"),
        ("Sexo (F/M)", "sex"),
        ("Género", "sex"),
        ("Gender", "sex"),
        ("Apellidos", "last_name"),
        ("Apellido", "last_name"),
        ("Surname", "last_name"),
        ("Nombres", "first_name"),
        ("Nombre", "first_name"),
        ("First name", "first_name"),
        ("Fecha de ingreso", "entry_date"),
        ("F. Ingreso", "entry_date"),
        ("Fecha de afiliación", "entry_date"),
        ("Entry date", "entry_date"),
        ("Código", "code"),
        ("Cód. socio", "code"),
        ("Código de socio", "code"),
        ("Cod.", "code"),
        ("N° de socio", "code"),
        ("Nro. socio", "code"),
        ("Member code", "code"),
        ("Distrito", "district"),
        ("Ubigeo", "district"),
        ("Cód. Ubigeo", "district"),
        ("District", "district"),
        ("DNI", "dni"),
        ("Nº DNI", "dni"),
        ("N° DNI", "dni"),
        ("Nro. DNI", "dni"),
        ("D.N.I.", "dni"),
        ("Documento de identidad", "dni"),
        ("Estado", "status"),
        ("Condición", "status"),
    ],
)
def test_it_reads_the_usual_spellings_of_each_column(header, field):
    found = match_columns([header], family_imports.COLUMNS, required=[])

    assert (found.read, found.ignored) == ([(header, field)], [])


def test_a_column_it_does_not_know_is_left_out_not_taken_for_another():
    found = match_columns(["DNI del cónyuge", "Nº", "Socio", "Fecha"], family_imports.COLUMNS, required=[])

    assert [header for header, _why in found.ignored] == ["DNI del cónyuge", "Nº", "Socio", "Fecha"]


@pytest.mark.parametrize("columns", [family_imports.COLUMNS, plot_imports.COLUMNS], ids=["families", "plots"])
def test_no_spelling_of_a_column_stands_for_two_fields(columns):
    from cooperatives.spreadsheets import column_key

    fields_of = {}
    for name, (header, others) in columns.items():
        for text in [header, *others]:
            fields_of.setdefault(column_key(text), set()).add(name)

    assert {key: names for key, names in fields_of.items() if len(names) > 1} == {}


def test_a_file_missing_a_column_says_which_columns_it_read():
    coop = factories.CooperativeFactory()
    headers = ["Código", "DNI", "Apellidos y Nombres", "Sexo", "Distrito"]
    content = member_list(headers, [["AV-001", "41234567", "Tapullima Sangama, Rosa", "F", "220904"]])

    with pytest.raises(ImportFileError) as refused:
        producers_import(cooperative=coop, content=content)

    assert str(refused.value) == (
        "Missing columns: Nombres, Apellidos. Download the template to see the expected headers."
    )
    assert refused.value.columns.read == [("Código", "code"), ("DNI", "dni"), ("Sexo", "sex"), ("Distrito", "district")]
    assert [header for header, _why in refused.value.columns.ignored] == ["Apellidos y Nombres"]
