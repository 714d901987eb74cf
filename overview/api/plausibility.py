"""The plausibility flags of a cooperative, as the API shows them (harvests.plausibility computes them)."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from cooperatives.seasons import FIRST_SEASON

# Besides `view cooperative`, which the viewset's permission checks: the flags name families and
# plots and add up deliveries.
PERMISSIONS = ["producers.view_producer", "plots.view_plot", "harvests.view_delivery"]
KG = {"max_digits": 14, "decimal_places": 2}


class SeasonSerializer(serializers.Serializer):
    season = serializers.IntegerField(
        label=_("season"),
        required=False,
        min_value=FIRST_SEASON,
        help_text=_("A calendar year; this one if not given."),
    )

    def validate_season(self, value):
        if value > timezone.localdate().year:
            raise serializers.ValidationError(_("A season in the future has no purchases yet."))
        return value


class PersonalNamesMixin:
    """Families' names only for callers who may see members' personal data (codes for everyone)."""

    name_fields = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal_data"):
            for name in self.name_fields:
                data.pop(name, None)
        return data


class PersonalNamesSchema(OpenApiSerializerExtension):
    """The names are optional in the contract: callers who may not see personal data do not receive them,
    as they do not receive a family's DNI (producers.api.serializers.PersonalFieldsSchema)."""

    target_class = PersonalNamesMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        hidden = self.target.name_fields
        schema["required"] = [name for name in schema.get("required", []) if name not in hidden]
        for name in hidden:
            schema["properties"][name]["description"] = gettext("Only for keys that may see members' personal data.")
        return schema


class YieldFlagSerializer(PersonalNamesMixin, serializers.Serializer):
    name_fields = ("name",)
    producer_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    delivered_kg = serializers.DecimalField(**KG, help_text=_("Certified dry kg bought in the season."))
    plausible_kg = serializers.DecimalField(
        **KG, help_text=_("Estimated yield times area of the family's plots within a certificate's scope.")
    )
    ratio = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    tolerance_pct = serializers.DecimalField(max_digits=5, decimal_places=2)


class OverlapFlagSerializer(PersonalNamesMixin, serializers.Serializer):
    name_fields = ("producer_name", "other_producer_name")
    plot_id = serializers.IntegerField()
    plot_code = serializers.CharField()
    producer_id = serializers.IntegerField()
    producer_code = serializers.CharField()
    producer_name = serializers.CharField()
    other_plot_id = serializers.IntegerField()
    other_plot_code = serializers.CharField()
    other_producer_id = serializers.IntegerField()
    other_producer_code = serializers.CharField()
    other_producer_name = serializers.CharField()
    overlap_m2 = serializers.DecimalField(max_digits=14, decimal_places=0)
    overlap_pct = serializers.DecimalField(max_digits=5, decimal_places=1, help_text=_("Of the smaller plot."))


class OutsideDistrictFlagSerializer(PersonalNamesMixin, serializers.Serializer):
    name_fields = ("producer_name",)
    plot_id = serializers.IntegerField()
    plot_code = serializers.CharField()
    producer_id = serializers.IntegerField()
    producer_code = serializers.CharField()
    producer_name = serializers.CharField()
    district = serializers.CharField(help_text=_("INEI ubigeo."))
    district_name = serializers.CharField()
    distance_m = serializers.IntegerField(help_text=_("Of the plot's furthest point from the boundary."))
    tolerance_m = serializers.IntegerField()


class HoldingFlagSerializer(PersonalNamesMixin, serializers.Serializer):
    name_fields = ("name",)
    producer_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    plots = serializers.IntegerField()
    hectares = serializers.DecimalField(max_digits=12, decimal_places=2)
    limit_ha = serializers.DecimalField(max_digits=5, decimal_places=2)


class DistrictNotCheckedSerializer(serializers.Serializer):
    district = serializers.CharField()
    district_name = serializers.CharField()
    plots = serializers.IntegerField()


class FlagsSerializer(serializers.Serializer):
    cooperative = serializers.IntegerField(source="cooperative_id")
    season = serializers.IntegerField()
    tolerance_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
    counts = serializers.DictField(child=serializers.IntegerField())
    over_yield = YieldFlagSerializer(many=True)
    overlaps = OverlapFlagSerializer(many=True)
    outside_district = OutsideDistrictFlagSerializer(many=True)
    over_holding = HoldingFlagSerializer(many=True)
    districts_not_checked = DistrictNotCheckedSerializer(many=True)
