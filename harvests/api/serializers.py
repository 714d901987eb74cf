from rest_framework import serializers

from certifications.api.serializers import StandardCodeField
from cooperatives.api.serializers import OwnedSerializer
from harvests.models import Delivery, QualityAnalysis, Recertification

DELIVERY_OUTPUTS = [
    "wet_to_dry_ratio",
    "dry_kg",
    "amount_pen",
    "organic_status",
    "certified_standards",
    "allocated_kg",
    "modified",
]


class DeliverySerializer(OwnedSerializer):
    """A purchase. Recorded by harvests.services.delivery_record, which derives and freezes its certification."""

    certified_standards = StandardCodeField(many=True, read_only=True)
    # Computed by the database (generated columns).
    dry_kg = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    amount_pen = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "cooperative",
            "receipt_number",
            "producer",
            "plots",
            "collection_centre",
            "date",
            "state",
            "net_kg",
            "moisture_pct",
            "price_pen_per_kg",
            "notes",
            *DELIVERY_OUTPUTS,
        ]
        read_only_fields = ["cooperative", *DELIVERY_OUTPUTS]
        extra_kwargs = {"plots": {"allow_empty": True}}

    def validate(self, attrs):
        # The service checks the new purchase as a whole (plots, dates, the model's rules) when it records it.
        return attrs


class DeliveryChangeSerializer(DeliverySerializer):
    """A recorded purchase: its family, plots, centre and date fixed its certification, so they stay.

    A purchase recorded against the wrong family or date is deleted and recorded again.
    """

    class Meta(DeliverySerializer.Meta):
        read_only_fields = [
            "cooperative",
            "producer",
            "plots",
            "collection_centre",
            "date",
            *DELIVERY_OUTPUTS,
        ]

    def validate(self, attrs):
        return OwnedSerializer.validate(self, attrs)


class RecertifySerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the certification is derived again (kept on the record).")


class RecertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recertification
        fields = [
            "id",
            "delivery",
            "recorded_at",
            "recorded_by",
            "reason",
            "old_organic_status",
            "new_organic_status",
            "old_standards",
            "new_standards",
            "corrections",
        ]
        read_only_fields = fields


class QualityAnalysisSerializer(OwnedSerializer):
    grade = serializers.ChoiceField(choices=QualityAnalysis.Grade.choices, read_only=True)

    cooperative_from = "delivery"

    class Meta:
        model = QualityAnalysis
        fields = [
            "id",
            "cooperative",
            "delivery",
            "date",
            "moisture_pct",
            "bean_count",
            "beans_cut",
            "well_fermented",
            "violet",
            "slaty",
            "mouldy",
            "defective",
            "grade",
            "modified",
        ]
        read_only_fields = ["modified"]
