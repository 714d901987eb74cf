from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.renderers import PdfRenderer, XlsxRenderer
from cooperatives.api.viewsets import CooperativeScopedViewSet
from cooperatives.models import Cooperative
from exports import reports, selectors, services
from exports.forms import MassBalanceForm
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from harvests.models import CertifiedBalance

from . import eudr
from .filters import BuyerFilter, CertifiedBalanceFilter, ContractFilter, LotFilter, ShipmentFilter
from .serializers import (
    AllocationChangeSerializer,
    AllocationCreateSerializer,
    BuyerSerializer,
    CertifiedBalanceSerializer,
    ContractSerializer,
    LotAllocationSerializer,
    LotSerializer,
    MassBalanceSerializer,
    ShipmentSerializer,
)
from .trace import ShipmentTraceSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def require_permission(request, model, action_name):
    """The role's permission on a row the view's own model does not name (a lot's allocation)."""
    codename = f"{model._meta.app_label}.{action_name}_{model._meta.model_name}"
    if not request.user.has_perm(codename):
        raise exceptions.PermissionDenied()


class BuyerViewSet(CooperativeScopedViewSet):
    queryset = Buyer.objects.all()
    serializer_class = BuyerSerializer
    filterset_class = BuyerFilter
    search_fields = ["name", "eori", "vat_number"]
    ordering_fields = ["name", "modified"]
    ordering = ["name", "id"]


class ContractViewSet(CooperativeScopedViewSet):
    queryset = Contract.objects.prefetch_related("standards")
    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    search_fields = ["number"]
    ordering_fields = ["signed_on", "number", "modified"]
    ordering = ["-signed_on", "id"]


class LotViewSet(CooperativeScopedViewSet):
    """Lots, and their allocations: kilograms taken from deliveries through exports.services."""

    queryset = Lot.objects.prefetch_related(
        "standards", Prefetch("allocations", queryset=LotAllocation.objects.order_by("id"))
    )
    serializer_class = LotSerializer
    filterset_class = LotFilter
    search_fields = ["code"]
    ordering_fields = ["code", "production_end", "modified"]
    ordering = ["code", "id"]

    def get_queryset(self):
        if self.action == "eudr":
            return Lot.objects.for_user(self.request.user)
        return super().get_queryset()

    def perform_create(self, serializer):
        services.lot_save(lot=None, save=serializer.save)

    def perform_update(self, serializer):
        # What the lot claims changes through the services: its allocations may carry it, the ledger holds it.
        services.lot_save(lot=serializer.instance, save=serializer.save)

    def perform_destroy(self, instance):
        # Each allocation gives its kilograms back to its delivery and its claims to the ledger, as the admin does.
        services.lot_delete(lot=instance)

    @eudr.api_schema(
        summary="The lot's EUDR geolocation file",
        description=(
            "The plots of the purchases allocated to the lot as the EU's GeoJSON (ProducerName, ProducerCountry, "
            "ProductionPlace, Area; 6 decimals; points only up to 4 ha), streamed. A plot that fails the EU's "
            "rules is left out."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=eudr.API_RENDERERS)
    def eudr(self, request, pk=None):
        return eudr.api_response(self, missing=_("This lot's EUDR geolocation has no file %(part)s."))

    @extend_schema(
        request=AllocationCreateSerializer,
        responses={201: LotAllocationSerializer},
        summary="Put dry kg of a delivery into the lot",
    )
    @action(detail=True, methods=["post"], url_path="allocations")
    def allocate(self, request, pk=None):
        require_permission(request, LotAllocation, "add")
        lot = self.get_object()
        serializer = AllocationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        allocation = services.lot_allocate(lot=lot, **serializer.validated_data)
        return Response(LotAllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        request=AllocationChangeSerializer,
        responses={200: LotAllocationSerializer},
        summary="Change the dry kg an allocation takes from its delivery",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: OpenApiResponse(description="Removed.")})
    @action(detail=True, methods=["patch", "delete"], url_path=r"allocations/(?P<allocation_id>[0-9]+)")
    def allocation(self, request, pk=None, allocation_id=None):
        require_permission(request, LotAllocation, "change" if request.method == "PATCH" else "delete")
        lot = self.get_object()
        allocation = get_object_or_404(LotAllocation, lot=lot, pk=allocation_id)
        if request.method == "DELETE":
            services.allocation_remove(allocation=allocation)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = AllocationChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = services.allocation_change(allocation=allocation, kg=serializer.validated_data["kg"])
        return Response(LotAllocationSerializer(allocation).data)


class ShipmentViewSet(CooperativeScopedViewSet):
    """Exports: lots in containers under a contract; /trace/ follows the cocoa back to its plots."""

    queryset = Shipment.objects.select_related("contract").prefetch_related(
        "certifications_claimed",
        Prefetch("shipment_lots", queryset=ShipmentLot.objects.order_by("id")),
        Prefetch("containers", queryset=Container.objects.order_by("id")),
    )
    serializer_class = ShipmentSerializer
    filterset_class = ShipmentFilter
    search_fields = ["number", "dds_reference"]
    ordering_fields = ["departure_date", "number", "modified"]
    ordering = ["-departure_date", "id"]

    def perform_create(self, serializer):
        services.shipment_save(shipment=None, save=serializer.save)

    def perform_update(self, serializer):
        # What the shipment claims is sold out of the certified kg bought: the services keep the ledger.
        services.shipment_save(shipment=serializer.instance, save=serializer.save)

    def perform_destroy(self, instance):
        services.shipment_delete(shipment=instance)

    def get_queryset(self):
        if self.action in ("trace", "eudr"):
            return Shipment.objects.for_user(self.request.user)
        if self.action == "trace_report":
            return Shipment.objects.for_user(self.request.user).select_related("cooperative", "contract__buyer")
        return super().get_queryset()

    @extend_schema(responses={200: ShipmentTraceSerializer}, summary="Trace the shipment's cocoa back to its plots")
    @action(detail=True, methods=["get"])
    def trace(self, request, pk=None):
        shipment = self.get_object()
        return Response(selectors.shipment_trace(shipment, personal_data=sees_personal_data(request)))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=["xlsx", "pdf"],
                description="`pdf` for the printable report (as `Accept: application/pdf`); else the spreadsheet.",
            ),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, PDF): OpenApiTypes.BINARY},
        summary="The shipment's traceability report (XLSX or PDF)",
        description=(
            "The trace as a spreadsheet (one row per lot, purchase and plot) or as a printable A4 PDF "
            "(per lot its purchases, families, plots, kg, certification and EUDR state, and totals), "
            "in the caller's language. Both are built from the same data as /trace/."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="trace-report",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer, PdfRenderer],
    )
    def trace_report(self, request, pk=None):
        shipment = self.get_object()
        trace = selectors.shipment_trace(shipment, personal_data=sees_personal_data(request))
        if request.accepted_renderer.format == "pdf":
            response = HttpResponse(reports.trace_pdf(trace, shipment=shipment), content_type=PDF)
            response["Content-Disposition"] = f'attachment; filename="trace-{shipment.pk}.pdf"'
            return response
        response = HttpResponse(reports.trace_workbook(trace), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="trace-{shipment.pk}.xlsx"'
        return response

    @eudr.api_schema(
        summary="The shipment's EUDR geolocation file",
        description=(
            "The plots the shipment's cocoa came from as the EU's GeoJSON (ProducerName, ProducerCountry, "
            "ProductionPlace, Area; 6 decimals; points only up to 4 ha), streamed. A plot that fails the EU's "
            "rules is left out: `manage.py export_eudr --shipment <id>` lists them with the reasons."
        ),
    )
    @action(detail=True, methods=["get"], renderer_classes=eudr.API_RENDERERS)
    def eudr(self, request, pk=None):
        return eudr.api_response(self, missing=_("This shipment's EUDR geolocation has no file %(part)s."))


class CertifiedBalanceViewSet(CooperativeScopedViewSet):
    """The certified mass balance: the ledger the services keep, and the report of a season (/mass-balance/).

    Read only: purchases, lots and shipments change it, through their services.
    """

    queryset = CertifiedBalance.objects.select_related("standard")
    serializer_class = CertifiedBalanceSerializer
    filterset_class = CertifiedBalanceFilter
    ordering_fields = ["season", "modified"]
    ordering = ["-season", "standard_id", "id"]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "cooperative", int, description="The cooperative; needed only by a caller who works for several."
            ),
            OpenApiParameter("season", int, description="The season (calendar year); this year unless told."),
            OpenApiParameter("standard", str, description="A standard's code (`fairtrade`); all the held ones else."),
            OpenApiParameter("format", str, enum=["json", "xlsx"], description="`xlsx` for the spreadsheet."),
        ],
        responses={200: MassBalanceSerializer, (200, XLSX): OpenApiTypes.BINARY},
        summary="The certified mass balance of a season, per standard",
        description=(
            "Certified dry kg bought in the season, in stock, in lots (certified, downgraded, under mass balance), "
            "in lots not shipped and shipped, sold, and the gap between bought and sold explained "
            "(bought - sold = in stock + downgraded + in lots not shipped + processing losses - mass balance). "
            "The same figures as the page /c/<code>/mass-balance/ and the admin's report."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="mass-balance",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer],
    )
    def mass_balance(self, request):
        form = MassBalanceForm(request.query_params, cooperatives=Cooperative.objects.for_user(request.user))
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        report = form.report()
        if request.accepted_renderer.format == "xlsx":
            response = HttpResponse(reports.mass_balance_workbook(report), content_type=XLSX)
            name = f"mass-balance-{report['cooperative'].code}-{report['season']}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return Response(MassBalanceSerializer(report).data)
