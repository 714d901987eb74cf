"""Importing a table: every row through its resource without a query per row, uniqueness checked for the whole
file at once, the rows written in bulk with their history, every row or none (cooperatives.spreadsheets)."""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .reading import Columns, ImportFileError, match_columns, read_table


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
