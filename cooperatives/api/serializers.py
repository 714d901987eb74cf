"""What every API serializer of a cooperative's rows shares: scoped choices and the model's own rules."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cooperatives.models import Cooperative

from .permissions import sees_personal_data


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
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from None
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
