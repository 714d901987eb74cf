import django_filters
from django.utils.translation import gettext_lazy as _

from cooperatives.api.filters import CooperativeOwnedFilterSet, IdFilter
from fairtrade.models import DevelopmentPlan, GeneralAssembly, PremiumReceipt, PremiumSpending, Project


class DevelopmentPlanFilter(CooperativeOwnedFilterSet):
    year = IdFilter(field_name="year", min_value=1, max_value=9999, label=_("Year"))

    class Meta:
        model = DevelopmentPlan
        fields = []


class ProjectFilter(CooperativeOwnedFilterSet):
    plan = IdFilter(field_name="plan_id", label=_("Development plan (id)"))
    year = IdFilter(field_name="plan__year", min_value=1, max_value=9999, label=_("Year of the plan"))

    class Meta:
        model = Project
        fields = []


class GeneralAssemblyFilter(CooperativeOwnedFilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Held on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Held on or before"))

    class Meta:
        model = GeneralAssembly
        fields = []


class PremiumReceiptFilter(CooperativeOwnedFilterSet):
    shipment = IdFilter(field_name="shipment_id", label=_("Shipment (id)"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received on or after")
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("Received on or before")
    )

    class Meta:
        model = PremiumReceipt
        fields = []


class PremiumSpendingFilter(CooperativeOwnedFilterSet):
    project = IdFilter(field_name="project_id", label=_("Project (id)"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Spent on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Spent on or before"))

    class Meta:
        model = PremiumSpending
        fields = []
