from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperatives.api.renderers import XlsxRenderer
from cooperatives.api.viewsets import CooperativeScopedViewSet
from exports.api.views import require_permission
from fairtrade import reports, selectors, services
from fairtrade.models import (
    DevelopmentPlan,
    GeneralAssembly,
    PremiumReceipt,
    PremiumSpending,
    Project,
    ProjectApproval,
)

from .filters import (
    DevelopmentPlanFilter,
    GeneralAssemblyFilter,
    PremiumReceiptFilter,
    PremiumSpendingFilter,
    ProjectFilter,
)
from .serializers import (
    DevelopmentPlanSerializer,
    GeneralAssemblySerializer,
    PremiumReceiptSerializer,
    PremiumReportSerializer,
    PremiumSpendingSerializer,
    ProjectApprovalSerializer,
    ProjectApproveSerializer,
    ProjectSerializer,
    through_service,
)

# Money and votes are records: written once through the services, never changed or deleted here.
WRITE_ONCE = ["get", "post", "head", "options"]


class DevelopmentPlanViewSet(CooperativeScopedViewSet):
    """The Fairtrade Development Plan of each year; /premium-report/ gives the premium of that year."""

    queryset = DevelopmentPlan.objects.all()
    serializer_class = DevelopmentPlanSerializer
    filterset_class = DevelopmentPlanFilter
    ordering_fields = ["year", "modified"]
    ordering = ["-year", "id"]

    def get_queryset(self):
        if self.action == "premium_report":
            return DevelopmentPlan.objects.for_user(self.request.user).select_related("cooperative")
        return super().get_queryset()

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "xlsx"], description="`xlsx` for the spreadsheet."),
        ],
        responses={200: PremiumReportSerializer, (200, XlsxRenderer.media_type): OpenApiTypes.BINARY},
        summary="The Fairtrade premium report of the plan's year",
        description=(
            "Owed, received and outstanding premium of each Fairtrade shipment that sailed in the year (owed = net "
            "tonnes x the premium in force when its contract was signed); spent per project; the premium brought "
            "forward, received, spent and carried forward; and the premium held today."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="premium-report",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, XlsxRenderer],
    )
    def premium_report(self, request, pk=None):
        plan = self.get_object()
        report = selectors.premium_report(plan.cooperative, plan.year)
        if request.accepted_renderer.format == "xlsx":
            return reports.premium_response(report, cooperative=plan.cooperative)
        return Response(PremiumReportSerializer(report).data)


class ProjectViewSet(CooperativeScopedViewSet):
    """Projects of the Development Plans; /approve/ records the General Assembly's vote that approves one."""

    queryset = Project.objects.with_figures()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "modified"]
    ordering = ["name", "id"]

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self._with_figures(serializer)

    def perform_update(self, serializer):
        super().perform_update(serializer)
        self._with_figures(serializer)

    def _with_figures(self, serializer):
        # The answer shows what is spent, which the query adds (with_figures) and the saved row lacks.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        request=ProjectApproveSerializer,
        responses={201: ProjectApprovalSerializer},
        summary="Record the General Assembly's vote that approves the project",
        description=(
            "Only a majority of the votes cast (more for than against) approves; no more votes than members present."
        ),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        project = self.get_object()
        require_permission(request, ProjectApproval, "add")
        serializer = ProjectApproveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        approval = through_service(
            ProjectApproval, services.project_approve, project=project, **serializer.validated_data
        )
        return Response(ProjectApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)


class GeneralAssemblyViewSet(CooperativeScopedViewSet):
    queryset = GeneralAssembly.objects.all()
    serializer_class = GeneralAssemblySerializer
    filterset_class = GeneralAssemblyFilter
    search_fields = ["place", "minutes"]
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "id"]


class PremiumReceiptViewSet(CooperativeScopedViewSet):
    """Premium received per Fairtrade shipment (written once)."""

    http_method_names = WRITE_ONCE
    queryset = PremiumReceipt.objects.all()
    serializer_class = PremiumReceiptSerializer
    filterset_class = PremiumReceiptFilter
    search_fields = ["reference"]
    ordering_fields = ["received_on", "modified"]
    ordering = ["-received_on", "-id"]


class PremiumSpendingViewSet(CooperativeScopedViewSet):
    """Premium spent on approved projects (written once)."""

    http_method_names = WRITE_ONCE
    queryset = PremiumSpending.objects.all()
    serializer_class = PremiumSpendingSerializer
    filterset_class = PremiumSpendingFilter
    search_fields = ["receipt_number", "description"]
    ordering_fields = ["date", "modified"]
    ordering = ["-date", "-id"]
