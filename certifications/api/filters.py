import django_filters
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, Inspection, SanctionKind
from cooperatives.api.filters import CooperativeOwnedFilterSet, IdFilter


class CertificateFilter(CooperativeOwnedFilterSet):
    standard = django_filters.CharFilter(field_name="standard__code", label=_("Standard (code)"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Valid on (date)"))
    expiring_before = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="lt", label=_("Expiring before (date)")
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)


class InspectionFilter(CooperativeOwnedFilterSet):
    producer = IdFilter(field_name="producer_id", label=_("Producer (id)"))
    year = IdFilter(method="filter_year", min_value=1, max_value=9999, label=_("Year"))
    decision = django_filters.ChoiceFilter(choices=Inspection.Decision.choices, label=_("Decision"))
    sanction = django_filters.ChoiceFilter(
        field_name="sanctions__kind", choices=SanctionKind.choices, distinct=True, label=_("Sanction")
    )

    class Meta:
        model = Inspection
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.in_year(int(value))
