"""Tables out of Minka: CSV or XLSX, text a spreadsheet would run as a formula kept as text
(cooperatives.spreadsheets)."""

import re

import tablib

# A cell starting so is a formula to a spreadsheet; phone numbers like +51 987 654 321 are not.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-][0-9][0-9 ().]*")


def neutralise_formula(value):
    """Text that a spreadsheet would run as a formula, kept as text behind an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def render_table(dataset, file_format):
    dataset = tablib.Dataset(
        *[[neutralise_formula(value) for value in row] for row in dataset], headers=dataset.headers
    )
    if file_format == "csv":
        # With a BOM, Excel opens the UTF-8 file with its accents right.
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export("xlsx")
