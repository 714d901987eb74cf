"""Plots as the API shows and takes them: geometry as GeoJSON, checked by the model's own rules."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cooperatives.api.serializers import CooperativeOwnedSerializer
from plots.models import ConversionStatus, Plot


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "GeoJSON geometry (RFC 7946): Point, Polygon or MultiPolygon, WGS84, [longitude, latitude].",
        "example": {
            "type": "Polygon",
            "coordinates": [
                [[-76.138, -6.574], [-76.137, -6.574], [-76.137, -6.573], [-76.138, -6.573], [-76.138, -6.574]]
            ],
        },
    }
)
class GeometryField(serializers.JSONField):
    pass


class PlotSerializer(CooperativeOwnedSerializer):
    """A plot. Its cooperative is its family's; the measured area comes from the geometry."""

    geometry = GeometryField(label=_("geometry"), required=False, allow_null=True)
    conversion_status = serializers.SerializerMethodField(help_text=_("Organic conversion status today."))
    eudr_ready = serializers.BooleanField(
        read_only=True,
        help_text=_("Mapped and assessed as not deforested after 31 Dec 2020, as the EUDR asks."),
    )

    class Meta:
        model = Plot
        fields = [
            "id",
            "cooperative",
            "producer",
            "code",
            "name",
            "crop",
            "variety",
            "declared_area_ha",
            "measured_area_ha",
            "planting_year",
            "tree_count",
            "estimated_yield_kg_ha",
            "tenure",
            "district",
            "geometry",
            "conversion_start",
            "conversion_status",
            "deforestation_result",
            "deforestation_method",
            "deforestation_assessed_on",
            "deforestation_evidence",
            "eudr_ready",
            "modified",
        ]
        read_only_fields = ["cooperative", "measured_area_ha", "modified"]

    @extend_schema_field(serializers.ChoiceField(choices=ConversionStatus.choices))
    def get_conversion_status(self, plot):
        return plot.conversion_status(self.context.get("today") or timezone.localdate())

    def validate(self, attrs):
        if self.instance is None and "producer" in attrs:
            # A new plot belongs to its family's cooperative; the model refuses a mismatch later.
            attrs["cooperative"] = attrs["producer"].cooperative
        return super().validate(attrs)


class PlotFeatureProperties(serializers.Serializer):
    """What each GeoJSON feature says of its plot (documentation only: features are built without DRF)."""

    code = serializers.CharField()
    name = serializers.CharField()
    cooperative = serializers.IntegerField()
    producer = serializers.IntegerField()
    crop = serializers.ChoiceField(choices=Plot.Crop.choices)
    variety = serializers.CharField()
    district = serializers.CharField()
    declared_area_ha = serializers.FloatField()
    measured_area_ha = serializers.FloatField(allow_null=True)
    conversion_status = serializers.ChoiceField(choices=ConversionStatus.choices)
    deforestation_result = serializers.ChoiceField(choices=Plot.DeforestationResult.choices)
    eudr_ready = serializers.BooleanField()
    modified = serializers.DateTimeField()


class PlotFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = GeometryField(allow_null=True)
    properties = PlotFeatureProperties()


class CursorLinksSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


@extend_schema_serializer(many=False)
class PlotFeatureCollectionSerializer(serializers.Serializer):
    """A page of plots as RFC 7946 GeoJSON; `links` (a foreign member) leads to the next and previous pages."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = PlotFeatureSerializer(many=True)
    links = CursorLinksSerializer()
