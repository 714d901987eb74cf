"""The cooperatives a caller works for, and their collection centres."""

from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperatives.models import CollectionCentre, Cooperative
from exports import downloads
from harvests import plausibility as flags

from .filters import CollectionCentreFilter
from .lean import LeanListMixin
from .permissions import sees_personal_data
from .plausibility import PERMISSIONS as PLAUSIBILITY_PERMISSIONS
from .plausibility import FlagsSerializer, SeasonSerializer
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

    @extend_schema(
        parameters=[SeasonSerializer],
        responses={
            200: FlagsSerializer,
            400: OpenApiResponse(description="The season is not a year from 2000 to this one."),
            404: OpenApiResponse(description="Not one of the caller's cooperatives."),
        },
        summary="The plausibility flags of a cooperative in a season",
        description=(
            "The internal control system's red flags, with the figures that explain each: families whose "
            "certified dry kg bought exceed their covered plots' estimated yield times area by more than the "
            "cooperative's tolerance, plots of different families that overlap, plots outside their declared "
            "district (districts without a boundary are listed as not checked) and families holding over 5 ha "
            "(EU Reg. 2018/848 Art. 36). The same figures as the dashboard's and the admin's. Families' names "
            "only for callers who may see members' personal data."
        ),
    )
    @action(detail=True, methods=["get"], url_path="plausibility")
    def plausibility(self, request, pk=None):
        if not request.user.has_perms(PLAUSIBILITY_PERMISSIONS):
            raise exceptions.PermissionDenied()
        cooperative = self.get_object()
        query = SeasonSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        season = query.validated_data.get("season") or flags.season_of(timezone.localdate())
        result = flags.cooperative_flags(cooperative, season)
        context = {"personal_data": sees_personal_data(request)}
        return Response(FlagsSerializer(result, context=context).data)

    @downloads.api_schema(
        summary="The cooperative's EUDR geolocation file",
        description=(
            "Every plot of the cooperative as the EU's GeoJSON (ProducerName, ProducerCountry, ProductionPlace, "
            "Area; 6 decimals; points only up to 4 ha), streamed. A plot that fails the EU's rules is left out: "
            "`manage.py export_eudr --cooperative <code>` lists them with the reasons."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=downloads.API_RENDERERS)
    def eudr(self, request, pk=None):
        return downloads.api_response(
            self, missing=gettext("This cooperative's EUDR geolocation has no file %(part)s.")
        )


class CollectionCentreViewSet(ProtectedDestroyMixin, CooperativeScopedViewSet):
    queryset = CollectionCentre.objects.all()
    serializer_class = CollectionCentreSerializer
    filterset_class = CollectionCentreFilter
    search_fields = ["name", "community"]
    ordering_fields = ["name", "modified"]
    ordering = ["name", "id"]
