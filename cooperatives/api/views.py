"""The cooperatives a caller works for, and their collection centres."""

from rest_framework import viewsets

from cooperatives.models import CollectionCentre, Cooperative

from .filters import CollectionCentreFilter
from .lean import LeanListMixin
from .resource_serializers import CollectionCentreSerializer, CooperativeSerializer
from .viewsets import CooperativeScopedViewSet


class CooperativeViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    """The cooperatives the caller works for (managed in the admin, read-only here)."""

    queryset = Cooperative.objects.all()
    serializer_class = CooperativeSerializer
    filterset_fields = ["district"]
    search_fields = ["name", "code", "=ruc"]
    ordering_fields = ["name", "code"]
    ordering = ["name"]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


class CollectionCentreViewSet(CooperativeScopedViewSet):
    queryset = CollectionCentre.objects.all()
    serializer_class = CollectionCentreSerializer
    filterset_class = CollectionCentreFilter
    search_fields = ["name", "community"]
    ordering_fields = ["name", "modified"]
    ordering = ["name", "id"]
