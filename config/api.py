"""The partner API, /api/v1/: every resource on one router, so that tests can walk them all."""

from django.conf import settings
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
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

# Swagger UI and Redoc write their styles inline (style attributes, styled-components' <style> elements), so
# their two pages allow inline styles (no nonce beside 'unsafe-inline': a browser that sees a nonce ignores
# it), and Redoc searches in a worker it starts from a blob of its own code. Scripts stay Minka's files or
# nonced. Redoc's Redocly logo, from Redocly's site, is refused: Redoc then leaves it out.
DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}
docs_policy = csp_override(DOCS_CSP)

# The schema and its docs pages: the API's own rates, and the schema's for anonymous callers.
SCHEMA_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, SchemaAnonRateThrottle]

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(throttle_classes=SCHEMA_THROTTLES), name="schema"),
    path(
        "docs/",
        docs_policy(SpectacularSwaggerView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="docs",
    ),
    path(
        "redoc/",
        docs_policy(SpectacularRedocView.as_view(url_name="api:schema", throttle_classes=SCHEMA_THROTTLES)),
        name="redoc",
    ),
]
