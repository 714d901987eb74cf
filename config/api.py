"""The partner API, /api/v1/: every resource on one router, so that tests can walk them all."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from certifications.api.views import (
    ApprovalDecisionViewSet,
    CampaignAssignmentViewSet,
    CertificateViewSet,
    ExternalSampleViewSet,
    InspectionCampaignViewSet,
    InspectionViewSet,
    SanctionTypeViewSet,
    SanctionViewSet,
)
from config.csp import api_pages_policy
from cooperatives.api.throttling import SchemaAnonRateThrottle
from cooperatives.api.views import CollectionCentreViewSet, CooperativeViewSet
from exports.api.views import BuyerViewSet, CertifiedBalanceViewSet, ContractViewSet, LotViewSet, ShipmentViewSet
from fairtrade.api.views import (
    DevelopmentPlanViewSet,
    GeneralAssemblyViewSet,
    PremiumReceiptViewSet,
    PremiumSpendingViewSet,
    ProjectViewSet,
)
from harvests.api.views import DeliveryViewSet, QualityAnalysisViewSet
from plots.api.views import PlotViewSet
from producers.api.views import ProducerViewSet

router = DefaultRouter()

router.register("cooperatives", CooperativeViewSet, basename="cooperative")
router.register("collection-centres", CollectionCentreViewSet, basename="collection-centre")
router.register("producers", ProducerViewSet, basename="producer")
router.register("plots", PlotViewSet, basename="plot")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("inspection-campaigns", InspectionCampaignViewSet, basename="inspection-campaign")
router.register("campaign-assignments", CampaignAssignmentViewSet, basename="campaign-assignment")
router.register("sanction-types", SanctionTypeViewSet, basename="sanction-type")
router.register("sanctions", SanctionViewSet, basename="sanction")
router.register("approval-decisions", ApprovalDecisionViewSet, basename="approval-decision")
router.register("external-samples", ExternalSampleViewSet, basename="external-sample")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("quality-analyses", QualityAnalysisViewSet, basename="quality-analysis")
router.register("buyers", BuyerViewSet, basename="buyer")
router.register("contracts", ContractViewSet, basename="contract")
router.register("lots", LotViewSet, basename="lot")
router.register("shipments", ShipmentViewSet, basename="shipment")
router.register("certified-balances", CertifiedBalanceViewSet, basename="certified-balance")
router.register("development-plans", DevelopmentPlanViewSet, basename="development-plan")
router.register("projects", ProjectViewSet, basename="project")
router.register("general-assemblies", GeneralAssemblyViewSet, basename="general-assembly")
router.register("premium-receipts", PremiumReceiptViewSet, basename="premium-receipt")
router.register("premium-spendings", PremiumSpendingViewSet, basename="premium-spending")

# Each app registers its resources here (see <app>/api/views.py).
# router.register("producers", producers.api.views.ProducerViewSet, basename="producer")

# The schema and its docs pages: the API's own rates, and the schema's for anonymous callers.
SCHEMA_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, SchemaAnonRateThrottle]

# The docs write their styles inline, which their policy allows (config.csp).
urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(throttle_classes=SCHEMA_THROTTLES), name="schema"),
    path(
        "docs/",
        api_pages_policy(SpectacularSwaggerView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="docs",
    ),
    path(
        "redoc/",
        api_pages_policy(SpectacularRedocView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="redoc",
    ),
]
