"""Importing the plots' attributes from CSV and XLSX: plots/imports.py."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from plots.imports import plots_export, plots_import, plots_template
from plots.models import Plot
from tests import factories

HEADERS = [
    "Código de Parcela",
    "DNI",
    "Nombre",
    "CULTIVO",
    "Variedad",
    "Área (ha)",
    "Año de siembra",
    "Nº plantas",
    "Rendimiento",
    "Tenencia",
    "Distrito",
    "Inicio de conversión",
]


def rows():
    return [
        [
            "AV-001-1",
            "41234567",
            "La Loma",
            "Cacao",
            "CCN-51",
            "1,5",
            "2012",
            "1300",
            "800",
            "Posesión",
            "220904",
            "01/01/2016",
        ],
        ["AV-001-2", "41234567", "El Bajo", "café", "", "0.75", "", "", "", "", "Chazuta", ""],
    ]


def csv_bytes(headers, lines):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(lines)
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def family(coop):
    return factories.ProducerFactory(cooperative=coop, dni="41234567")


@pytest.mark.django_db
class TestPlotImport:
    def test_it_imports_the_plots_of_a_family_with_spanish_headers_and_decimal_commas(self, coop, family):
        report = plots_import(cooperative=coop, content=csv_bytes(HEADERS, rows()))

        assert ([str(e) for e in report.errors], report.new, report.written) == ([], 2, True)
        loma = Plot.objects.get(cooperative=coop, code="AV-001-1")
        assert (loma.producer, loma.crop, loma.declared_area_ha, loma.planting_year, loma.tenure) == (
            family,
            Plot.Crop.COCOA,
            Decimal("1.5"),
            2012,
            Plot.Tenure.POSSESSION,
        )
        assert loma.conversion_start == datetime.date(2016, 1, 1)
        bajo = Plot.objects.get(cooperative=coop, code="AV-001-2")
        assert (bajo.crop, bajo.tenure, bajo.tree_count) == (Plot.Crop.COFFEE, Plot.Tenure.POSSESSION, None)

    def test_reimporting_updates_the_attributes_and_keeps_the_geometry(self, coop, family):
        plot = factories.PlotFactory(producer=family, code="AV-001-1")
        geometry = plot.geometry
        workbook = Workbook()
        workbook.active.append(HEADERS)
        for line in rows():
            workbook.active.append(line)
        out = io.BytesIO()
        workbook.save(out)

        report = plots_import(cooperative=coop, content=out.getvalue(), filename="parcelas.xlsx")

        assert ([str(e) for e in report.errors], report.new, report.updated) == ([], 1, 1)
        plot.refresh_from_db()
        assert (plot.declared_area_ha, plot.variety, plot.geometry) == (Decimal("1.5000"), "CCN-51", geometry)
        assert Plot.objects.for_cooperative(coop).count() == 2

    def test_a_plot_of_another_cooperatives_family_is_refused(self, coop, other_coop):
        factories.ProducerFactory(cooperative=other_coop, dni="41234567")

        report = plots_import(cooperative=coop, content=csv_bytes(HEADERS, rows()[:1]))

        assert [str(e) for e in report.errors] == [
            'Row 2, column "DNI": No family of this cooperative has the DNI 41234567.'
        ]
        assert Plot.objects.count() == 0

    def test_every_bad_row_is_named_and_nothing_is_written(self, coop, family):
        bad = rows()
        bad[0][5] = "uno y medio"
        bad[0][6] = "2012.5"
        bad[1][0] = "AV-001-1"

        report = plots_import(cooperative=coop, content=csv_bytes(HEADERS, [*bad, rows()[1]]))

        assert [str(e) for e in report.errors] == [
            'Row 2, column "Código de Parcela": The plot code AV-001-1 is in rows 2, 3: each plot is one row.',
            'Row 2, column "Área (ha)": Write a number, e.g. 1.5; got "uno y medio".',
            'Row 2, column "Año de siembra": Write a number, e.g. 2012; got "2012.5".',
            'Row 3, column "Código de Parcela": The plot code AV-001-1 is in rows 2, 3: each plot is one row.',
        ]
        assert (report.written, Plot.objects.count()) == (False, 0)

    def test_a_negative_yield_and_an_old_planting_year_are_refused_on_their_columns(self, coop, family):
        bad = rows()
        bad[0][6] = "1850"
        bad[0][8] = "-800"

        report = plots_import(cooperative=coop, content=csv_bytes(HEADERS, bad))

        assert [str(e) for e in report.errors] == [
            'Row 2, column "Año de siembra": Ensure this value is greater than or equal to 1900.',
            'Row 2, column "Rendimiento": Ensure this value is greater than or equal to 0.',
        ]
        assert Plot.objects.count() == 0

    def test_the_plots_of_many_families_cost_a_constant_number_of_queries(self, coop, django_assert_max_num_queries):
        families = [factories.ProducerFactory(cooperative=coop, dni=f"{42000000 + i:08d}") for i in range(30)]
        lines = [
            [f"P-{i:03d}", family.dni, "", "cacao", "", "1.5", "", "", "", "", "220904", ""]
            for i, family in enumerate(families * 2)
        ]

        with django_assert_max_num_queries(12):
            report = plots_import(cooperative=coop, content=csv_bytes(HEADERS, lines))

        assert (report.new, report.written, Plot.objects.count()) == (60, True, 60)


@pytest.mark.django_db
class TestPlotTemplateAndRoundTrip:
    def test_exporting_and_importing_into_a_fresh_cooperative_gives_the_same_plots(self, coop):
        fresh = factories.CooperativeFactory()
        for dni in ["41234567", "05414828"]:
            factories.ProducerFactory(cooperative=fresh, dni=dni)
            family = factories.ProducerFactory(cooperative=coop, dni=dni)
            factories.PlotFactory(producer=family, declared_area_ha=Decimal("0.3750"), tenure=Plot.Tenure.COMMUNAL)
            factories.PlotFactory(producer=family, planting_year=None, conversion_start=None, crop=Plot.Crop.COFFEE)
        fields = ["code", "producer__dni", "name", "crop", "variety", "declared_area_ha", "planting_year"]
        fields += ["tree_count", "estimated_yield_kg_ha", "tenure", "district_id", "conversion_start"]

        report = plots_import(cooperative=fresh, content=plots_export(cooperative=coop, file_format="csv"))

        assert ([str(e) for e in report.errors], report.new) == ([], 4)
        assert list(Plot.objects.for_cooperative(fresh).order_by("code").values_list(*fields)) == list(
            Plot.objects.for_cooperative(coop).order_by("code").values_list(*fields)
        )

    def test_the_templates_example_imports_for_its_family(self, coop):
        factories.ProducerFactory(cooperative=coop, dni="40000001")

        report = plots_import(cooperative=coop, content=plots_template("xlsx"), dry_run=True)

        assert ([str(e) for e in report.errors], report.new, Plot.objects.count()) == ([], 1, 0)

    def test_the_command_imports_the_plots_and_writes_nothing_on_a_dry_run(self, coop, family, tmp_path):
        path = tmp_path / "parcelas.csv"
        path.write_bytes(csv_bytes(HEADERS, rows()))
        out = io.StringIO()

        call_command("import_plots", str(path), "--cooperative", coop.code, "--dry-run", stdout=out)
        assert out.getvalue() == "New: 2. Updated: 0. Unchanged: 0. Errors: 0.\nDry run: nothing was written.\n"
        assert Plot.objects.count() == 0

        call_command("import_plots", str(path), "--cooperative", coop.code, stdout=io.StringIO())
        assert Plot.objects.for_cooperative(coop).count() == 2
