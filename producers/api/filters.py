import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import SearchFilter

from cooperatives.api.filters import CooperativeOwnedFilterSet
from cooperatives.api.permissions import sees_personal_data
from producers.models import Producer, Sex


class ProducerFilter(CooperativeOwnedFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Producer.Status.choices, label=_("Membership status."))
    community = django_filters.CharFilter(label=_("Community (caserío or sector), exactly as written."))
    district = django_filters.CharFilter(field_name="district_id", label=_("District, by its INEI ubigeo."))
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("Sex of the titular member."))

    class Meta:
        model = Producer
        fields = ["cooperative", "status", "community", "district", "sex", "modified_since"]


class ProducerSearchFilter(SearchFilter):
    """Names, codes and communities; a DNI (exact) only for callers who may see members' DNIs."""

    def get_search_fields(self, view, request):
        fields = list(super().get_search_fields(view, request) or [])
        if sees_personal_data(request):
            fields.append("=dni")
        return fields
