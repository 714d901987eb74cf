"""The EUDR geolocation file of a shipment, a lot or a cooperative as a download.

One answer for the API, the admin and the pages: the same file, the same name, and the
same rule for whose names it may carry. exports.eudr builds the file; this streams it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.settings import api_settings

from cooperatives import roles
from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.renderers import GeoJSONRenderer
from cooperatives.models import Cooperative

from .eudr import EudrExport, plots_for_cooperative, plots_for_lot, plots_for_shipment
from .models import Lot, Shipment

# The file is the plots' boundaries under the families' names: whoever downloads it must see plots.
PERMISSIONS = ("plots.view_plot",)


def part_asked(value):
    """Which file of a split export is wanted (`?part=`), 1 unless told; ValidationError for anything else."""
    return forms.IntegerField(min_value=1, required=False).clean(value) or 1


def pseudonyms_asked(value):
    return (value or "").lower() in ("1", "true", "yes")


# What an EUDR file is of: its plots, and the name its file goes by.
SOURCES = {
    Shipment: (plots_for_shipment, lambda shipment: str(shipment.pk)),
    Lot: (plots_for_lot, lambda lot: f"lot-{lot.pk}"),
    Cooperative: (plots_for_cooperative, lambda cooperative: cooperative.code),
}


def eudr_of(obj, *, part=1, pseudonymise=False):
    """The `part`-th EUDR file of a shipment, a lot or a cooperative (eudr_response); None when there is none."""
    plots_of, name_of = SOURCES[type(obj)]
    return eudr_response(plots_of(obj), name=name_of(obj), part=part, pseudonymise=pseudonymise)


def eudr_response(plots, *, name, part=1, pseudonymise=False):
    """The `part`-th EUDR file of `plots`, streamed as `eudr-<name>-<part>.geojson`; None when there is no such file.

    Where a file ends depends on the sizes of the features before it, so reaching part 2 means
    building part 1 and throwing it away. No plot that passes the EU's rules means no file at all.
    """
    export = EudrExport(plots, pseudonymise=pseudonymise)
    for number, content in enumerate(export.files(), start=1):
        if number == part:
            response = StreamingHttpResponse(content, content_type=GeoJSONRenderer.media_type)
            response["Content-Disposition"] = f'attachment; filename="eudr-{name}-{part}.geojson"'
            return response
        for _chunk in content:
            pass
    return None


# The API: an `eudr` action on the shipment, lot and cooperative resources.

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
    if not request.user.has_perms(PERMISSIONS):
        raise exceptions.PermissionDenied()
    obj = view.get_object()
    try:
        part = part_asked(request.query_params.get("part"))
    except ValidationError as error:
        raise exceptions.ValidationError({"part": error.messages}) from None
    pseudonymise = pseudonyms_asked(request.query_params.get("pseudonymise")) or not sees_personal_data(request)
    response = eudr_of(obj, part=part, pseudonymise=pseudonymise)
    if response is None:
        raise exceptions.NotFound(missing % {"part": part})
    return response


# The admin.


class EudrDownloadAdminMixin:
    """An admin action downloading the EUDR file of the one shipment, lot or cooperative selected (SOURCES).

    Only the first file: the EU's limits (25 MB, 10,000 families) split none but a federation's
    whole membership, which the API's `?part=` reaches.
    """

    actions = ["download_eudr"]

    def has_eudr_permission(self, request):
        return request.user.has_perms(PERMISSIONS)

    @admin.action(description=gettext_lazy("Download the EUDR geolocation file (GeoJSON)"), permissions=["eudr"])
    def download_eudr(self, request, queryset):
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(request, _("Choose one row to download its EUDR geolocation file."), messages.ERROR)
            return None
        obj = selected[0]
        pseudonymise = not roles.sees_personal_data(request.user)
        response = eudr_of(obj, pseudonymise=pseudonymise)
        if response is None:
            self.message_user(
                request,
                _("%(object)s has no plot mapped as the EU requires: there is no EUDR geolocation file to download.")
                % {"object": obj},
                messages.WARNING,
            )
        return response
