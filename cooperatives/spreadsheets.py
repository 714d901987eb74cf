"""Spreadsheets in and out of a cooperative: the engine under the family and plot imports.

A file (CSV or XLSX, as bytes) is read here — encoding, delimiter, headers in Spanish or English
written any way — and checked as a whole (required columns, a key twice); the report says which
columns were read as which field and which were left out, never silently. Then every row goes
through a CooperativeResource (django-import-export widgets and the model's own rules) without
a query per row, uniqueness is checked for the whole file at once, and the rows are written in
bulk with their history: every row, or none. Exports keep text a spreadsheet would run as a
formula as text.

producers.imports and plots.imports say what their files hold; this module knows no model.
"""

import calendar
import csv
import datetime
import io
import re
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources, widgets
from openpyxl.utils.datetime import from_excel
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import District

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


# ---------------------------------------------------------------------------
# Widgets: one cell of the file to one value of the model, and back


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split())
        if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START:
            text = text[1:]  # neutralised by the export: see neutralise_formula
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its value or by any of its words in Spanish or English (M, masculino, male)."""

    def __init__(self, words, message, **kwargs):
        self.words = {word_key(word): value for word, value in words.items()}
        self.message = message
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return self.words[word_key(value)]
        except KeyError:
            raise ValueError(self.message % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    """A date as day/month/year (the way it is written in Peru), ISO, or a spreadsheet's date cell.

    A date that does not exist (31/02/1988) is refused saying why, not taken for another one.
    """

    DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
    YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
    # A date cell that lost its format reads as its serial number: 28624 is 14/05/1978. Smaller numbers
    # (a year typed alone, 1978) are before 1927, no member's birth or entry date.
    SERIALS = (10_000, 2_958_465)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if self.SERIALS[0] <= value <= self.SERIALS[1]:
                return from_excel(value).date()
            raise self._unreadable(value)
        text = str(value).strip()
        # A spreadsheet that kept a date as text may add a midnight time: 1978-05-14 00:00:00.
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        if match := self.DAY_FIRST.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            if len(match[3]) == 2:
                year = datetime.datetime.strptime(match[3], "%y").year
        elif match := self.YEAR_FIRST.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise self._unreadable(value)
        if not 1 <= month <= 12:
            raise ValueError(
                _('"%(value)s" is not a date: there is no month %(month)d. Write the date as day/month/year.')
                % {"value": value, "month": month}
            )
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise ValueError(
                _('"%(value)s" is not a date: %(month)s %(year)d has %(days)d days.')
                % {"value": value, "month": MONTHS[month], "year": year, "days": days}
            )
        return datetime.date(year, month, day)

    def _unreadable(self, value):
        return ValueError(_('Write the date as day/month/year, e.g. 14/05/1978; got "%(value)s".') % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class DistrictWidget(widgets.Widget):
    """A district by its INEI ubigeo (220904) or its name (Chazuta) when the name is unique in Peru."""

    def __init__(self, **kwargs):
        self._by_name = None
        self._by_inei = {}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("The district is required: write its INEI ubigeo or its name."))
        if isinstance(value, (int, float)):
            value = f"{int(value):06d}"
        text = str(value).strip()
        if text.isdigit():
            if text.zfill(6) not in self._by_inei:
                self._by_inei[text.zfill(6)] = District.objects.filter(inei=text.zfill(6)).first()
            district = self._by_inei[text.zfill(6)]
            if district is None:
                raise ValueError(_('No district has the INEI ubigeo "%(value)s".') % {"value": value})
            return district
        if self._by_name is None:
            self._by_name = {}
            for district in District.objects.all():
                self._by_name.setdefault(word_key(district.name), []).append(district)
        found = self._by_name.get(word_key(text), [])
        if not found:
            raise ValueError(_('No district is called "%(value)s": write its INEI ubigeo.') % {"value": value})
        if len(found) > 1:
            raise ValueError(
                _('%(count)d districts are called "%(value)s": write the INEI ubigeo.')
                % {"count": len(found), "value": value}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.inei if value else ""


# ---------------------------------------------------------------------------
# The resource


class CooperativeResource(resources.ModelResource):
    """The rows of one cooperative in a spreadsheet, and the hooks of table_import.

    The cooperative is the caller's: a file never says which cooperative its rows join.
    """

    def __init__(self, *, cooperative, **kwargs):
        self.cooperative = cooperative
        super().__init__(**kwargs)

    def get_queryset(self):
        return self._meta.model.objects.for_cooperative(self.cooperative)

    def init_instance(self, row=None):
        return self._meta.model(cooperative=self.cooperative)

    def instances_by_key(self, key, values):
        """The stored rows whose `key` is one of `values`, read in one query: {value: instance}."""
        return {getattr(row, key): row for row in self.get_queryset().filter(**{f"{key}__in": values})}

    def before_rows(self, rows):
        """Read at once what the rows' widgets would otherwise look up one row at a time."""

    def fill_row(self, instance, before, row):
        """Fill in what the row leaves empty and can be known otherwise; return notes ({field: [messages]}).

        Called once the row's cells are read, before the row is checked; `before` is None for a new row.
        """
        return {}

    def summary(self):
        """Sentences about the whole file for the report (what fill_row filled, counted), once every row is read."""
        return []

    def check_row(self, instance, before):
        """Rules of a change rather than of a row ({field: [messages]}); `before` is None for a new row."""
        return {}

    def after_write(self, *, created, changed, user):
        """What else a written file changes; `changed` holds (instance, values before) pairs."""


# ---------------------------------------------------------------------------
# Reading the file


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


# ---------------------------------------------------------------------------
# Importing


@dataclass
class RowError:
    row: int  # the row in the file; the headers are row 1
    column: str  # the column's header as written in the file, or "" for the row as a whole
    message: str

    def __str__(self):
        if self.column:
            return _('Row %(row)d, column "%(column)s": %(message)s') % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class RowNote(RowError):
    """Something a row did not say and the import filled in, such as a generated member code."""


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one error
    errors: list = field(default_factory=list)
    written: bool = False
    columns: Columns | None = None
    notes: list = field(default_factory=list)  # RowNote, by row
    summary: list = field(default_factory=list)  # sentences about the whole file

    @property
    def ok(self):
        return not self.errors


def table_import(
    *,
    resource,
    columns,
    required,
    key,
    duplicate_message,
    content,
    filename="",
    dry_run=False,
    user=None,
    progress=None,
):
    """Read a file, match its columns, and import it through `resource`: every row, or none.

    `columns` maps each field to its header and the other headers accepted; `key` is the
    field rows are matched on, which may appear once in the file. Every row is checked by the
    resource's widgets and the model's own rules (field validation and clean()); uniqueness is
    checked for the whole file in one query per constraint, and the rows are written in bulk
    with their history, so a file of 10,000 rows costs seconds, not minutes.
    `progress(done, total)`, if given, is called as the rows are checked and written.
    """
    table = read_table(content, filename)
    model = resource._meta.model
    labels = {name: capfirst(model._meta.get_field(name).verbose_name) for name in columns}
    found = match_columns(table.headers, columns, required, labels)
    matched = found.index
    header_of = {name: table.headers[index] for index, name in matched.items()}
    read = [resource.fields[name] for name in matched.values()]
    rows = [{resource.fields[name].column_name: line[index] for index, name in matched.items()} for line in table.rows]
    keys = [_clean_or_none(resource.fields[key], row) for row in rows]
    report = ImportReport(errors=_duplicates(keys, table.row_numbers, header_of[key], duplicate_message), columns=found)
    existing = resource.instances_by_key(key, {value for value in keys if value not in (None, "")})
    resource.before_rows(rows)
    # A field written from the file is not also looked up by full_clean: its widget found the
    # row within the cooperative already, and one query per row and relation is what made
    # imports slow.
    relations = [f for f in resource._meta.model._meta.concrete_fields if f.is_relation]
    total = len(rows)
    plans = []
    for index, row in enumerate(rows):
        instance = existing.get(keys[index]) if keys[index] not in (None, "") else None
        before = _snapshot(instance) if instance is not None else None
        if instance is None:
            instance = resource.init_instance(row)
        errors = {}
        for column in read:
            try:
                resource.import_field(column, instance, row)
            except (ValueError, ValidationError) as e:
                errors[column.attribute] = e.messages if isinstance(e, ValidationError) else [str(e)]
        number = table.row_numbers[index]
        for name, messages in resource.fill_row(instance, before, row).items():
            report.notes.extend(RowNote(number, header_of.get(name, ""), message) for message in messages)
        exclude = {*errors, *(f.name for f in relations if getattr(instance, f.attname) is not None)}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            for name, messages in e.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if not errors:
            for name, messages in resource.check_row(instance, before).items():
                errors.setdefault(name, []).extend(messages)
        for name, messages in errors.items():
            column = "" if name == NON_FIELD_ERRORS else header_of.get(name, "")
            report.errors.extend(RowError(number, column, message) for message in messages)
        plans.append(_Planned(number, instance, before, not errors))
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1, total)
    report.summary = resource.summary()
    report.errors.extend(_unique_errors(resource, key, [plan for plan in plans if plan.valid], header_of))
    report.errors.sort(key=lambda error: error.row)

    # The counts are of the rows that passed: a preview says what a corrected file would do.
    failed = {error.row for error in report.errors}
    passed = [plan for plan in plans if plan.row not in failed]
    created = [plan.instance for plan in passed if plan.before is None]
    changed = [plan for plan in passed if plan.before is not None and _snapshot(plan.instance) != plan.before]
    report.new, report.updated = len(created), len(changed)
    report.unchanged = len(passed) - len(created) - len(changed)
    report.rejected = len(plans) - len(passed)
    if dry_run or report.errors:
        return report
    try:
        with transaction.atomic():
            _write(resource, created, changed, user)
            resource.after_write(created=created, changed=[(p.instance, p.before) for p in changed], user=user)
    except IntegrityError as e:
        # Another import of the same rows finished first, or a rule only the database knows.
        raise ImportFileError(
            _("The database refused the file, so nothing was written: %(reason)s") % {"reason": str(e).strip()}
        ) from None
    if progress:
        progress(total, total)
    report.written = True
    return report


# Rows are checked and written in batches of this size; progress is told once per batch.
PROGRESS_EVERY = 500


@dataclass
class _Planned:
    row: int
    instance: object
    before: dict | None  # the stored row's values, or None for a new row
    valid: bool


def _snapshot(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}


def _clean_or_none(field, row):
    try:
        return field.clean(row)
    except ValueError:
        return None  # the row's own check reports it


def _write(resource, created, changed, user):
    model = resource._meta.model
    bulk_create_with_history(created, model, batch_size=PROGRESS_EVERY, default_user=user)
    if changed:
        now = timezone.now()
        names = set()
        for plan in changed:
            after = _snapshot(plan.instance)
            names.update(name for name, value in after.items() if plan.before[name] != value)
            if hasattr(plan.instance, "modified"):
                plan.instance.modified = now
                names.add("modified")
        fields = [f.name for f in model._meta.concrete_fields if f.attname in names]
        bulk_update_with_history(
            [plan.instance for plan in changed], model, fields, batch_size=PROGRESS_EVERY, default_user=user
        )


def _unique_errors(resource, key, plans, header_of):
    """The rows that would break a unique constraint, against the file's other rows and the stored ones."""
    model = resource._meta.model
    errors = []
    for names in _unique_sets(model):
        if set(names) <= {"cooperative", key}:
            continue  # rows are matched on the key: the file's duplicates are reported as such
        attnames = [model._meta.get_field(name).attname for name in names]
        values_of = {}
        for plan in plans:
            values = tuple(getattr(plan.instance, attname) for attname in attnames)
            if None not in values and "" not in values:
                values_of.setdefault(values, []).append(plan)
        if not values_of:
            continue
        lookups = {f"{attname}__in": {values[i] for values in values_of} for i, attname in enumerate(attnames)}
        stored = {
            tuple(row[1:]): row[0] for row in model._default_manager.filter(**lookups).values_list("pk", *attnames)
        }
        for values, planned in values_of.items():
            for plan in planned:
                clash = len(planned) > 1 or stored.get(values, plan.instance.pk) != plan.instance.pk
                if clash:
                    error = plan.instance.unique_error_message(model, tuple(names))
                    column = "" if len(names) > 1 else header_of.get(names[0], "")
                    errors.extend(RowError(plan.row, column, message) for message in error.messages)
    return errors


def _unique_sets(model):
    for model_field in model._meta.concrete_fields:
        if model_field.unique and not model_field.primary_key:
            yield (model_field.name,)
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.fields and constraint.condition is None:
            yield tuple(constraint.fields)


def _duplicates(keys, row_numbers, header, message):
    rows_of = {}
    for index, value in enumerate(keys):
        if value not in (None, ""):
            rows_of.setdefault(value, []).append(row_numbers[index])
    errors = []
    for value, rows in rows_of.items():
        if len(rows) > 1:
            text = message % {"value": value, "rows": ", ".join(str(r) for r in rows)}
            errors.extend(RowError(row, header, text) for row in rows)
    return errors


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
