"""Reading a file a cooperative sends: CSV or XLSX as bytes, its encoding and delimiter, its headers in Spanish
or English written any way, matched to the columns an import knows (cooperatives.spreadsheets)."""

import csv
import io
import re
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# A family list of 10,000 members with every column is about 1.5 MB as CSV and less as XLSX.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# An XLSX is compressed: the bytes alone do not bound what it holds.
MAX_IMPORT_ROWS = 50_000


class ImportFileError(Exception):
    """The file as a whole cannot be imported: it is not read, or a column is missing.

    `columns`, when the headers were read, says how (see Columns): a missing column is often
    one the file names in a way not recognised.
    """

    def __init__(self, message, *, columns=None):
        super().__init__(message)
        self.columns = columns


def header_key(text):
    """A header as it is compared: no accents, case, punctuation or repeated spaces ("Nº DNI" → "n dni")."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def word_key(text):
    return header_key(text).replace(" ", "")


# Words a header may add, or shorten, without naming another column: "Fecha de nacimiento" is
# "Fecha nacimiento", "F. Nac." is "F nacimiento", "Cód. socio" is "Código socio", "Nº DNI" and
# "Nro. DNI" are "N DNI".
FILLER_WORDS = {"de", "del", "la", "el", "los", "las", "y", "of", "the"}
ABBREVIATIONS = {
    "cod": "codigo",
    "fec": "fecha",
    "fech": "fecha",
    "nac": "nacimiento",
    "nacim": "nacimiento",
    "ing": "ingreso",
    "tel": "telefono",
    "telf": "telefono",
    "cel": "celular",
    "dist": "distrito",
    "no": "n",
    "nro": "n",
    "num": "n",
    "numero": "n",
}
# A note in brackets after a header: "Teléfono (celular)", "Sexo (F/M)", "Área (ha)".
BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def column_key(text):
    """A header as columns are matched: header_key without filler words, abbreviations written out."""
    words = (ABBREVIATIONS.get(word, word) for word in header_key(text).split())
    return " ".join(word for word in words if word not in FILLER_WORDS)


@dataclass
class Table:
    headers: list
    rows: list
    row_numbers: list  # the row of the file each row was read from (headers are row 1)


def read_table(content, filename=""):
    """The headers and the non-empty rows of a CSV or XLSX file given as bytes.

    Reading stops at the first row past MAX_IMPORT_ROWS: an XLSX of a few MB can unpack to millions
    of rows, and none of them is kept once the file is known to be refused.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB. Split it into smaller files.")
            % {"size": len(content) / 1024 / 1024, "limit": MAX_IMPORT_BYTES / 1024 / 1024}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        lines = _read_xlsx(content)
    else:
        lines = _read_csv(content)
    numbered = []
    with closing(lines):
        for number, line in enumerate(lines, 1):
            cells = [_cell(value) for value in line]
            # Trailing empty cells are dropped: a sheet may claim thousands of columns it does not fill.
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if not cells:
                continue
            numbered.append((number, cells))
            if len(numbered) > MAX_IMPORT_ROWS + 1:  # the headers and one row past the limit
                raise ImportFileError(
                    _("The file has more rows than the limit of %(limit)d. Split it into smaller files.")
                    % {"limit": MAX_IMPORT_ROWS}
                )
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    (_n, headers), body = numbered[0], numbered[1:]
    if not body:
        raise ImportFileError(_("The file has headers but no rows."))
    width = len(headers)
    rows = [(line + [None] * width)[:width] for _number, line in body]
    return Table(headers=[str(h or "").strip() for h in headers], rows=rows, row_numbers=[n for n, _l in body])


def _cell(value):
    return value.strip() if isinstance(value, str) else value


def _read_xlsx(content):
    """The rows of the first sheet, one at a time (a generator: close it to close the workbook)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The file could not be read as XLSX: save it again from the spreadsheet.")) from None
    try:
        sheet = workbook.worksheets[0]
        # The size a sheet declares is not trusted: every row would be padded to its claimed width.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _read_csv(content):
    """The rows of a CSV file, one at a time."""
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        # Excel set to Spanish saves CSV with semicolons.
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _decode(content):
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252/Latin-1 as older Excel saves CSV."""
    if b"\x00" in content:
        raise ImportFileError(_("The file is not a CSV text file: save it as “CSV UTF-8” or as XLSX."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Latin-1 decodes any byte; control characters mean it was not text after all.
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            return text
    raise ImportFileError(_("The file's encoding could not be read: save it as “CSV UTF-8” or as XLSX."))


@dataclass
class Columns:
    """How a file's headers were read: the field each column was read as, and the columns left out.

    `read` holds (header as written, field name), `ignored` (header as written, why it was left out),
    both in the file's order; `index` maps the position of each column read to its field, and
    `labels` each field to the name a person knows it by.
    """

    read: list
    ignored: list
    index: dict
    labels: dict = field(default_factory=dict)

    def read_as(self):
        """(header as written, the field's name for a person) of each column read."""
        return [(header, self.labels.get(name, name)) for header, name in self.read]


def match_columns(headers, columns, required, labels=None):
    """How `headers` are read (Columns), or ImportFileError naming the missing columns.

    A header is compared as column_key makes it, then without a note in brackets ("Sexo (F/M)").
    """
    known = {}
    for name, (header, others) in columns.items():
        for text in [header, *others]:
            known.setdefault(column_key(text), name)
    index, read, ignored = {}, [], []
    for number, header in enumerate(headers):
        if header in (None, ""):
            continue  # an empty column, or one a sheet claims and does not fill
        name = known.get(column_key(header)) or known.get(column_key(BRACKETED.sub(" ", header)))
        if name is None:
            ignored.append((header, _("no field of the template; name it as the template does to have it read")))
        elif name in index.values():
            first = next(h for h, n in read if n == name)
            ignored.append((header, _('its field is read from "%(header)s" already') % {"header": first}))
        else:
            index[number] = name
            read.append((header, name))
    found = Columns(read=read, ignored=ignored, index=index, labels=labels or {})
    missing = [columns[name][0] for name in required if name not in index.values()]
    if missing:
        raise ImportFileError(
            _("Missing columns: %(columns)s. Download the template to see the expected headers.")
            % {"columns": ", ".join(missing)},
            columns=found,
        )
    return found
