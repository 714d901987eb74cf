"""The cooperatives and their collection centres, as the API shows them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.models import CollectionCentre, Cooperative

from .serializers import CooperativeOwnedSerializer


class CooperativeSerializer(serializers.ModelSerializer):
    # Plain text: a cooperative may have no address yet, and "" is no e-mail address.
    email = serializers.CharField(label=_("email"), read_only=True)

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "code",
            "ruc",
            "district",
            "address",
            "founded",
            "phone",
            "email",
            "area_tolerance_pct",
            "plausibility_tolerance_pct",
            "modified",
        ]
        read_only_fields = fields


class CollectionCentreSerializer(CooperativeOwnedSerializer):
    class Meta:
        model = CollectionCentre
        fields = ["id", "cooperative", "name", "district", "community", "wet_to_dry_ratio", "is_active", "modified"]
        read_only_fields = ["modified"]
        # The database's own check (at least 1), answered on the field rather than as a constraint's name.
        extra_kwargs = {"wet_to_dry_ratio": {"min_value": 1}}

    def validate_cooperative(self, value):
        if self.instance is not None and value.pk != self.instance.cooperative_id:
            raise serializers.ValidationError(_("A collection centre cannot move to another cooperative."))
        return value
