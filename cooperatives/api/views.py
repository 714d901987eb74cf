"""The cooperatives a caller works for, and their collection centres."""

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status, viewsets

from cooperatives.models import CollectionCentre, Cooperative

from .filters import CollectionCentreFilter
from .lean import LeanListMixin
from .resource_serializers import CollectionCentreSerializer, CooperativeSerializer
from .viewsets import CooperativeScopedViewSet


class StillReferenced(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records still refer to this one: change or remove them first.")
    default_code = "still_referenced"


class ProtectedDestroyMixin:
    """A row that others protect (on_delete=PROTECT) answers 409 with a message, not a server error."""

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise StillReferenced() from None


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


class CollectionCentreViewSet(ProtectedDestroyMixin, CooperativeScopedViewSet):
    queryset = CollectionCentre.objects.all()
    serializer_class = CollectionCentreSerializer
    filterset_class = CollectionCentreFilter
    search_fields = ["name", "community"]
    ordering_fields = ["name", "modified"]
    ordering = ["name", "id"]
