from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from certifications import reports, selectors
from certifications.forms import ApprovedListForm as ApprovedListQuery
from certifications.models import (
    ApprovalDecision,
    CampaignAssignment,
    Certificate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    SampledMember,
    Sanction,
    SanctionType,
)
from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.renderers import PdfRenderer, XlsxRenderer
from cooperatives.api.viewsets import CooperativeScopedViewSet
from cooperatives.documents import XLSX
from cooperatives.models import Cooperative
from harvests.plausibility import flags_on

from .filters import CertificateFilter, InspectionFilter
from .serializers import (
    ApprovalDecisionSerializer,
    CampaignAssignmentSerializer,
    CertificateSerializer,
    ExternalSampleSerializer,
    InspectionCampaignSerializer,
    InspectionSerializer,
    SanctionSerializer,
    SanctionTypeSerializer,
)

DEFAULT_STANDARD = "eu-organic"

# Besides `view certificate`, which the viewset's permission checks: the list shows these rows too.
ICS_MEMBER_LIST_PERMISSIONS = ["producers.view_producer", "plots.view_plot", "certifications.view_inspection"]


def ics_member_list_response(request, cooperative, certificate=None):
    if not request.user.has_perms(ICS_MEMBER_LIST_PERMISSIONS):
        raise exceptions.PermissionDenied()
    members = selectors.ics_member_list(
        cooperative,
        flags=flags_on(cooperative, timezone.localdate()),
        certificate=certificate,
        personal_data=sees_personal_data(request),
    )
    name = f"ics-{cooperative.code}" + (f"-{certificate.pk}" if certificate else "")
    return reports.member_list_download(members, name=name)


class CertificateViewSet(CooperativeScopedViewSet):
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
        return ics_member_list_response(request, one_cooperative(request))

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


class InspectionViewSet(CooperativeScopedViewSet):
    """Internal inspections of member families (ICS), with their non-conformities."""

    queryset = Inspection.objects.select_related("standard").prefetch_related(
        Prefetch("non_conformities", queryset=NonConformity.objects.order_by("id"))
    )
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    search_fields = ["findings", "producer__code"]
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "id"]


class InspectionCampaignViewSet(CooperativeScopedViewSet):
    """Yearly inspection campaigns; GET .../{id}/progress/ says where one stands."""

    queryset = InspectionCampaign.objects.select_related("standard")
    serializer_class = InspectionCampaignSerializer
    filterset_fields = ["year"]
    ordering_fields = ["year", "modified"]
    ordering = ["-year", "id"]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="Where a campaign stands: done, pending, overdue, due, and one row per family",
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return Response(selectors.campaign_progress(self.get_object()))


class CampaignAssignmentViewSet(CooperativeScopedViewSet):
    """Who inspects which family in a campaign; an inspector's own family is refused."""

    queryset = CampaignAssignment.objects.all()
    serializer_class = CampaignAssignmentSerializer
    filterset_fields = ["campaign", "inspector"]
    ordering = ["id"]


class SanctionTypeViewSet(CooperativeScopedViewSet):
    """The cooperative's catalogue of sanctions."""

    queryset = SanctionType.objects.all()
    serializer_class = SanctionTypeSerializer
    filterset_fields = ["kind", "active"]
    ordering = ["kind", "name", "id"]


class SanctionViewSet(CooperativeScopedViewSet):
    """Sanctions imposed on families, with their effects (a suspension, a withdrawal, a plot's exclusion)
    applied from their start; imposed once, never changed."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Sanction.objects.all()
    serializer_class = SanctionSerializer
    filterset_fields = ["producer", "kind"]
    ordering_fields = ["starts_on", "created"]
    ordering = ["-starts_on", "id"]


class ApprovalDecisionViewSet(CooperativeScopedViewSet):
    """Whether each family is approved under a standard for a year; the approved member list for certifiers."""

    queryset = ApprovalDecision.objects.select_related("standard")
    serializer_class = ApprovalDecisionSerializer
    filterset_fields = ["producer", "year", "decision"]
    ordering_fields = ["year", "modified"]
    ordering = ["-year", "id"]

    @extend_schema(
        parameters=[
            OpenApiParameter("standard", str, description="The standard's code (default: eu-organic)."),
            OpenApiParameter("year", int, description="The year (default: this year)."),
            OpenApiParameter("format", str, enum=["xlsx", "pdf"], description="XLSX (default) or PDF."),
            OpenApiParameter("cooperative", int, description="Needed only by a caller who works for several."),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY},
        summary="The approved member list of a standard and year (XLSX or PDF)",
        description=(
            "The families approved (or approved with conditions) for the year, each with its plots, areas, "
            "organic conversion, last internal inspection, open non-conformities, sanctions and decision. "
            "In the caller's language."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="approved-member-list",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer, PdfRenderer],
    )
    def approved_member_list(self, request):
        if not request.user.has_perms(ICS_MEMBER_LIST_PERMISSIONS):
            raise exceptions.PermissionDenied()
        cooperative = one_cooperative(request)
        params = ApprovedListQuery(
            {
                "standard": request.query_params.get("standard", DEFAULT_STANDARD),
                "year": request.query_params.get("year", timezone.localdate().year),
                "format": request.query_params.get("format", "xlsx"),
            }
        )
        if not params.is_valid():
            raise exceptions.ValidationError(params.errors)
        standard, year = params.cleaned_data["standard"], params.cleaned_data["year"]
        members = selectors.approved_member_list(
            cooperative,
            standard=standard,
            year=year,
            flags=flags_on(cooperative, timezone.localdate()),
            personal_data=sees_personal_data(request),
        )
        name = f"aprobados-{cooperative.code}-{standard.code}-{year}"
        return reports.member_list_download(members, name=name, file_format=params.cleaned_data["format"])


class ExternalSampleViewSet(CooperativeScopedViewSet):
    """The external control body's samples: POST draws one (seeded, reproducible); never changed."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = ExternalSample.objects.select_related("standard").prefetch_related(
        Prefetch("members", queryset=SampledMember.objects.order_by("producer_id"))
    )
    serializer_class = ExternalSampleSerializer
    filterset_fields = ["year"]
    ordering = ["-drawn_on", "id"]


def one_cooperative(request):
    """The caller's cooperative named by ?cooperative=, or their only one."""
    cooperatives = Cooperative.objects.for_user(request.user)
    wanted = request.query_params.get("cooperative")
    if wanted is None:
        mine = list(cooperatives[:2])
        if len(mine) != 1:
            raise exceptions.ValidationError({"cooperative": [_("Choose one of your cooperatives.")]})
        return mine[0]
    try:
        wanted = forms.IntegerField(min_value=1).clean(wanted)
    except ValidationError as error:
        raise exceptions.ValidationError({"cooperative": error.messages}) from None
    return get_object_or_404(cooperatives, pk=wanted)
