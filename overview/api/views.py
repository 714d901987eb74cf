"""The cooperatives a caller works for, with what reads across the domain: the plausibility flags of a season
and the EUDR geolocation file of every plot (cooperatives.api.views keeps the cooperative's own fields)."""

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperatives import seasons
from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.views import CooperativeViewSet as CooperativeFieldsViewSet
from exports.api import eudr
from harvests import plausibility as flags

from .plausibility import PERMISSIONS as PLAUSIBILITY_PERMISSIONS
from .plausibility import FlagsSerializer, SeasonSerializer


class CooperativeViewSet(CooperativeFieldsViewSet):
    """The cooperatives the caller works for (managed in the admin, read-only here)."""

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
        season = query.validated_data.get("season") or seasons.season_of(timezone.localdate())
        result = flags.cooperative_flags(cooperative, season)
        context = {"personal_data": sees_personal_data(request)}
        return Response(FlagsSerializer(result, context=context).data)

    @eudr.api_schema(
        summary="The cooperative's EUDR geolocation file",
        description=(
            "Every plot of the cooperative as the EU's GeoJSON (ProducerName, ProducerCountry, ProductionPlace, "
            "Area; 6 decimals; points only up to 4 ha), streamed. A plot that fails the EU's rules is left out: "
            "`manage.py export_eudr --cooperative <code>` lists them with the reasons."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=eudr.API_RENDERERS)
    def eudr(self, request, pk=None):
        return eudr.api_response(self, missing=gettext("This cooperative's EUDR geolocation has no file %(part)s."))
