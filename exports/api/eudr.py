"""The API's `eudr` action on the shipment, lot and cooperative resources: the EUDR geolocation file,
`?part=` when the EU's limits split it, `?pseudonymise=` for names (exports.eudr builds it)."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.settings import api_settings

from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.renderers import GeoJSONRenderer
from exports.eudr import DOWNLOAD_PERMISSIONS
from exports.forms import part_asked, pseudonyms_asked
from exports.views import eudr_download

API_RENDERERS = [GeoJSONRenderer, *api_settings.DEFAULT_RENDERER_CLASSES]


def api_schema(*, summary, description):
    return extend_schema(
        parameters=[
            OpenApiParameter("part", int, description="Which file, when the EU limits split it (1 unless told)."),
            OpenApiParameter(
                "pseudonymise",
                bool,
                description="Stable pseudonyms instead of producer names (always, for callers who may not see them).",
            ),
        ],
        responses={
            (200, GeoJSONRenderer.media_type): OpenApiTypes.OBJECT,
            403: OpenApiResponse(description="The caller may not see plots."),
            404: OpenApiResponse(description="Not one of the caller's, or no such part."),
        },
        summary=summary,
        description=description,
    )


def api_response(view, *, missing):
    """The EUDR file of `view`'s object, as `?part=` and `?pseudonymise=` ask; `missing` says there is no such part.

    The permission to see plots is checked before the object is looked up, as the router's own
    permissions are: a role without it gets 403 whichever cooperative the object belongs to.
    """
    request = view.request
    if not request.user.has_perms(DOWNLOAD_PERMISSIONS):
        raise exceptions.PermissionDenied()
    obj = view.get_object()
    try:
        part = part_asked(request.query_params.get("part"))
    except ValidationError as error:
        raise exceptions.ValidationError({"part": error.messages}) from None
    pseudonymise = pseudonyms_asked(request.query_params.get("pseudonymise")) or not sees_personal_data(request)
    response = eudr_download(obj, part=part, pseudonymise=pseudonymise)
    if response is None:
        raise exceptions.NotFound(missing % {"part": part})
    return response
