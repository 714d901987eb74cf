import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.api.filters import CooperativeOwnedFilterSet, IdFilter
from plots.models import ConversionStatus, Plot


class PlotFilter(CooperativeOwnedFilterSet):
    producer = IdFilter(field_name="producer_id", label=_("Producer id."))
    crop = django_filters.ChoiceFilter(choices=Plot.Crop.choices, label=_("Crop."))
    district = django_filters.CharFilter(field_name="district_id", label=_("District, by its INEI ubigeo."))
    deforestation_result = django_filters.ChoiceFilter(
        choices=Plot.DeforestationResult.choices, label=_("Deforestation assessment result (empty: not assessed).")
    )
    conversion_status = django_filters.ChoiceFilter(
        choices=ConversionStatus.choices, method="filter_conversion_status", label=_("Organic conversion status today.")
    )
    organic = django_filters.BooleanFilter(method="filter_organic", label=_("Whether its harvest is organic today."))
    has_geometry = django_filters.BooleanFilter(
        field_name="geometry", lookup_expr="isnull", exclude=True, label=_("Whether the plot is mapped.")
    )
    eudr_ready = django_filters.BooleanFilter(
        method="filter_eudr_ready", label=_("Mapped and assessed as not deforested after 31 Dec 2020.")
    )

    class Meta:
        model = Plot
        fields = [
            "cooperative",
            "producer",
            "crop",
            "district",
            "deforestation_result",
            "conversion_status",
            "organic",
            "has_geometry",
            "eudr_ready",
            "modified_since",
        ]

    def filter_conversion_status(self, queryset, name, value):
        return queryset.with_conversion_status(value, timezone.localdate())

    def filter_organic(self, queryset, name, value):
        if value:
            return queryset.organic_on(timezone.localdate())
        return queryset.exclude(pk__in=Plot.objects.organic_on(timezone.localdate()).values("pk"))

    def filter_eudr_ready(self, queryset, name, value):
        ready = Q(geometry__isnull=False, deforestation_result=Plot.DeforestationResult.NOT_DEFORESTED)
        return queryset.filter(ready) if value else queryset.exclude(ready)
