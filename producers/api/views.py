"""Member families: read by every role of their cooperative, written by its managers and field officers."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import filters
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperatives.api.filters import FilterBackend
from cooperatives.api.permissions import RolePermission, sees_personal_data
from cooperatives.api.viewsets import CooperativeScopedViewSet, etag_of
from producers.models import HouseholdMember, Producer
from producers.services import producer_change_status

from .filters import ProducerFilter, ProducerSearchFilter
from .serializers import ProducerSerializer, ProducerStatusChangeSerializer


class ChangePermission(RolePermission):
    """An action that changes a row (POST .../status/) needs `change`, not `add`."""

    perms_map = {**RolePermission.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class ProducerViewSet(CooperativeScopedViewSet):
    """Member families with their household.

    `status` is read-only here: POST /producers/{id}/status/ changes it and writes
    the step into the family's history (producers.services.producer_change_status).
    A new family starts as an applicant.
    """

    queryset = Producer.objects.all()
    serializer_class = ProducerSerializer
    filter_backends = [FilterBackend, ProducerSearchFilter, filters.OrderingFilter]
    filterset_class = ProducerFilter
    search_fields = ["first_name", "last_name", "=code", "community"]
    ordering_fields = ["last_name", "first_name", "code", "entry_date", "modified"]
    ordering = ["last_name", "first_name", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if sees_personal_data(self.request):
            queryset = queryset.prefetch_related(
                Prefetch("household", queryset=HouseholdMember.objects.order_by("birth_year", "name", "id"))
            )
        return queryset

    @extend_schema(request=ProducerStatusChangeSerializer, responses=ProducerSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangePermission])
    def status(self, request, pk=None):
        """Move the family to another membership status; the step is kept in its history."""
        producer = self.get_object()
        change = ProducerStatusChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        producer_change_status(
            producer=producer,
            to_status=change.validated_data["status"],
            effective_date=change.validated_data.get("effective_date"),
            reason=change.validated_data["reason"],
            changed_by=request.user,
        )
        data = self.get_serializer(self.get_queryset().get(pk=producer.pk)).data
        return Response(data, headers={"ETag": etag_of(data)})
