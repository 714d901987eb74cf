"""Importing a cooperative's families from CSV and XLSX: producers/imports.py and import_producers."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from cooperatives import spreadsheets
from cooperatives.spreadsheets import ImportFileError
from producers.imports import producers_export, producers_import, producers_template
from producers.models import Producer
from tests import factories

# A family list as a cooperative's office keeps it: Spanish headers with accents, mixed case,
# "Nº DNI", a CUI with its check character, sex and district written in words.
SPANISH_HEADERS = [
    "Código",
    "Nº DNI",
    "NOMBRES",
    "apellidos",
    "Sexo",
    "Fecha de Nacimiento",
    "Teléfono",
    "Caserío",
    "Distrito",
    "Fecha de ingreso",
]
SPANISH_ROWS = [
    [
        "AV-001",
        "41234567",
        "Rosa Elvira",
        "Tapullima Sangama",
        "F",
        "14/05/1978",
        "987 654 321",
        "Aguas Verdes",
        "220904",
        "01/03/2015",
    ],
    [
        "AV-002",
        "10812543-3",
        "Segundo",
        "Peñaloza Ríos",
        "masculino",
        "1980-02-29",
        "",
        "Shilcayo",
        "chazuta",
        "15/08/2019",
    ],
    [
        "AV-003",
        "05414828",
        "María Jesús",
        "Amasifuén Tuanama",
        "Femenino",
        "",
        "+51 942 111 222",
        "Aguas Verdes",
        "Chazuta",
        "",
    ],
]


def csv_bytes(headers, rows, encoding="utf-8-sig", delimiter=";"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def many_rows(count):
    return [[f"AV-{n:05d}", "", "Rosa", "Tapullima", "F", "", "", "", "220904", ""] for n in range(count)]


def count_rows_read(monkeypatch, owner, name):
    """Count the rows pulled from `owner.name`, a function that yields rows: [count], updated as they are read."""
    original = getattr(owner, name)
    read = [0]

    def counted(*args, **kwargs):
        for row in original(*args, **kwargs):
            read[0] += 1
            yield row

    monkeypatch.setattr(owner, name, counted)
    return read


def xlsx_bytes(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def family_rows(cooperative):
    return list(
        Producer.objects.for_cooperative(cooperative)
        .order_by("dni")
        .values_list(
            "code",
            "dni",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "phone",
            "community",
            "district_id",
            "entry_date",
            "status",
        )
    )


def error_lines(report):
    return [str(error) for error in report.errors]


@pytest.mark.django_db
class TestItImports:
    def test_it_imports_the_families_of_a_spanish_csv_with_accents_and_mixed_case(self, coop):
        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS), filename="s.csv")

        assert error_lines(report) == []
        assert (report.new, report.updated, report.unchanged, report.written) == (3, 0, 0, True)
        rosa, segundo, maria = (Producer.objects.get(cooperative=coop, code=c) for c in ["AV-001", "AV-002", "AV-003"])
        assert (rosa.dni, rosa.sex, rosa.birth_date, str(rosa.phone)) == (
            "41234567",
            "F",
            datetime.date(1978, 5, 14),
            "+51987654321",
        )
        assert (segundo.dni, segundo.sex, segundo.last_name, segundo.district_id) == (
            "10812543",
            "M",
            "Peñaloza Ríos",
            factories.CHAZUTA,
        )
        assert (maria.sex, maria.birth_date, maria.entry_date, str(maria.phone)) == ("F", None, None, "+51942111222")
        assert rosa.status == Producer.Status.APPLICANT

    def test_it_imports_an_xlsx_with_english_headers_and_spreadsheet_dates_and_numbers(self, coop):
        headers = ["DNI", "First name", "Last name", "code", "SEX", "Birth date", "Phone", "Community", "Ubigeo"]
        rows = [
            [
                5414828,
                "Rosa",
                "Sangama",
                "X-1",
                "female",
                datetime.datetime(1978, 5, 14),
                987654321,
                "Pucallpillo",
                220904,
            ],
            ["41234567", "Juan", "Tuanama", "X-2", "M", "1990-01-31", None, None, "220904"],
        ]

        report = producers_import(cooperative=coop, content=xlsx_bytes(headers, rows), filename="families.xlsx")

        assert error_lines(report) == []
        assert report.new == 2
        rosa = Producer.objects.get(cooperative=coop, code="X-1")
        assert (rosa.dni, rosa.birth_date, str(rosa.phone), rosa.district_id) == (
            "05414828",
            datetime.date(1978, 5, 14),
            "+51987654321",
            factories.CHAZUTA,
        )

    def test_reimporting_the_same_file_updates_and_never_duplicates(self, coop):
        producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))
        changed = [list(row) for row in SPANISH_ROWS]
        changed[0][7] = "Nuevo Progreso"

        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, changed))

        assert error_lines(report) == []
        assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
        assert Producer.objects.for_cooperative(coop).count() == 3
        assert Producer.objects.get(cooperative=coop, dni="41234567").community == "Nuevo Progreso"

    def test_it_never_touches_another_cooperatives_family_with_the_same_dni(self, coop, other_coop):
        theirs = factories.ProducerFactory(cooperative=other_coop, dni="41234567", community="Otra")

        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS[:1]))

        assert report.new == 1
        theirs.refresh_from_db()
        assert theirs.community == "Otra"
        assert Producer.objects.get(cooperative=coop, dni="41234567").community == "Aguas Verdes"

    def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(self, coop):
        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS), dry_run=True)

        assert (report.new, report.errors, report.written) == (3, [], False)
        assert Producer.objects.count() == 0

    def test_it_reads_a_latin_1_csv_with_its_accents(self, coop):
        content = csv_bytes(SPANISH_HEADERS, SPANISH_ROWS, encoding="cp1252", delimiter=",")

        report = producers_import(cooperative=coop, content=content)

        assert error_lines(report) == []
        assert Producer.objects.get(cooperative=coop, code="AV-002").last_name == "Peñaloza Ríos"


@pytest.mark.django_db
class TestItRefuses:
    def assert_refused(self, coop, content, message):
        with pytest.raises(ImportFileError) as raised:
            producers_import(cooperative=coop, content=content)
        assert str(raised.value) == message
        assert Producer.objects.count() == 0

    def test_a_file_whose_encoding_cannot_be_read(self, coop):
        self.assert_refused(
            coop,
            b"DNI;Nombres\n\x81\x02\x03;\x90\n",
            "The file's encoding could not be read: save it as “CSV UTF-8” or as XLSX.",
        )

    def test_a_utf_16_text_file(self, coop):
        self.assert_refused(
            coop,
            "DNI\tNombres\n".encode("utf-16"),
            "The file is not a CSV text file: save it as “CSV UTF-8” or as XLSX.",
        )

    def test_an_empty_file(self, coop):
        self.assert_refused(coop, b"", "The file is empty.")
        self.assert_refused(coop, b"\n;;;\n\n", "The file is empty.")

    def test_a_file_with_headers_and_no_rows(self, coop):
        self.assert_refused(coop, csv_bytes(SPANISH_HEADERS, []), "The file has headers but no rows.")

    def test_a_file_over_the_size_limit(self, coop, monkeypatch):
        monkeypatch.setattr(spreadsheets.reading, "MAX_IMPORT_BYTES", 1024 * 1024)
        self.assert_refused(
            coop,
            b"x" * (3 * 1024 * 1024 // 2),
            "The file is 1.5 MB; the limit is 1 MB. Split it into smaller files.",
        )

    def test_a_file_with_too_many_rows(self, coop, monkeypatch):
        monkeypatch.setattr(spreadsheets.reading, "MAX_IMPORT_ROWS", 2)
        self.assert_refused(
            coop,
            xlsx_bytes(SPANISH_HEADERS, SPANISH_ROWS),
            "The file has more rows than the limit of 2. Split it into smaller files.",
        )

    def test_a_huge_xlsx_is_refused_without_reading_past_the_row_after_the_limit(self, coop, monkeypatch):
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        monkeypatch.setattr(spreadsheets.reading, "MAX_IMPORT_ROWS", 10)
        read = count_rows_read(monkeypatch, ReadOnlyWorksheet, "_cells_by_row")
        content = xlsx_bytes(SPANISH_HEADERS, many_rows(5000))

        self.assert_refused(coop, content, "The file has more rows than the limit of 10. Split it into smaller files.")
        assert read == [12]  # the headers, the 10 rows the limit allows, and one more

    def test_a_huge_csv_is_refused_without_reading_past_the_row_after_the_limit(self, coop, monkeypatch):
        monkeypatch.setattr(spreadsheets.reading, "MAX_IMPORT_ROWS", 10)
        read = count_rows_read(monkeypatch, spreadsheets.reading.csv, "reader")
        content = csv_bytes(SPANISH_HEADERS, many_rows(5000))

        self.assert_refused(coop, content, "The file has more rows than the limit of 10. Split it into smaller files.")
        assert read == [12]

    def test_a_file_of_as_many_rows_as_the_limit_is_read_whole(self, coop, monkeypatch):
        monkeypatch.setattr(spreadsheets.reading, "MAX_IMPORT_ROWS", 3)

        report = producers_import(cooperative=coop, content=xlsx_bytes(SPANISH_HEADERS, SPANISH_ROWS))

        assert (report.errors, report.new, report.written) == ([], 3, True)

    def test_a_sheet_that_claims_16384_columns_is_read_only_as_wide_as_its_cells(self, coop, monkeypatch):
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        workbook = load_workbook(io.BytesIO(xlsx_bytes(SPANISH_HEADERS, SPANISH_ROWS)))
        # One formatted cell far away, and the sheet declares itself A1:XFD1000.
        workbook.active.cell(row=1000, column=16384).number_format = "0.00"
        out = io.BytesIO()
        workbook.save(out)
        cells = []
        original = ReadOnlyWorksheet._cells_by_row

        def measured(*args, **kwargs):
            for row in original(*args, **kwargs):
                cells.append(len(row))
                yield row

        monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", measured)

        report = producers_import(cooperative=coop, content=out.getvalue(), filename="familias.xlsx")

        assert (report.errors, report.new) == ([], 3)
        # The far row's 16,384 cells and at most 10 for each written row, not every one of the 1,000 rows
        # padded to 16,384 cells (16 million Nones).
        assert (len(cells), max(cells), sum(cells) <= 16384 + 4 * 10) == (1000, 16384, True)

    def test_a_file_missing_required_columns_and_names_them(self, coop):
        # The member code and the district may be missing (see test_member_lists): not the sex or the names.
        headers = [h for h in SPANISH_HEADERS if h not in ("Sexo", "NOMBRES", "Código", "Distrito")]
        rows = [[v for h, v in zip(SPANISH_HEADERS, row, strict=True) if h in headers] for row in SPANISH_ROWS]
        self.assert_refused(
            coop,
            csv_bytes(headers, rows),
            "Missing columns: Nombres, Sexo. Download the template to see the expected headers.",
        )

    def test_a_file_that_is_not_a_spreadsheet(self, coop):
        self.assert_refused(
            coop, b"PK\x03\x04 not a zip", "The file could not be read as XLSX: save it again from the spreadsheet."
        )


@pytest.mark.django_db
class TestRowErrors:
    """Every row's errors, by row (the headers are row 1) and column as written; nothing written."""

    def import_rows(self, coop, rows, **kwargs):
        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, rows), **kwargs)
        assert report.written is False
        assert Producer.objects.count() == 0
        return error_lines(report)

    def test_duplicate_dnis_name_both_rows(self, coop):
        rows = [SPANISH_ROWS[0], SPANISH_ROWS[1], ["AV-009", *SPANISH_ROWS[0][1:]]]

        assert self.import_rows(coop, rows) == [
            'Row 2, column "Nº DNI": The DNI 41234567 is in rows 2, 4: each family is one row.',
            'Row 4, column "Nº DNI": The DNI 41234567 is in rows 2, 4: each family is one row.',
        ]

    def test_an_invalid_dni_stops_the_whole_file(self, coop):
        rows = [
            SPANISH_ROWS[0],
            ["AV-002", "1234567", *SPANISH_ROWS[1][2:]],
            ["AV-003", "4123456X", *SPANISH_ROWS[2][2:]],
        ]

        assert self.import_rows(coop, rows) == [
            'Row 3, column "Nº DNI": A DNI has 8 digits (9 with the check character of the CUI).',
            'Row 4, column "Nº DNI": A DNI has digits only.',
        ]

    def test_a_cui_whose_check_character_is_wrong(self, coop):
        rows = [["AV-002", "10812543-4", *SPANISH_ROWS[1][2:]]]

        assert self.import_rows(coop, rows) == [
            'Row 2, column "Nº DNI": The check character does not match this DNI: please check the number.'
        ]

    def test_text_in_a_date_column(self, coop):
        rows = [[*SPANISH_ROWS[0][:5], "ayer", *SPANISH_ROWS[0][6:]]]

        assert self.import_rows(coop, rows) == [
            'Row 2, column "Fecha de Nacimiento": Write the date as day/month/year, e.g. 14/05/1978; got "ayer".'
        ]

    def test_the_models_own_rules_and_several_errors_in_a_row(self, coop):
        future = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
        rows = [
            ["AV-001", "41234567", "", "Tapullima", "X", future, "12", "", "999999", ""],
            SPANISH_ROWS[1],
        ]

        assert self.import_rows(coop, rows) == [
            'Row 2, column "Sexo": Write the sex as F or M; got "X".',
            'Row 2, column "Teléfono": "12" is not a valid phone number.',
            'Row 2, column "Distrito": No district has the INEI ubigeo "999999".',
            'Row 2, column "NOMBRES": This field cannot be blank.',
            'Row 2, column "Fecha de Nacimiento": The birth date cannot be in the future.',
        ]

    def test_a_member_code_taken_by_another_family(self, coop):
        factories.ProducerFactory(cooperative=coop, code="AV-001", dni="40000099")

        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))

        assert error_lines(report) == ["Row 2: Producer with this Cooperative and Member code already exists."]
        assert Producer.objects.count() == 1


@pytest.mark.django_db
class TestTemplateAndRoundTrip:
    def test_exporting_and_importing_into_a_fresh_cooperative_gives_the_same_families(self, coop, other_coop):
        factories.ProducerFactory(cooperative=coop, phone="+51987654321", first_name="Ñuque Élida")
        factories.ProducerFactory(cooperative=coop, sex="M", birth_date=None, entry_date=None, community="")
        factories.ProducerFactory(cooperative=coop, status=Producer.Status.WITHDRAWN)

        for file_format in ["xlsx", "csv"]:
            fresh = factories.CooperativeFactory()
            content = producers_export(cooperative=coop, file_format=file_format)

            report = producers_import(cooperative=fresh, content=content, filename=f"export.{file_format}")

            assert (error_lines(report), report.new) == ([], 3)
            assert family_rows(fresh) == family_rows(coop)

    def test_an_export_keeps_formulas_as_text_and_imports_them_back_unchanged(self, coop, other_coop):
        factories.ProducerFactory(cooperative=coop, first_name='=HYPERLINK("http://x.example","Rosa")')
        factories.ProducerFactory(cooperative=coop, community="@SUM(1+1)", phone="+51987654321")

        content = producers_export(cooperative=coop, file_format="xlsx")

        cells = [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]
        assert "f" not in {cell.data_type for cell in cells}
        assert {cell.value for cell in cells} >= {
            '\'=HYPERLINK("http://x.example","Rosa")',
            "'@SUM(1+1)",
            "+51987654321",
        }
        assert b"'=HYPERLINK" in producers_export(cooperative=coop, file_format="csv")
        producers_import(cooperative=other_coop, content=content)
        assert family_rows(other_coop) == family_rows(coop)

    def test_the_template_has_the_spanish_headers_and_its_example_imports(self, coop):
        template = producers_template("xlsx")
        headers = [cell.value for cell in next(load_workbook(io.BytesIO(template)).active.iter_rows())]

        assert headers == [
            "Código",
            "DNI",
            "Nombres",
            "Apellidos",
            "Sexo",
            "Fecha de nacimiento",
            "Celular",
            "Caserío",
            "Distrito",
            "Fecha de ingreso",
            "Estado",
        ]
        for file_format in ["xlsx", "csv"]:
            report = producers_import(cooperative=coop, content=producers_template(file_format), dry_run=True)
            assert (error_lines(report), report.new) == ([], 1)


@pytest.mark.django_db
class TestCommand:
    def test_a_dry_run_prints_the_summary_and_writes_nothing(self, coop, tmp_path):
        path = tmp_path / "socios.csv"
        path.write_bytes(csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))
        out = io.StringIO()

        call_command("import_producers", str(path), "--cooperative", coop.code, "--dry-run", stdout=out)

        assert out.getvalue() == ("New: 3. Updated: 0. Unchanged: 0. Errors: 0.\nDry run: nothing was written.\n")
        assert Producer.objects.count() == 0

    def test_it_imports_and_then_reports_unchanged(self, coop, tmp_path):
        path = tmp_path / "socios.xlsx"
        path.write_bytes(xlsx_bytes(SPANISH_HEADERS, SPANISH_ROWS))

        call_command("import_producers", str(path), "--cooperative", coop.code, stdout=io.StringIO())
        out = io.StringIO()
        call_command("import_producers", str(path), "--cooperative", coop.code, stdout=out)

        assert out.getvalue().splitlines()[0] == "New: 0. Updated: 0. Unchanged: 3. Errors: 0."
        assert Producer.objects.for_cooperative(coop).count() == 3

    def test_it_fails_naming_every_bad_row_and_writes_nothing(self, coop, tmp_path):
        path = tmp_path / "socios.csv"
        path.write_bytes(csv_bytes(SPANISH_HEADERS, [SPANISH_ROWS[0], ["AV-002", "123", *SPANISH_ROWS[1][2:]]]))
        err = io.StringIO()

        with pytest.raises(CommandError, match=r"^Nothing was written: correct the rows above"):
            call_command("import_producers", str(path), "--cooperative", coop.code, stdout=io.StringIO(), stderr=err)

        assert err.getvalue() == (
            'Row 3, column "Nº DNI": A DNI has 8 digits (9 with the check character of the CUI).\n'
        )
        assert Producer.objects.count() == 0

    def test_it_refuses_an_unknown_cooperative(self, db, tmp_path):
        path = tmp_path / "socios.csv"
        path.write_bytes(csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))

        with pytest.raises(CommandError, match=r'^No cooperative has the code "nadie"\.$'):
            call_command("import_producers", str(path), "--cooperative", "nadie")


@pytest.mark.django_db
class TestWhatAnImportLeavesBehind:
    """A written import is a change like any other: history, its author, and the membership rules."""

    def test_every_new_family_has_its_history_row_by_the_person_who_imported(self, coop, manager):
        producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS), user=manager)

        history = Producer.history.filter(cooperative=coop)
        assert sorted(history.values_list("dni", "history_type", "history_user")) == [
            ("05414828", "+", manager.pk),
            ("10812543", "+", manager.pk),
            ("41234567", "+", manager.pk),
        ]

    def test_an_updated_family_gets_a_change_row_and_a_new_modified_time(self, coop, manager):
        producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))
        first = Producer.objects.get(cooperative=coop, dni="41234567").modified
        changed = [list(row) for row in SPANISH_ROWS]
        changed[0][7] = "Nuevo Progreso"

        producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, changed), user=manager)

        family = Producer.objects.get(cooperative=coop, dni="41234567")
        assert family.modified > first
        assert list(family.history.order_by("history_date").values_list("history_type", "community")) == [
            ("+", "Aguas Verdes"),
            ("~", "Nuevo Progreso"),
        ]

    def test_a_status_changed_by_the_file_is_kept_in_the_familys_status_history(self, coop, manager):
        headers = [*SPANISH_HEADERS, "Estado"]
        producers_import(cooperative=coop, content=csv_bytes(headers, [[*SPANISH_ROWS[0], "activo"]]))

        report = producers_import(
            cooperative=coop, content=csv_bytes(headers, [[*SPANISH_ROWS[0], "suspendido"]]), user=manager
        )

        assert (error_lines(report), report.updated) == ([], 1)
        family = Producer.objects.get(cooperative=coop, dni="41234567")
        assert family.status == Producer.Status.SUSPENDED
        assert list(family.status_changes.values_list("from_status", "to_status", "changed_by", "reason")) == [
            ("active", "suspended", manager.pk, "Changed by a spreadsheet import.")
        ]

    def test_a_status_step_the_membership_rules_forbid_is_refused_on_its_row(self, coop):
        headers = [*SPANISH_HEADERS, "Estado"]
        producers_import(cooperative=coop, content=csv_bytes(headers, [[*SPANISH_ROWS[0], "retirado"]]))

        report = producers_import(cooperative=coop, content=csv_bytes(headers, [[*SPANISH_ROWS[0], "suspendido"]]))

        assert error_lines(report) == ['Row 2, column "Estado": A family cannot go from withdrawn to suspended.']
        assert Producer.objects.get(cooperative=coop, dni="41234567").status == Producer.Status.WITHDRAWN

    def test_two_new_families_with_one_member_code_are_both_named(self, coop):
        rows = [SPANISH_ROWS[0], ["AV-001", *SPANISH_ROWS[1][1:]]]

        report = producers_import(cooperative=coop, content=csv_bytes(SPANISH_HEADERS, rows))

        assert error_lines(report) == [
            "Row 2: Producer with this Cooperative and Member code already exists.",
            "Row 3: Producer with this Cooperative and Member code already exists.",
        ]
        assert Producer.objects.count() == 0

    def test_progress_is_told_as_the_rows_are_checked_and_when_written(self, coop, monkeypatch):
        monkeypatch.setattr(spreadsheets.importing, "PROGRESS_EVERY", 2)
        told = []

        producers_import(
            cooperative=coop,
            content=csv_bytes(SPANISH_HEADERS, SPANISH_ROWS),
            progress=lambda done, total: told.append((done, total)),
        )

        assert told == [(2, 3), (3, 3)]

    def test_the_files_rows_cost_a_constant_number_of_queries(self, coop, django_assert_max_num_queries):
        many = [
            [f"AV-{i:03d}", f"{41000000 + i:08d}", "Rosa", "Sangama", "F", "", "", "", "220904", ""] for i in range(60)
        ]
        content = csv_bytes(SPANISH_HEADERS, many)

        with django_assert_max_num_queries(12):
            report = producers_import(cooperative=coop, content=content)

        assert (report.new, report.written) == (60, True)


@pytest.mark.django_db
def test_the_command_tells_its_progress_on_stderr_for_a_long_file(coop, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheets.importing, "PROGRESS_EVERY", 2)
    path = tmp_path / "socios.csv"
    path.write_bytes(csv_bytes(SPANISH_HEADERS, SPANISH_ROWS))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_producers", str(path), cooperative=coop.code, stdout=out, stderr=err)

    assert err.getvalue().splitlines() == ["2 of 3 rows…", "3 of 3 rows…"]
    assert "New: 3. Updated: 0. Unchanged: 0. Errors: 0." in out.getvalue()
