"""Family and plot lists as an office keeps them, written as the bytes of a real CSV file, for the import tests."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# The headers as a cooperative writes them: Spanish, accents, "Nº DNI".
FAMILY_HEADERS = ["Código", "Nº DNI", "Nombres", "Apellidos", "Sexo", "Distrito", "Fecha de ingreso"]
FAMILIES = [
    ["AV-001", "41234567", "Rosa Elvira", "Tapullima Sangama", "F", "220904", "01/03/2015"],
    ["AV-002", "10812543-3", "Segundo", "Peñaloza Ríos", "masculino", "Chazuta", "15/08/2019"],
]
# Row 3 of the file (the headers are row 1): a DNI of 7 digits.
BAD_FAMILY = ["AV-003", "4123456", "María Jesús", "Amasifuén Tuanama", "F", "220904", ""]

PLOT_HEADERS = ["Código de parcela", "DNI del productor", "Nombre", "Área declarada (ha)", "Distrito"]
PLOTS = [["AV-001-1", "41234567", "La Loma", "1,5", "220904"], ["AV-002-1", "10812543", "El Bajo", "2", "220904"]]


def csv_file(headers, rows, name="familias.csv"):
    """A CSV as Excel set to Spanish saves it: semicolons, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def families_file(rows=FAMILIES, name="familias.csv"):
    return csv_file(FAMILY_HEADERS, rows, name)


def plots_file(rows=PLOTS, name="parcelas.csv"):
    return csv_file(PLOT_HEADERS, rows, name)


@pytest.fixture(autouse=True)
def _stash_in_tmp(settings, tmp_path):
    """Each test's uploads wait in a folder of its own."""
    settings.IMPORT_STASH_DIR = tmp_path / "imports"
