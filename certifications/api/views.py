from django.db.models import Prefetch

from certifications.models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity
from cooperatives.api.views import ProtectedDestroyMixin
from cooperatives.api.viewsets import CooperativeScopedViewSet

from .filters import CertificateFilter, InspectionFilter
from .serializers import CertificateSerializer, InspectionSerializer


class ResourceViewSet(ProtectedDestroyMixin, CooperativeScopedViewSet):
    """A plain resource of a cooperative; deleting a row others still refer to answers 409."""


class CertificateViewSet(ResourceViewSet):
    """Certificates the cooperative holds, with the families and plots each covers."""

    queryset = Certificate.objects.select_related("standard").prefetch_related(
        Prefetch("covered_producers", queryset=CoveredProducer.objects.order_by("id")),
        Prefetch("covered_plots", queryset=CoveredPlot.objects.order_by("id")),
    )
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    search_fields = ["number", "certification_body"]
    ordering_fields = ["valid_to", "valid_from", "number", "modified"]
    ordering = ["-valid_to", "id"]


class InspectionViewSet(ResourceViewSet):
    """Internal inspections of member families (ICS), with their non-conformities."""

    queryset = Inspection.objects.select_related("standard").prefetch_related(
        Prefetch("non_conformities", queryset=NonConformity.objects.order_by("id"))
    )
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    search_fields = ["findings", "producer__code"]
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "id"]
