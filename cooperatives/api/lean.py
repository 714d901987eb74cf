"""List pages read as plain rows: the serializer's own JSON at a fraction of its cost.

A DRF ModelSerializer spends about 6 µs per field per row and parses stored JSON into Python
only for it to be encoded again (PERFORMANCE.md): on a page of 100 plots that is most of the
time of the request. A list page therefore reads `.values()` and builds each row's dict from a
*plan* made once from the serializer's fields:

- a stored column is read as it is, and converted only where DRF would change it (a datetime to
  the local time zone, a decimal to its fixed places, a phone number to text);
- a JSON column (a plot's geometry) is read as text and handed to orjson unparsed;
- a related row is its id; a many-to-many list (ids or codes) and a nested list of child rows
  (a family's household) cost one query each for the whole page;
- a computed field is answered by a function the viewset names, of the row's columns
  (`LeanListMixin.lean_computed`), from the same rule the model uses.

A serializer field the plan cannot read this way sends the whole list through the serializer,
so the plan is an optimisation, never a second definition: tests/cooperatives/test_api_lean_lists.py checks
that every list endpoint answers the same JSON both ways.
"""

from collections import defaultdict

import orjson
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .permissions import sees_personal_data

# Serializer fields whose representation of a stored value is the value itself.
IDENTITY = (
    serializers.BooleanField,
    serializers.IntegerField,
    serializers.ChoiceField,
    serializers.DateField,
)


class NotLean(Exception):
    """A field the plan cannot read from plain rows: the page goes through the serializer."""


def json_text_key(name):
    """The row key under which a JSON field's stored text is read (for computed fields that need it)."""
    return f"_{name}_text"


class Column:
    """One stored column, converted as DRF would."""

    def __init__(self, name, key, convert=None):
        self.name, self.key, self.convert = name, key, convert


class ManyValues:
    """A many-to-many list (ids or codes), read for the whole page by one query on the link table."""

    def __init__(self, name, model_field, target_attname):
        self.name = name
        self.model_field = model_field
        self.target_attname = target_attname

    def fetch(self, ids):
        through = self.model_field.remote_field.through
        source = self.model_field.m2m_field_name()
        target = self.model_field.m2m_reverse_field_name()
        target_pk = self.model_field.related_model._meta.pk.attname
        # Ids straight from the link table; a code through a join. In the order of the target's
        # ids, the order the viewsets' prefetches use (a test holds both to it).
        value = f"{target}_id" if self.target_attname == target_pk else f"{target}__{self.target_attname}"
        values = defaultdict(list)
        rows = (
            through.objects.filter(**{f"{source}_id__in": ids})
            .order_by(f"{target}_id")
            .values_list(f"{source}_id", value)
        )
        for owner, value in rows:
            values[owner].append(value)
        return values


class NestedRows:
    """The child rows of each row of the page (a family's household), by one query."""

    def __init__(self, name, related, plan):
        self.name, self.related, self.plan = name, related, plan

    def fetch(self, ids):
        child = self.related.related_model
        link = self.related.field.attname
        ordering = [*child._meta.ordering, child._meta.pk.name]
        rows = defaultdict(list)
        for row in child.objects.filter(**{f"{link}__in": ids}).order_by(*ordering).values(link, *self.plan.keys):
            rows[row[link]].append(self.plan.represent(row))
        return rows


class Computed:
    def __init__(self, name, columns, function):
        self.name, self.columns, self.function = name, columns, function


def _decimal_text(field):
    """DRF's DecimalField as text, without its costly quantize when the stored value has its places."""
    if not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING) or field.localize:
        return field.to_representation
    places = field.decimal_places

    def convert(value):
        if places is not None and value.as_tuple().exponent != -places:
            return field.to_representation(value)
        return f"{value:f}"

    return convert


def _local_datetime(value):
    # DRF's DateTimeField: in the current time zone, ISO 8601 (orjson writes it, UTC as Z).
    return value.astimezone(timezone.get_current_timezone())


class Plan:
    """How to build one representation from a `.values()` row."""

    def __init__(self, columns, many=(), nested=(), computed=(), annotations=None, order=()):
        self.columns = columns
        self.many = many
        self.nested = nested
        self.computed = computed
        self.annotations = annotations or {}
        self.order = order  # the serializer's field order
        needed = {column.key for column in columns} | {name for c in computed for name in c.columns}
        self.keys = sorted(needed - set(self.annotations))

    def represent(self, row, extra=None, context=None):
        out = {}
        for column in self.columns:
            value = row[column.key]
            out[column.name] = value if value is None or column.convert is None else column.convert(value)
        for computed in self.computed:
            out[computed.name] = computed.function(row, context)
        if extra:
            out.update(extra)
        return {name: out[name] for name in self.order}


def column_for(name, field, model):
    """How one serializer field is read from a stored column, or NotLean."""
    source = field.source
    if field.write_only:
        return None
    if isinstance(field, relations.SlugRelatedField):
        model_field = _model_field(model, source)
        if not model_field.many_to_one or model_field.model is not model:
            raise NotLean(name)
        # The related row's code by a join in the same query (a certificate's standard).
        return Column(name, f"{model_field.name}__{field.slug_field}")
    if isinstance(field, relations.PrimaryKeyRelatedField):
        model_field = _model_field(model, source)
        if not (model_field.many_to_one or model_field.one_to_one) or model_field.model is not model:
            raise NotLean(name)
        return Column(name, model_field.attname)
    model_field = _model_field(model, source)
    if model_field.is_relation:
        raise NotLean(name)
    if isinstance(field, serializers.JSONField):
        if isinstance(model_field, models.JSONField):
            # Stored JSON is written out as stored, never parsed and encoded again.
            key = json_text_key(name)
            return Column(name, key, orjson.Fragment), {key: Cast(source, models.TextField())}
        raise NotLean(name)
    if isinstance(field, serializers.DateTimeField):
        if getattr(field, "format", api_settings.DATETIME_FORMAT).lower() != ISO_8601:
            raise NotLean(name)
        return Column(name, model_field.attname, _local_datetime)
    if isinstance(field, IDENTITY) and not isinstance(field, serializers.DateTimeField):
        return Column(name, model_field.attname)
    if isinstance(field, serializers.FloatField):
        return Column(name, model_field.attname, float)
    if type(field) in (serializers.CharField, serializers.EmailField, serializers.SlugField) and isinstance(
        model_field, (models.CharField, models.TextField)
    ):
        return Column(name, model_field.attname)
    if isinstance(field, serializers.DecimalField) and isinstance(model_field, models.DecimalField):
        return Column(name, model_field.attname, _decimal_text(field))
    # Anything else stored (a phone number): the field's own conversion of the value.
    return Column(name, model_field.attname, field.to_representation)


def _model_field(model, source):
    if "." in source or source == "*":
        raise NotLean(source)
    try:
        return model._meta.get_field(source)
    except Exception:
        raise NotLean(source) from None


def plan_for(serializer, computed=None):
    """The plan of a ModelSerializer's representation; NotLean when a field needs the serializer."""
    computed = computed or {}
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        raise NotLean(f"{type(serializer).__name__}.to_representation")
    model = serializer.Meta.model
    columns, many, nested, functions, annotations, order = [], [], [], [], {}, []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        order.append(name)
        if name in computed:
            needed, function = computed[name]
            functions.append(Computed(name, needed, function))
        elif isinstance(field, relations.ManyRelatedField):
            model_field = _model_field(model, field.source)
            child = field.child_relation
            if not model_field.many_to_many or model_field.model is not model:
                raise NotLean(name)
            if isinstance(child, relations.SlugRelatedField):
                many.append(ManyValues(name, model_field, child.slug_field))
            elif isinstance(child, relations.PrimaryKeyRelatedField):
                many.append(ManyValues(name, model_field, model_field.related_model._meta.pk.attname))
            else:
                raise NotLean(name)
        elif isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.ModelSerializer):
            related = _model_field(model, field.source)
            if not related.one_to_many:
                raise NotLean(name)
            child = plan_for(field.child)
            if child.many or child.nested or child.annotations:
                raise NotLean(name)
            nested.append(NestedRows(name, related, child))
        else:
            found = column_for(name, field, model)
            if isinstance(found, tuple):
                found, extra = found
                annotations.update(extra)
            columns.append(found)
    return Plan(columns, many, nested, functions, annotations, order)


class LeanListMixin:
    """List pages from plain rows (see the module's doc); everything else as the serializer does it.

    `lean_computed`: {field name: (columns it needs, function(row, serializer context))} for the
    fields that are not stored as such (a plot's conversion status today).
    """

    lean_computed = {}
    _lean_plans = None

    def lean_plan(self):
        """The plan for this caller, made once per serializer class and personal-data answer."""
        cls = type(self)
        if cls._lean_plans is None:
            cls._lean_plans = {}
        serializer_class = self.get_serializer_class()
        personal = getattr(serializer_class, "personal_fields", ()) and sees_personal_data(self.request)
        key = (serializer_class, personal)
        if key not in cls._lean_plans:
            try:
                cls._lean_plans[key] = plan_for(self.get_serializer(), self.lean_computed)
            except NotLean:
                cls._lean_plans[key] = None
        return cls._lean_plans[key]

    def list(self, request, *args, **kwargs):
        plan = self.lean_plan() if getattr(settings, "MINKA_LEAN_LISTS", True) else None
        if plan is None or request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None).select_related(None)
        if plan.annotations:
            queryset = queryset.annotate(**plan.annotations)
        # The pagination's cursor reads its ordering columns from the row.
        extra = [name for name in self._orderable_columns(queryset.model) if name not in plan.keys]
        rows = queryset.values(*plan.keys, *plan.annotations, *extra)
        page = self.paginate_queryset(rows)
        rows = list(rows if page is None else page)
        data = self.lean_represent(plan, rows)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _orderable_columns(self, model):
        names = {"id"}
        for name in getattr(self, "ordering_fields", None) or ():
            names.add(name)
        concrete = {field.name: field.attname for field in model._meta.concrete_fields}
        return sorted(concrete[name] for name in names if name in concrete)

    def lean_represent(self, plan, rows):
        ids = [row["id"] for row in rows]
        related = {part.name: part.fetch(ids) for part in [*plan.many, *plan.nested]} if ids else {}
        context = self.get_serializer_context()
        return [
            plan.represent(
                row, {name: values.get(row["id"], []) for name, values in related.items()} if related else None, context
            )
            for row in rows
        ]
