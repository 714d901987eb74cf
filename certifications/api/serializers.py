from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity, Standard
from cooperatives.api.serializers import CooperativeOwnedSerializer, ScopedPrimaryKeyRelatedField
from cooperatives.models import Cooperative


class StandardCodeField(serializers.SlugRelatedField):
    """A certification standard by its code (`eu-organic`, `fairtrade`): reference data, the same for all."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs["queryset"] = Standard.objects.all()
        super().__init__(slug_field="code", **kwargs)


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
                    raise serializers.ValidationError(
                        {source: {index: serializers.as_serializer_error(error)}}
                    ) from None
                row.save()
                existing[_key(getattr(row, key))] = row
                kept.append(row.pk)
            manager.exclude(pk__in=kept).delete()


def _key(value):
    return value.pk if isinstance(value, models.Model) else value


class InspectorField(serializers.PrimaryKeyRelatedField):
    """A person who works for one of the caller's cooperatives, by id; anyone else "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.all(), **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return (
            super()
            .get_queryset()
            .filter(memberships__cooperative__in=Cooperative.objects.for_user(user).values("pk"))
            .distinct()
        )


# Certificates


class CoveredProducerSerializer(NestedRowSerializer):
    class Meta:
        model = CoveredProducer
        fields = ["id", "producer", "included_on", "excluded_on"]


class CoveredPlotSerializer(NestedRowSerializer):
    class Meta:
        model = CoveredPlot
        fields = ["id", "plot", "included_on", "excluded_on"]


class CertificateSerializer(OwnedSerializer):
    standard = StandardCodeField()
    covered_producers = CoveredProducerSerializer(many=True, required=False)
    covered_plots = CoveredPlotSerializer(many=True, required=False)

    nested_rows = {"covered_producers": "producer", "covered_plots": "plot"}

    class Meta:
        model = Certificate
        fields = [
            "id",
            "cooperative",
            "standard",
            "number",
            "certification_body",
            "scope",
            "valid_from",
            "valid_to",
            "covered_producers",
            "covered_plots",
            "modified",
        ]
        read_only_fields = ["modified"]


# Inspections


class NonConformitySerializer(NestedRowSerializer):
    id = serializers.IntegerField(required=False, help_text=_("Give it to change a row; leave it out to add one."))

    class Meta:
        model = NonConformity
        fields = [
            "id",
            "description",
            "severity",
            "corrective_action",
            "deadline",
            "closed_on",
            "closing_evidence",
        ]


class InspectionSerializer(OwnedSerializer):
    standard = StandardCodeField(required=False, allow_null=True)
    inspector = InspectorField()
    non_conformities = NonConformitySerializer(many=True, required=False)

    cooperative_from = "producer"
    nested_rows = {"non_conformities": "id"}

    class Meta:
        model = Inspection
        fields = [
            "id",
            "cooperative",
            "producer",
            "standard",
            "inspector",
            "date",
            "checklist",
            "findings",
            "sanction",
            "sanctioned_plot",
            "decision",
            "non_conformities",
            "modified",
        ]
        read_only_fields = ["modified"]
