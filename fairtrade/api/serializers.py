from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.api.serializers import OwnedSerializer, ScopedPrimaryKeyRelatedField, model_errors
from fairtrade import services
from fairtrade.models import (
    MONEY,
    DevelopmentPlan,
    GeneralAssembly,
    PremiumReceipt,
    PremiumSpending,
    Project,
    ProjectApproval,
)


def through_service(model, write, **kwargs):
    """Call a service; its refusal answers 400 with the same field messages as the model's own."""
    try:
        return write(**kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(model_errors(error, model)) from None


class ServiceCreateMixin:
    """Creates through `service` (a services.py function), whose keyword arguments are the fields
    written; the cooperative is not one: the service takes it from the row's parent."""

    service = None

    def create(self, validated_data):
        arguments = {name: value for name, value in validated_data.items() if name != "cooperative"}
        return through_service(self.Meta.model, self.service, **arguments)


class DevelopmentPlanSerializer(OwnedSerializer):
    class Meta:
        model = DevelopmentPlan
        fields = ["id", "cooperative", "year", "notes", "modified"]
        read_only_fields = ["modified"]


class ProjectSerializer(OwnedSerializer):
    approved_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The date of the General Assembly that approved it; null if none.")
    )
    spent_usd = serializers.DecimalField(**MONEY, read_only=True, help_text=_("Premium spent on it so far."))

    cooperative_from = "plan"

    class Meta:
        model = Project
        fields = [
            "id",
            "cooperative",
            "plan",
            "name",
            "description",
            "budget_usd",
            "approved_on",
            "spent_usd",
            "modified",
        ]
        read_only_fields = ["modified"]


class GeneralAssemblySerializer(OwnedSerializer):
    class Meta:
        model = GeneralAssembly
        fields = ["id", "cooperative", "date", "session", "place", "members_present", "minutes", "modified"]
        read_only_fields = ["modified"]


class ProjectApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectApproval
        fields = ["id", "project", "assembly", "votes_for", "votes_against", "abstentions"]
        read_only_fields = fields


class ProjectApproveSerializer(serializers.Serializer):
    assembly = ScopedPrimaryKeyRelatedField(queryset=GeneralAssembly.objects.all())
    votes_for = serializers.IntegerField(min_value=0, max_value=1_000_000)
    votes_against = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)
    abstentions = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)


class PremiumReceiptSerializer(ServiceCreateMixin, OwnedSerializer):
    """Premium received for a Fairtrade shipment; never more than it still owes. Written once."""

    cooperative_from = "shipment"
    service = staticmethod(services.premium_receive)

    class Meta:
        model = PremiumReceipt
        fields = ["id", "cooperative", "shipment", "received_on", "amount_usd", "reference", "modified"]
        read_only_fields = ["modified"]


class PremiumSpendingSerializer(ServiceCreateMixin, OwnedSerializer):
    """Premium spent on a project a General Assembly approved, within its budget and the premium held."""

    cooperative_from = "project"
    service = staticmethod(services.premium_spend)

    class Meta:
        model = PremiumSpending
        fields = ["id", "cooperative", "project", "date", "amount_usd", "description", "receipt_number", "modified"]
        read_only_fields = ["modified"]


# The report (fairtrade.selectors.premium_report), read as it is.


class ShipmentPremiumSerializer(serializers.Serializer):
    shipment = serializers.IntegerField(source="shipment.id", read_only=True)
    number = serializers.CharField(source="shipment.number", read_only=True)
    departure_date = serializers.DateField(source="shipment.departure_date", read_only=True)
    priced_on = serializers.DateField(read_only=True, help_text=_("The contract's date, whose prices apply."))
    net_kg = serializers.DecimalField(source="shipment.net_kg", max_digits=12, decimal_places=2, read_only=True)
    premium_usd_per_t = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True, allow_null=True)
    owed_usd = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    received_usd = serializers.DecimalField(**MONEY, read_only=True)
    outstanding_usd = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)
    minimum_price_usd_per_t = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True, allow_null=True)
    below_minimum_price = serializers.BooleanField(read_only=True)


class ProjectLineSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.id", read_only=True)
    name = serializers.CharField(source="project.name", read_only=True)
    plan_year = serializers.IntegerField(source="project.plan.year", read_only=True)
    approved_on = serializers.DateField(source="project.approved_on", read_only=True, allow_null=True)
    budget_usd = serializers.DecimalField(source="project.budget_usd", **MONEY, read_only=True)
    spent_in_year_usd = serializers.DecimalField(**MONEY, read_only=True)
    spent_usd = serializers.DecimalField(source="project.spent_usd", **MONEY, read_only=True)
    remaining_budget_usd = serializers.DecimalField(**MONEY, read_only=True)


class PremiumReportSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    brought_forward_usd = serializers.DecimalField(**MONEY, read_only=True)
    received_in_year_usd = serializers.DecimalField(**MONEY, read_only=True)
    spent_in_year_usd = serializers.DecimalField(**MONEY, read_only=True)
    carried_forward_usd = serializers.DecimalField(**MONEY, read_only=True)
    owed_usd = serializers.DecimalField(
        **MONEY, read_only=True, help_text=_("Premium owed by the Fairtrade shipments that sailed in the year.")
    )
    received_for_shipments_usd = serializers.DecimalField(**MONEY, read_only=True)
    outstanding_usd = serializers.DecimalField(**MONEY, read_only=True)
    balance_usd = serializers.DecimalField(**MONEY, read_only=True, help_text=_("Premium held today."))
    shipments = ShipmentPremiumSerializer(many=True, read_only=True)
    projects = ProjectLineSerializer(many=True, read_only=True)
