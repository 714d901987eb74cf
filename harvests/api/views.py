from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from certifications.models import Standard
from cooperatives.api.pagination import CursorPagination
from cooperatives.api.viewsets import CooperativeScopedViewSet
from harvests.models import Delivery, QualityAnalysis
from harvests.services import delivery_change, delivery_delete, delivery_recertify, delivery_record
from plots.models import Plot

from .filters import DeliveryFilter, QualityAnalysisFilter
from .serializers import (
    DeliveryChangeSerializer,
    DeliverySerializer,
    QualityAnalysisSerializer,
    RecertificationSerializer,
    RecertifySerializer,
)


class DeliveryViewSet(CooperativeScopedViewSet):
    """Purchases from member families. A large collection: pages by cursor, with no count."""

    queryset = Delivery.objects.prefetch_related(
        Prefetch("plots", queryset=Plot.objects.only("id").order_by("id")),
        Prefetch("certified_standards", queryset=Standard.objects.order_by("id")),
    )
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    pagination_class = CursorPagination
    search_fields = ["receipt_number"]
    ordering_fields = ["id", "date", "modified"]
    ordering = ["-id"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return DeliveryChangeSerializer
        return DeliverySerializer

    def perform_create(self, serializer):
        serializer.instance = delivery_record(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = delivery_change(delivery=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        # Through the service: the certified kg it brought leave the mass balance with it.
        delivery_delete(delivery=instance)

    @extend_schema(
        request=RecertifySerializer,
        responses={201: RecertificationSerializer},
        summary="Derive the purchase's certification again, on the record",
        description=(
            "A purchase's certification is frozen when it is recorded. This derives it again for its date "
            "(the family's status, the plots' conversion, the certificates then) and records the old and new "
            "status with the reason and the caller. Refused when a lot keeps this cocoa apart under a standard "
            "it would lose, or when lots or shipments already claim the certified kg it would take back."
        ),
    )
    @action(detail=True, methods=["post"])
    def recertify(self, request, pk=None):
        if not request.user.has_perm("harvests.add_recertification"):
            raise exceptions.PermissionDenied()
        delivery = self.get_object()
        serializer = RecertifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recertification = delivery_recertify(
            delivery=delivery, reason=serializer.validated_data["reason"], user=request.user
        )
        return Response(RecertificationSerializer(recertification).data, status=status.HTTP_201_CREATED)


class QualityAnalysisViewSet(CooperativeScopedViewSet):
    """Moisture, bean count and cut test of deliveries' samples."""

    queryset = QualityAnalysis.objects.all()
    serializer_class = QualityAnalysisSerializer
    filterset_class = QualityAnalysisFilter
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "-id"]
