from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings

from certifications import reports, selectors
from certifications.models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity
from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.views import ProtectedDestroyMixin
from cooperatives.api.viewsets import CooperativeScopedViewSet
from cooperatives.models import Cooperative

from .filters import CertificateFilter, InspectionFilter
from .serializers import CertificateSerializer, InspectionSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Besides `view certificate`, which the viewset's permission checks: the list shows these rows too.
ICS_MEMBER_LIST_PERMISSIONS = ["producers.view_producer", "plots.view_plot", "certifications.view_inspection"]


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for a spreadsheet (Accept: XLSX); the view writes the bytes itself."""

    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


def ics_member_list_response(request, cooperative, certificate=None):
    if not request.user.has_perms(ICS_MEMBER_LIST_PERMISSIONS):
        raise exceptions.PermissionDenied()
    members = selectors.ics_member_list(cooperative, certificate=certificate, personal_data=sees_personal_data(request))
    response = HttpResponse(reports.ics_member_workbook(members), content_type=XLSX)
    name = f"ics-{cooperative.code}" + (f"-{certificate.pk}" if certificate else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


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

    def get_queryset(self):
        if self.action == "ics_member_list_of_certificate":
            return Certificate.objects.for_user(self.request.user).select_related("standard", "cooperative")
        return super().get_queryset()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cooperative",
                int,
                description="The cooperative whose members are listed; needed only by a caller who works for several.",
            )
        ],
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not one of the caller's cooperatives."),
        },
        operation_id="certificates_ics_member_list",
        summary="The ICS member list of a cooperative (XLSX)",
        description=(
            "The internal control system's register for certifiers: one row per family and plot with "
            "the family's code, name, DNI (for callers who may see it), sex, community, district, status and "
            "entry date; the plot's areas and organic conversion; the certificates covering each today and "
            "their exclusions; the last internal inspection, open non-conformities and sanctions. "
            "In the caller's language."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="ics-member-list",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer],
    )
    def ics_member_list(self, request):
        cooperatives = Cooperative.objects.for_user(request.user)
        wanted = request.query_params.get("cooperative")
        if wanted is None:
            mine = list(cooperatives[:2])
            if len(mine) != 1:
                raise exceptions.ValidationError({"cooperative": [_("Choose one of your cooperatives.")]})
            return ics_member_list_response(request, mine[0])
        try:
            wanted = forms.IntegerField(min_value=1).clean(wanted)
        except ValidationError as error:
            raise exceptions.ValidationError({"cooperative": error.messages}) from None
        return ics_member_list_response(request, get_object_or_404(cooperatives, pk=wanted))

    @extend_schema(
        operation_id="certificates_ics_member_list_of_certificate",
        responses={(200, XLSX): OpenApiTypes.BINARY},
        summary="The ICS member list of a certificate's scope (XLSX)",
        description=(
            "As /certificates/ics-member-list/, for the families and plots within this certificate's scope "
            "and the internal inspections of its standard."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="ics-member-list",
        url_name="ics-member-list-of-certificate",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer],
    )
    def ics_member_list_of_certificate(self, request, pk=None):
        certificate = self.get_object()
        return ics_member_list_response(request, certificate.cooperative, certificate)


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
