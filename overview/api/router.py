"""Every resource of /api/v1/ on one router: config.api serves it, the partner's page lists it, tests walk it.

It sits here, above every domain app, because it names them all.
"""

from rest_framework.routers import DefaultRouter

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
from cooperatives.api.views import CollectionCentreViewSet
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

from .views import CooperativeViewSet

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
