"""The answer of GET /shipments/{id}/trace/, documented for the OpenAPI schema.

The answer itself is built from plain rows by exports.selectors.shipment_trace (a trace gathers
thousands of rows; serializing model objects field by field made it several times slower), so
these serializers describe it and are never run on data: tests/exports/test_api_trace.py holds the
answer to its exact shape and schemathesis checks it against this description.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.models import Certificate
from exports.models import Lot
from harvests.models import Delivery
from plots.models import ConversionStatus, Plot
from producers.models import Producer


class TraceCertificateSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "standard", "number"]


class TracePlotCertificationSerializer(serializers.Serializer):
    conversion_status = serializers.ChoiceField(
        source="trace_conversion_status", choices=ConversionStatus.choices, read_only=True
    )
    certificates = TraceCertificateSerializer(
        source="trace_certificates",
        many=True,
        read_only=True,
        help_text=_("Certificates in force that covered the plot on the delivery's date."),
    )


class TracePlotEudrSerializer(serializers.Serializer):
    has_geometry = serializers.BooleanField(read_only=True)
    geometry_type = serializers.CharField(read_only=True, allow_null=True)
    deforestation_result = serializers.ChoiceField(choices=Plot.DeforestationResult.choices, read_only=True)
    eudr_ready = serializers.BooleanField(read_only=True)


class TracePlotSerializer(serializers.ModelSerializer):
    certification = TracePlotCertificationSerializer(source="*", read_only=True)
    eudr = TracePlotEudrSerializer(source="*", read_only=True)

    class Meta:
        model = Plot
        fields = ["id", "code", "name", "declared_area_ha", "measured_area_ha", "certification", "eudr"]


class TraceProducerSerializer(serializers.ModelSerializer):
    """The family; its DNI only for readers allowed to see members' personal data."""

    class Meta:
        model = Producer
        fields = ["id", "code", "first_name", "last_name", "dni"]
        extra_kwargs = {"dni": {"required": False}}


class TraceDeliverySerializer(serializers.ModelSerializer):
    producer = TraceProducerSerializer(read_only=True)
    certified_standards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    plots = TracePlotSerializer(many=True, read_only=True)
    dry_kg = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "receipt_number",
            "date",
            "state",
            "net_kg",
            "dry_kg",
            "organic_status",
            "certified_standards",
            "producer",
            "plots",
        ]


class TraceAllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kg = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("Dry kg of the delivery that went into the lot.")
    )
    delivery = TraceDeliverySerializer(read_only=True)


class TraceLotSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="lot.id", read_only=True)
    code = serializers.CharField(source="lot.code", read_only=True)
    kg = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("Kg of the lot in this shipment.")
    )
    eudr_segregated = serializers.BooleanField(source="lot.eudr_segregated", read_only=True)
    fairtrade_mode = serializers.ChoiceField(
        source="lot.fairtrade_mode", choices=Lot.FairtradeMode.choices, read_only=True
    )
    allocations = TraceAllocationSerializer(source="lot.allocations.all", many=True, read_only=True)


class ShipmentTraceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    departure_date = serializers.DateField(read_only=True)
    net_kg = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    lots = TraceLotSerializer(source="trace_lots", many=True, read_only=True)
