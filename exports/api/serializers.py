from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.api.serializers import StandardCodeField
from cooperatives.api.serializers import NestedRowSerializer, OwnedSerializer, ScopedPrimaryKeyRelatedField
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from exports.selectors import MASS_BALANCE_FIGURES
from harvests.models import CertifiedBalance, Delivery


class BuyerSerializer(OwnedSerializer):
    class Meta:
        model = Buyer
        fields = ["id", "cooperative", "name", "country", "eori", "vat_number", "address", "contact_email", "modified"]
        read_only_fields = ["modified"]


class ContractSerializer(OwnedSerializer):
    standards = StandardCodeField(many=True, required=False)

    cooperative_from = "buyer"

    class Meta:
        model = Contract
        fields = [
            "id",
            "cooperative",
            "buyer",
            "number",
            "signed_on",
            "quantity_kg",
            "price_usd_per_t",
            "incoterm",
            "standards",
            "delivery_from",
            "delivery_to",
            "modified",
        ]
        read_only_fields = ["modified"]


# Lots


class LotAllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = LotAllocation
        fields = ["id", "delivery", "kg"]
        read_only_fields = fields


class LotSerializer(OwnedSerializer):
    """A lot; its allocations change through /lots/{id}/allocations/, which moves the deliveries' kilograms."""

    standards = StandardCodeField(many=True, required=False)
    allocations = LotAllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id",
            "cooperative",
            "code",
            "production_start",
            "production_end",
            "eudr_segregated",
            "fairtrade_mode",
            "standards",
            "notes",
            "allocations",
            "modified",
        ]
        read_only_fields = ["production_start", "production_end", "modified"]


class AllocationCreateSerializer(serializers.Serializer):
    delivery = ScopedPrimaryKeyRelatedField(queryset=Delivery.objects.all())
    kg = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


class AllocationChangeSerializer(serializers.Serializer):
    kg = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), help_text=_("The allocation's new dry kg.")
    )


# Shipments


class ShipmentLotSerializer(NestedRowSerializer):
    class Meta:
        model = ShipmentLot
        fields = ["id", "lot", "kg"]


class ContainerSerializer(NestedRowSerializer):
    class Meta:
        model = Container
        fields = ["id", "number", "seal"]


class ShipmentSerializer(OwnedSerializer):
    buyer = serializers.PrimaryKeyRelatedField(source="contract.buyer", read_only=True)
    certifications_claimed = StandardCodeField(many=True, required=False)
    lots = ShipmentLotSerializer(source="shipment_lots", many=True, required=False)
    containers = ContainerSerializer(many=True, required=False)

    cooperative_from = "contract"
    nested_rows = {"shipment_lots": "lot", "containers": "number"}

    class Meta:
        model = Shipment
        fields = [
            "id",
            "cooperative",
            "contract",
            "buyer",
            "number",
            "departure_date",
            "port_of_loading",
            "destination_country",
            "bags",
            "net_kg",
            "hs_code",
            "price_usd_per_t",
            "certifications_claimed",
            "dds_reference",
            "lots",
            "containers",
            "modified",
        ]
        read_only_fields = ["modified"]


# The certified mass balance


class CertifiedBalanceSerializer(OwnedSerializer):
    """A row of the ledger the services keep (read only)."""

    standard = StandardCodeField(read_only=True)

    class Meta:
        model = CertifiedBalance
        fields = ["id", "cooperative", "standard", "season", "bought_kg", "lots_claimed_kg", "sold_kg", "modified"]
        read_only_fields = fields


class MassBalanceRowSerializer(serializers.Serializer):
    """One standard's balance in a season (exports.selectors.mass_balance); dry kg."""

    standard = serializers.CharField(source="standard.code", help_text=_("The standard's code."))
    season = serializers.IntegerField()
    ledger_agrees = serializers.BooleanField(
        help_text=_("Whether the ledger the services keep holds the same bought, claimed and sold kg.")
    )

    def get_fields(self):
        fields = super().get_fields()
        for key, label, help_text in MASS_BALANCE_FIGURES:
            fields[key] = serializers.DecimalField(max_digits=14, decimal_places=2, label=label, help_text=help_text)
        return fields


class MassBalanceSerializer(serializers.Serializer):
    cooperative = serializers.IntegerField(source="cooperative.pk")
    season = serializers.IntegerField()
    standards = MassBalanceRowSerializer(source="rows", many=True)
