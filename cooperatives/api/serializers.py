"""What every API serializer of a cooperative's rows shares: scoped choices and the model's own rules."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from cooperatives.models import Cooperative

from .permissions import sees_personal_data


def model_errors(error, model):
    """A model's ValidationError as the API answers it.

    Errors of the whole row go under DRF's `non_field_errors`, not Django's `__all__`. When the
    model's clean() already said what is wrong, the database constraint that guards the same rule
    ("Constraint “…” is violated.") is not repeated.
    """
    detail = serializers.as_serializer_error(error)
    whole = detail.pop(NON_FIELD_ERRORS, None)
    if whole:
        generic = {
            str(constraint.get_violation_error_message())
            for constraint in (model._meta.constraints if model is not None else ())
            if constraint.violation_error_message == constraint.default_violation_error_message
        }
        specific = [message for message in whole if str(message) not in generic]
        detail[api_settings.NON_FIELD_ERRORS_KEY] = specific or whole
    return detail


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row chosen by id among the caller's cooperatives only.

    Another cooperative's id answers "does not exist", exactly as a missing one.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "for_user"):
            queryset = queryset.for_user(request.user)
        return queryset


class CooperativeField(ScopedPrimaryKeyRelatedField):
    def get_queryset(self):
        return Cooperative.objects.for_user(self.context["request"].user)


class CooperativeOwnedSerializer(serializers.ModelSerializer):
    """Writes check the model's own rules (clean(), constraints), as the admin's forms do."""

    serializer_related_field = ScopedPrimaryKeyRelatedField
    # Fields that only readers allowed to see members' personal data receive.
    personal_fields = ()

    def get_fields(self):
        fields = super().get_fields()
        if "cooperative" in fields and not fields["cooperative"].read_only:
            fields["cooperative"] = CooperativeField()
        request = self.context.get("request")
        if self.personal_fields and request is not None and not sees_personal_data(request):
            for name in self.personal_fields:
                fields.pop(name, None)
        return fields

    def validate(self, attrs):
        """Build the row as it would be saved and let the model judge it (clean(), constraints)."""
        attrs = super().validate(attrs)
        model = self.Meta.model
        simple = {k: v for k, v in attrs.items() if not model._meta.get_field(k).many_to_many}
        if self.instance is not None:
            candidate = model.objects.get(pk=self.instance.pk)
            for name, value in simple.items():
                setattr(candidate, name, value)
        else:
            candidate = model(**simple)
        try:
            candidate.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(model_errors(error, model)) from None
        self._candidate = candidate
        return attrs

    def _pop_many_to_many(self, validated_data):
        model = self.Meta.model
        return {k: validated_data.pop(k) for k in list(validated_data) if model._meta.get_field(k).many_to_many}

    def create(self, validated_data):
        many = {
            k: validated_data.pop(k) for k in list(validated_data) if self.Meta.model._meta.get_field(k).many_to_many
        }
        instance = self._candidate
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
        return instance

    def update(self, instance, validated_data):
        many = {
            k: validated_data.pop(k) for k in list(validated_data) if self.Meta.model._meta.get_field(k).many_to_many
        }
        candidate = self._candidate
        changed = [
            f.attname
            for f in candidate._meta.concrete_fields
            if not f.primary_key and not f.generated and getattr(candidate, f.attname) != getattr(instance, f.attname)
        ]
        stamped = [f.attname for f in candidate._meta.concrete_fields if getattr(f, "auto_now", False)]
        if changed:
            candidate.save(update_fields=changed + stamped)
        for name, values in many.items():
            getattr(candidate, name).set(values)
        return candidate


class NestedRowSerializer(serializers.ModelSerializer):
    """A child row written with its parent (a certificate's covered plots, a shipment's containers)."""

    serializer_related_field = ScopedPrimaryKeyRelatedField


class OwnedSerializer(CooperativeOwnedSerializer):
    """A cooperative's row, with what several resources share.

    - `cooperative_from`: the field whose object gives the row its cooperative (a contract's buyer), so
      that a client never sends a cooperative that could disagree with it.
    - `nested_rows`: {source: field matching a row}. The rows listed become the parent's rows: a row
      whose key matches an existing one changes it, a new key adds one, an existing row not listed goes.
      Each row is checked by its model (clean(), constraints) before it is saved.
    """

    cooperative_from = None
    nested_rows = {}

    def get_fields(self):
        fields = super().get_fields()
        if self.cooperative_from and "cooperative" in fields:
            fields["cooperative"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs):
        nested = {source: attrs.pop(source) for source in self.nested_rows if source in attrs}
        parent = attrs.get(self.cooperative_from) if self.cooperative_from else None
        if parent is not None:
            attrs["cooperative"] = parent.cooperative
        attrs = super().validate(attrs)
        attrs.update(nested)
        return attrs

    def create(self, validated_data):
        nested = {source: validated_data.pop(source) for source in self.nested_rows if source in validated_data}
        with transaction.atomic():
            instance = super().create(validated_data)
            self._write_rows(instance, nested)
        return instance

    def update(self, instance, validated_data):
        nested = {source: validated_data.pop(source) for source in self.nested_rows if source in validated_data}
        with transaction.atomic():
            instance = super().update(instance, validated_data)
            self._write_rows(instance, nested)
        return instance

    def _write_rows(self, parent, nested):
        for source, rows in nested.items():
            manager = getattr(parent, source)
            key = self.nested_rows[source]
            existing = {_key(getattr(row, key)): row for row in manager.all()}
            kept = []
            for index, attrs in enumerate(rows):
                wanted = _key(attrs.get(key))
                row = existing.get(wanted)
                if row is None and key == "id" and wanted is not None:
                    raise serializers.ValidationError(
                        {source: {index: {"id": [_("There is no such row here to change.")]}}}
                    )
                if row is None:
                    row = manager.model(**{manager.field.name: parent})
                row.inherit_cooperative(parent)
                for name, value in attrs.items():
                    if name != "id":
                        setattr(row, name, value)
                try:
                    row.full_clean()
                except DjangoValidationError as error:
                    raise serializers.ValidationError({source: {index: model_errors(error, manager.model)}}) from None
                row.save()
                existing[_key(getattr(row, key))] = row
                kept.append(row.pk)
            manager.exclude(pk__in=kept).delete()


def _key(value):
    return value.pk if isinstance(value, models.Model) else value
