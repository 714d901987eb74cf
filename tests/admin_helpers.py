"""Building admin objects per model and posting admin forms as a browser would."""

from django.contrib import admin
from django.urls import reverse

from certifications.models import (
    ApprovalDecision,
    CampaignAssignment,
    Certificate,
    ChecklistTemplate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    Sanction,
    SanctionType,
    Standard,
)
from certifications.services import checklist_template_new_version
from cooperatives.models import CollectionCentre, Cooperative, District, DistrictBoundary, Membership, PartnerKey
from cooperatives.services import partner_key_issue
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from fairtrade import models as fairtrade
from harvests.models import CertifiedBalance, Delivery, QualityAnalysis, Recertification
from plots.models import Plot
from producers.models import HouseholdMember, Producer, ProducerStatusChange
from tests import factories as f

MINKA_APPS = {"cooperatives", "producers", "plots", "certifications", "harvests", "exports", "fairtrade"}

# One object of each registered model inside `coop`.
BUILDERS = {
    District: lambda coop: f.chazuta(),
    # Chazuta's real boundary, which a migration loads.
    DistrictBoundary: lambda coop: DistrictBoundary.objects.get(district=f.chazuta()),
    Standard: lambda coop: Standard.objects.get(code="eu-organic"),
    Cooperative: lambda coop: coop,
    Membership: lambda coop: Membership.objects.create(user=f.UserFactory(), cooperative=coop),
    CollectionCentre: lambda coop: f.CollectionCentreFactory(cooperative=coop),
    PartnerKey: lambda coop: partner_key_issue(name=f"Buyer of {coop.code}", cooperatives=[coop])[0],
    Producer: lambda coop: f.ProducerFactory(cooperative=coop),
    HouseholdMember: lambda coop: f.HouseholdMemberFactory(producer__cooperative=coop),
    ProducerStatusChange: lambda coop: f.ProducerStatusChangeFactory(producer__cooperative=coop),
    Plot: lambda coop: f.PlotFactory(producer__cooperative=coop),
    Certificate: lambda coop: f.CertificateFactory(cooperative=coop),
    CoveredProducer: lambda coop: f.CoveredProducerFactory(certificate__cooperative=coop),
    CoveredPlot: lambda coop: f.CoveredPlotFactory(certificate__cooperative=coop),
    Inspection: lambda coop: f.InspectionFactory(producer__cooperative=coop),
    NonConformity: lambda coop: f.NonConformityFactory(inspection__producer__cooperative=coop),
    ChecklistTemplate: lambda coop: checklist_template_new_version(
        template=ChecklistTemplate.objects.current(Standard.objects.get(code="eu-organic"))
    ),
    InspectionCampaign: lambda coop: f.InspectionCampaignFactory(cooperative=coop),
    CampaignAssignment: lambda coop: f.CampaignAssignmentFactory(campaign__cooperative=coop),
    SanctionType: lambda coop: f.SanctionTypeFactory(cooperative=coop),
    Sanction: lambda coop: f.SanctionFactory(sanction_type__cooperative=coop),
    ApprovalDecision: lambda coop: f.ApprovalDecisionFactory(producer__cooperative=coop),
    ExternalSample: lambda coop: f.ExternalSampleFactory(cooperative=coop),
    Delivery: lambda coop: f.DeliveryFactory(producer__cooperative=coop),
    QualityAnalysis: lambda coop: f.QualityAnalysisFactory(delivery__producer__cooperative=coop),
    Buyer: lambda coop: f.BuyerFactory(cooperative=coop),
    Contract: lambda coop: f.ContractFactory(buyer__cooperative=coop),
    Lot: lambda coop: f.LotFactory(cooperative=coop),
    LotAllocation: lambda coop: f.LotAllocationFactory(lot__cooperative=coop),
    Shipment: lambda coop: f.ShipmentFactory(contract__buyer__cooperative=coop),
    ShipmentLot: lambda coop: f.ShipmentLotFactory(shipment__contract__buyer__cooperative=coop),
    Container: lambda coop: f.ContainerFactory(shipment__contract__buyer__cooperative=coop),
    CertifiedBalance: lambda coop: f.CertifiedBalanceFactory(cooperative=coop),
    Recertification: lambda coop: Recertification.objects.create(
        cooperative=coop,
        delivery=f.DeliveryFactory(producer__cooperative=coop),
        reason="Certificado registrado tarde.",
        old_organic_status="organic",
        new_organic_status="organic",
    ),
    fairtrade.ReferencePrice: lambda coop: f.CoffeePriceFactory(),
    fairtrade.PremiumAccount: lambda coop: fairtrade.PremiumAccount.objects.get_or_create(cooperative=coop)[0],
    fairtrade.DevelopmentPlan: lambda coop: f.DevelopmentPlanFactory(cooperative=coop),
    fairtrade.Project: lambda coop: f.ProjectFactory(plan__cooperative=coop),
    fairtrade.GeneralAssembly: lambda coop: f.GeneralAssemblyFactory(cooperative=coop),
    fairtrade.ProjectApproval: lambda coop: f.ProjectApprovalFactory(project__plan__cooperative=coop),
    fairtrade.PremiumReceipt: lambda coop: f.PremiumReceiptFactory(shipment__contract__buyer__cooperative=coop),
    fairtrade.PremiumSpending: lambda coop: f.PremiumSpendingFactory(project__plan__cooperative=coop),
}

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in MINKA_APPS), key=lambda m: m._meta.label
)
# Shared by all cooperatives, so not scoped.
REFERENCE = {District, DistrictBoundary, Standard, fairtrade.ReferencePrice, ChecklistTemplate}
SCOPED = [model for model in REGISTERED if model not in REFERENCE]
# What a cooperative manager may not add in the admin: reference data, cooperatives and memberships (a
# superuser creates and grants them), and rows written only by services (the status history; allocations,
# made on the lot's page).
MANAGER_CANNOT_ADD = {
    District,
    DistrictBoundary,
    Standard,
    Cooperative,
    Membership,
    ProducerStatusChange,
    LotAllocation,
}
# Checklist versions are reference data: a superuser makes them.
MANAGER_CANNOT_ADD |= {ChecklistTemplate}
# Written by the services only (exports.services.balance_move, harvests.services.delivery_recertify).
MANAGER_CANNOT_ADD |= {CertifiedBalance, Recertification}
# The premium held is kept by fairtrade.services; reference prices are staff data.
MANAGER_CANNOT_ADD |= {fairtrade.PremiumAccount, fairtrade.ReferencePrice}


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist_pks(response):
    """The rows a changelist lists, on every page (its result_list is one page)."""
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def ruc(n):
    """A valid company RUC (prefix 20), different for each n."""
    body = f"20{n:08d}"
    total = sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    return body + str((11 - total % 11) % 10)


def _widget_value(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def form_data(response):
    """The POST data of an admin add or change page as it was rendered: its form and every inline formset."""
    data = {}
    form = response.context["adminform"].form
    forms = [(form, "")]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _widget_value(management[name].value())
        forms += [(inline_form, inline_form.prefix) for inline_form in formset.initial_forms]
    for each, _prefix in forms:
        for name, field in each.fields.items():
            value = each[name].value()
            key = each.add_prefix(name)
            if getattr(field.widget, "input_type", None) == "checkbox":
                if value:
                    data[key] = "on"
            elif value not in (None, ""):
                data[key] = _widget_value(value)
    return data
