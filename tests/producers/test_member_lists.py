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
from producers.services import member_codes_next
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


# 2. A list without member codes or district: codes in the cooperative's pattern, the cooperative's district.

# A member list as the cooperative keeps it: DNI, names, sex, birth date, community, phone.
KEPT_HEADERS = ["DNI", "Apellidos", "Nombres", "Sexo", "Fecha de nacimiento", "Comunidad", "Celular"]
KEPT_ROWS = [
    [41234567, "Tapullima Sangama", "Rosa Elvira", "F", datetime.datetime(1978, 5, 14), "Aguas Verdes", 987654321],
    ["05414828", "Amasifuén Tuanama", "María Jesús", "Mujer", "03/11/1985", "Shilcayo", "942 111 222"],
    ["10812543", "Peñaloza Ríos", "Segundo", "Varón", "20/07/1969", "Aguas Verdes", None],
]


@pytest.fixture
def coop_numbered(db):
    """A cooperative in Chazuta whose families are numbered ALL-0001, as the demo's are, with gaps."""
    coop = factories.CooperativeFactory(name="Allima Cacao", code="allima", district=factories.chazuta())
    for code in ["ALL-0001", "ALL-0002", "ALL-0007", "ALL-0005"]:
        factories.ProducerFactory(cooperative=coop, code=code)
    return coop


def test_a_list_without_member_codes_or_district_is_imported_with_the_cooperatives_pattern_and_district(coop_numbered):
    other = factories.CooperativeFactory()
    factories.ProducerFactory(cooperative=other, code="ALL-0090")  # another cooperative's numbering

    report = producers_import(
        cooperative=coop_numbered, content=member_list(KEPT_HEADERS, KEPT_ROWS), filename="padron.xlsx"
    )

    assert (error_lines(report), report.new, report.written) == ([], 3, True)
    assert families(coop_numbered) == [
        ("05414828", "ALL-0009", datetime.date(1985, 11, 3), factories.CHAZUTA, "Shilcayo"),
        ("10812543", "ALL-0010", datetime.date(1969, 7, 20), factories.CHAZUTA, "Aguas Verdes"),
        ("41234567", "ALL-0008", datetime.date(1978, 5, 14), factories.CHAZUTA, "Aguas Verdes"),
    ]


def test_the_report_says_which_codes_were_given_and_which_rows_took_the_cooperatives_district(coop_numbered):
    rows = [KEPT_ROWS[0], [*KEPT_ROWS[1], "ALL-0120", "Chazuta"], KEPT_ROWS[2]]

    report = producers_import(
        cooperative=coop_numbered, content=member_list([*KEPT_HEADERS, "Cód. socio", "Distrito"], rows), dry_run=True
    )

    assert [str(note) for note in report.notes] == [
        'Row 2, column "Cód. socio": Member code ALL-0121 given: the row has none.',
        'Row 2, column "Distrito": No district: the cooperative\'s, Chazuta (San Martin, San Martin).',
        'Row 4, column "Cód. socio": Member code ALL-0122 given: the row has none.',
        'Row 4, column "Distrito": No district: the cooperative\'s, Chazuta (San Martin, San Martin).',
    ]
    assert report.summary == [
        "2 new families have no member code: they get ALL-0121 to ALL-0122.",
        "2 new families name no district: they are placed in the cooperative's, Chazuta (San Martin, San Martin).",
    ]
    assert Producer.objects.for_cooperative(coop_numbered).count() == 4


def test_a_code_given_in_the_file_is_kept_and_no_two_rows_get_one_code(coop_numbered):
    rows = [[*KEPT_ROWS[0], ""], [*KEPT_ROWS[1], "ALL-0008"], [*KEPT_ROWS[2], ""]]

    report = producers_import(cooperative=coop_numbered, content=member_list([*KEPT_HEADERS, "Código"], rows))

    assert error_lines(report) == []
    assert sorted(code for _dni, code, *_rest in families(coop_numbered)) == ["ALL-0008", "ALL-0009", "ALL-0010"]
    assert Producer.objects.get(cooperative=coop_numbered, dni="05414828").code == "ALL-0008"


def test_a_family_already_registered_keeps_its_code_and_district(coop_numbered):
    registered = factories.ProducerFactory(
        cooperative=coop_numbered, code="ALL-0003", dni="41234567", district_id="220901"
    )

    report = producers_import(cooperative=coop_numbered, content=member_list(KEPT_HEADERS, KEPT_ROWS))

    assert (error_lines(report), report.new, report.updated, report.notes[0].row) == ([], 2, 1, 3)
    registered.refresh_from_db()
    assert (registered.code, registered.district_id, registered.community) == ("ALL-0003", "220901", "Aguas Verdes")


def test_a_district_the_row_names_wrongly_is_an_error_not_the_cooperatives(coop_numbered):
    rows = [[*KEPT_ROWS[0], "Chazutaa"]]

    report = producers_import(cooperative=coop_numbered, content=member_list([*KEPT_HEADERS, "Distrito"], rows))

    assert error_lines(report) == ['Row 2, column "Distrito": No district is called "Chazutaa": write its INEI ubigeo.']


class TestMemberCodesNext:
    """producers.services.member_codes_next: the one place a new family's member code is suggested."""

    def codes(self, cooperative, count=3, **kwargs):
        following = member_codes_next(cooperative=cooperative, **kwargs)
        return [next(following) for _ in range(count)]

    def test_it_continues_after_the_highest_number_in_use_with_its_padding(self, coop_numbered):
        assert self.codes(coop_numbered) == ["ALL-0008", "ALL-0009", "ALL-0010"]

    def test_the_prefix_most_codes_have_wins_over_a_higher_number_elsewhere(self, coop_numbered):
        factories.ProducerFactory(cooperative=coop_numbered, code="T-9000")

        assert self.codes(coop_numbered, 1) == ["ALL-0008"]

    def test_codes_about_to_be_used_are_passed_over(self, coop_numbered):
        assert self.codes(coop_numbered, 2, taken=["ALL-0042", "X"]) == ["ALL-0043", "ALL-0044"]

    def test_unpadded_numbers_stay_unpadded(self, db):
        coop = factories.CooperativeFactory()
        for code in ["S-8", "S-9", "S-10"]:
            factories.ProducerFactory(cooperative=coop, code=code)

        assert self.codes(coop, 2) == ["S-11", "S-12"]

    def test_a_cooperative_without_families_starts_from_its_own_code(self, db):
        coop = factories.CooperativeFactory(code="allima")

        assert self.codes(coop, 2) == ["ALL-0001", "ALL-0002"]

    def test_the_demo_cooperative_continues_its_numbering(self, db):
        coop = factories.CooperativeFactory(code="allima")
        # As demo.register numbers the demo's 200 families.
        Producer.objects.bulk_create(
            factories.ProducerFactory.build(cooperative=coop, code=f"ALL-{number:04d}") for number in range(1, 201)
        )

        assert self.codes(coop, 1) == ["ALL-0201"]


def test_the_date_refusal_and_the_codes_given_read_in_spanish_for_a_spanish_office(coop_numbered):
    from django.utils import translation

    rows = [KEPT_ROWS[0], [*KEPT_ROWS[1][:4], "31/02/1988", *KEPT_ROWS[1][5:]]]
    with translation.override("es"):
        refused = producers_import(cooperative=coop_numbered, content=member_list(KEPT_HEADERS, rows))
        taken = producers_import(cooperative=coop_numbered, content=member_list(KEPT_HEADERS, KEPT_ROWS[:1]))

        assert error_lines(refused) == [
            'Fila 3, columna "Fecha de nacimiento": "31/02/1988" no es una fecha: febrero de 1988 tiene 29 días.'
        ]
        assert taken.summary == [
            "1 familia nueva no tiene código de socio: recibe ALL-0008.",
            "1 familia nueva no indica distrito: se registra en el de la cooperativa, "
            "Chazuta (San Martin, San Martin).",
        ]
