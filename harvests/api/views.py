from django.db.models import Prefetch

from certifications.api.views import ResourceViewSet
from certifications.models import Standard
from cooperatives.api.pagination import CursorPagination
from harvests.models import Delivery, QualityAnalysis
from harvests.services import delivery_record
from plots.models import Plot

from .filters import DeliveryFilter, QualityAnalysisFilter
from .serializers import DeliveryChangeSerializer, DeliverySerializer, QualityAnalysisSerializer


class DeliveryViewSet(ResourceViewSet):
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


class QualityAnalysisViewSet(ResourceViewSet):
    """Moisture, bean count and cut test of deliveries' samples."""

    queryset = QualityAnalysis.objects.all()
    serializer_class = QualityAnalysisSerializer
    filterset_class = QualityAnalysisFilter
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "-id"]
