import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cooperatives.api.filters import CooperativeOwnedFilterSet, IdFilter
from harvests.models import Delivery, QualityAnalysis
from plots.models import ConversionStatus


class DeliveryFilter(CooperativeOwnedFilterSet):
    producer = IdFilter(field_name="producer_id", label=_("Producer (id)"))
    collection_centre = IdFilter(field_name="collection_centre_id", label=_("Collection centre (id)"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Delivered on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Delivered on or before"))
    state = django_filters.ChoiceFilter(choices=Delivery.State.choices, label=_("State"))
    organic_status = django_filters.ChoiceFilter(choices=ConversionStatus.choices, label=_("Organic status"))
    standard = django_filters.CharFilter(method="filter_standard", label=_("Certified as (standard code)"))

    class Meta:
        model = Delivery
        fields = []

    def filter_standard(self, queryset, name, value):
        # EXISTS rather than a join: one row per delivery, as the cursor needs.
        certified = Delivery.certified_standards.through.objects.filter(
            delivery_id=OuterRef("pk"), standard__code=value
        )
        return queryset.filter(Exists(certified))


class QualityAnalysisFilter(CooperativeOwnedFilterSet):
    delivery = IdFilter(field_name="delivery_id", label=_("Delivery (id)"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("Analysed on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Analysed on or before"))

    class Meta:
        model = QualityAnalysis
        fields = []
