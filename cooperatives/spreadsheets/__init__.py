"""Spreadsheets in and out of a cooperative: the engine under the family and plot imports.

A file (CSV or XLSX, as bytes) is read here — encoding, delimiter, headers in Spanish or English
written any way — and checked as a whole (required columns, a key twice); the report says which
columns were read as which field and which were left out, never silently. Then every row goes
through a CooperativeResource (django-import-export widgets and the model's own rules) without
a query per row, uniqueness is checked for the whole file at once, and the rows are written in
bulk with their history: every row, or none. Exports keep text a spreadsheet would run as a
formula as text.

producers.imports and plots.imports say what their files hold; this package knows no domain model.
reading: the file and its columns; widgets: cells to values; importing: the rows written; writing: tables out.
"""

from .importing import (
    PROGRESS_EVERY,
    ImportReport,
    RowError,
    RowNote,
    table_import,
)
from .reading import (
    ABBREVIATIONS,
    BRACKETED,
    FILLER_WORDS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    Columns,
    ImportFileError,
    Table,
    column_key,
    header_key,
    match_columns,
    read_table,
    word_key,
)
from .widgets import (
    ChoiceWidget,
    CooperativeResource,
    DateWidget,
    DistrictWidget,
    TextWidget,
)
from .writing import (
    FORMULA_START,
    PLAIN_NUMBER,
    neutralise_formula,
    render_table,
)

__all__ = [
    "ABBREVIATIONS",
    "BRACKETED",
    "FILLER_WORDS",
    "FORMULA_START",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "PLAIN_NUMBER",
    "PROGRESS_EVERY",
    "ChoiceWidget",
    "Columns",
    "CooperativeResource",
    "DateWidget",
    "DistrictWidget",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "RowNote",
    "Table",
    "TextWidget",
    "column_key",
    "header_key",
    "match_columns",
    "neutralise_formula",
    "read_table",
    "render_table",
    "table_import",
    "word_key",
]
