"""factory_boy factories: one realistic object of each kind, inside one cooperative.

Child objects take the cooperative of their parent, as the models require.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
    Sanction,
    SanctionKind,
    SanctionType,
    Standard,
)
from cooperatives import roles
from cooperatives.models import CollectionCentre, Cooperative, District, Membership
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from harvests.models import CertifiedBalance, Delivery, QualityAnalysis
from plots.models import Plot
from producers.models import HouseholdMember, Producer, ProducerStatusChange

CHAZUTA = "220904"
# Company RUCs from python-stdnum's doctests (fixtures/peru/ruc_valid.txt): no personal data.
COMPANY_RUCS = ["20512333797", "20100070970", "20131312955", "20100017491", "20100128056", "20100130204"]


def chazuta():
    return District.objects.get(inei=CHAZUTA)


def square(lon, lat, side_deg=0.001):
    """A closed counter-clockwise square ring (0.001° ≈ 110 m, about 1.2 ha at Chazuta)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + side_deg, lat], [lon + side_deg, lat + side_deg], [lon, lat + side_deg], [lon, lat]]
        ],
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")
    is_staff = True

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Cooperativa Agraria {n}")
    code = factory.Sequence(lambda n: f"coop{n}")
    ruc = factory.Sequence(lambda n: COMPANY_RUCS[n % len(COMPANY_RUCS)])
    district = factory.LazyFunction(chazuta)
    address = "Jr. Progreso s/n, Chazuta"


def staff_for(cooperative, role=roles.MANAGER, **kwargs):
    """A staff user with one role, working for `cooperative` (or several)."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    cooperatives = cooperative if isinstance(cooperative, (list, tuple)) else [cooperative]
    for coop in cooperatives:
        Membership.objects.get_or_create(user=user, cooperative=coop)
    return user


class CollectionCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionCentre

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Centro de acopio {n}")
    district = factory.LazyFunction(chazuta)
    wet_to_dry_ratio = Decimal("2.70")


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    cooperative = factory.SubFactory(CooperativeFactory)
    code = factory.Sequence(lambda n: f"S-{n:04d}")
    first_name = "Rosa Elvira"
    last_name = factory.Sequence(lambda n: f"Tapullima Sangama {n}")
    dni = factory.Sequence(lambda n: f"{40000000 + n:08d}")
    sex = "F"
    birth_date = datetime.date(1978, 5, 14)
    community = "Aguas Verdes"
    district = factory.LazyFunction(chazuta)
    entry_date = datetime.date(2015, 3, 1)
    status = Producer.Status.ACTIVE


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    name = "Luis Tapullima"
    relation = HouseholdMember.Relation.CHILD
    sex = "M"
    birth_year = 2005


class ProducerStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerStatusChange

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    from_status = Producer.Status.APPLICANT
    to_status = Producer.Status.ACTIVE
    effective_date = datetime.date(2015, 3, 1)


class PlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plot

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    code = factory.Sequence(lambda n: f"P-{n:05d}")
    name = "Chacra La Loma"
    variety = "CCN-51"
    declared_area_ha = Decimal("1.2000")
    planting_year = 2012
    tree_count = 1300
    estimated_yield_kg_ha = Decimal("800")
    district = factory.LazyFunction(chazuta)
    # 600 places on a grid well inside Chazuta's boundary (so that no plot is flagged outside its
    # district by chance of the test order), taken in turn.
    geometry = factory.Sequence(lambda n: square(-76.10 + (n % 40) * 0.002, -6.60 + (n // 40 % 15) * 0.002))
    measured_area_ha = Decimal("1.2270")
    conversion_start = datetime.date(2016, 1, 1)
    deforestation_result = Plot.DeforestationResult.NOT_DEFORESTED
    deforestation_method = "Global Forest Watch tree cover 2020 and field visit"
    deforestation_assessed_on = datetime.date(2024, 6, 1)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    cooperative = factory.SubFactory(CooperativeFactory)
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="eu-organic"))
    number = factory.Sequence(lambda n: f"CU-PE-{n:06d}")
    certification_body = "Control Union Perú"
    scope = "Cacao en grano"
    valid_from = datetime.date(2026, 1, 1)
    valid_to = datetime.date(2026, 12, 31)


class CoveredProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoveredProducer

    certificate = factory.SubFactory(CertificateFactory)
    cooperative = factory.SelfAttribute("certificate.cooperative")
    producer = factory.SubFactory(ProducerFactory, cooperative=factory.SelfAttribute("..cooperative"))


class CoveredPlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoveredPlot

    certificate = factory.SubFactory(CertificateFactory)
    cooperative = factory.SelfAttribute("certificate.cooperative")
    plot = factory.SubFactory(PlotFactory, producer__cooperative=factory.SelfAttribute("...cooperative"))


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    inspector = factory.SubFactory(UserFactory)
    date = datetime.date(2026, 5, 10)
    checklist = {"no_prohibited_inputs": True, "buffer_zone": True}
    findings = "Sin observaciones."
    decision = Inspection.Decision.APPROVED


class NonConformityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonConformity

    inspection = factory.SubFactory(InspectionFactory)
    cooperative = factory.SelfAttribute("inspection.cooperative")
    description = "Envases de agroquímicos en la parcela vecina sin barrera."
    severity = NonConformity.Severity.MINOR
    deadline = datetime.date(2026, 8, 1)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery
        skip_postgeneration_save = True

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    collection_centre = factory.SubFactory(CollectionCentreFactory, cooperative=factory.SelfAttribute("..cooperative"))
    receipt_number = factory.Sequence(lambda n: f"R-{n:06d}")
    date = datetime.date(2026, 6, 15)
    state = Delivery.State.DRY
    net_kg = Decimal("250.00")
    moisture_pct = Decimal("7.20")
    price_pen_per_kg = Decimal("9.80")

    @factory.post_generation
    def plots(self, create, extracted, **kwargs):
        if create and extracted:
            self.plots.set(extracted)


class QualityAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualityAnalysis

    delivery = factory.SubFactory(DeliveryFactory)
    cooperative = factory.SelfAttribute("delivery.cooperative")
    date = datetime.date(2026, 6, 15)
    moisture_pct = Decimal("7.10")
    bean_count = 104
    well_fermented = 78
    violet = 15
    slaty = 2
    mouldy = 1
    defective = 2


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Cioccolato Italiano {n} S.r.l.")
    country = "IT"
    eori = "IT00743110157"
    vat_number = "IT00743110157"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    buyer = factory.SubFactory(BuyerFactory)
    cooperative = factory.SelfAttribute("buyer.cooperative")
    number = factory.Sequence(lambda n: f"C-2026-{n:03d}")
    signed_on = datetime.date(2026, 3, 1)
    quantity_kg = Decimal("12500")
    price_usd_per_t = Decimal("8200")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    cooperative = factory.SubFactory(CooperativeFactory)
    code = factory.Sequence(lambda n: f"L-2026-{n:03d}")
    eudr_segregated = True


class LotAllocationFactory(factory.django.DjangoModelFactory):
    """Writes the allocation row only: use exports.services.lot_allocate to move kilograms."""

    class Meta:
        model = LotAllocation

    lot = factory.SubFactory(LotFactory)
    cooperative = factory.SelfAttribute("lot.cooperative")
    delivery = factory.SubFactory(DeliveryFactory, producer__cooperative=factory.SelfAttribute("...cooperative"))
    kg = Decimal("100")


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    contract = factory.SubFactory(ContractFactory)
    cooperative = factory.SelfAttribute("contract.cooperative")
    number = factory.Sequence(lambda n: f"EXP-2026-{n:03d}")
    departure_date = datetime.date(2026, 9, 1)
    destination_country = "IT"
    bags = 200
    net_kg = Decimal("12500")
    price_usd_per_t = Decimal("8200")


class ShipmentLotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentLot

    shipment = factory.SubFactory(ShipmentFactory)
    cooperative = factory.SelfAttribute("shipment.cooperative")
    lot = factory.SubFactory(LotFactory, cooperative=factory.SelfAttribute("..cooperative"))
    kg = Decimal("12500")


class ContainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Container

    shipment = factory.SubFactory(ShipmentFactory)
    cooperative = factory.SelfAttribute("shipment.cooperative")
    number = "CSQU3054383"
    seal = "PE-000123"


# Fairtrade premium (fairtrade app). Models named as strings: no import at the top for them.


class FairtradeShipmentFactory(ShipmentFactory):
    """A shipment that claims Fairtrade; its contract is signed in 2026, under the 2019 prices."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def fairtrade(self, create, extracted, **kwargs):
        if create:
            self.certifications_claimed.add(Standard.objects.get(code="fairtrade"))


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "fairtrade.DevelopmentPlan"

    cooperative = factory.SubFactory(CooperativeFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)


class CoffeePriceFactory(factory.django.DjangoModelFactory):
    """A made-up Fairtrade coffee price of one past month (no real figures: staff enter those)."""

    class Meta:
        model = "fairtrade.ReferencePrice"

    product = "coffee"
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="fairtrade"))
    valid_from = factory.Sequence(lambda n: datetime.date(1900 + n // 12, n % 12 + 1, 1))
    valid_to = factory.LazyAttribute(lambda p: p.valid_from + datetime.timedelta(days=27))
    minimum_price_usd_per_t = Decimal("1000.00")
    premium_usd_per_t = Decimal("100.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "fairtrade.Project"

    plan = factory.SubFactory(DevelopmentPlanFactory)
    cooperative = factory.SelfAttribute("plan.cooperative")
    name = factory.Sequence(lambda n: f"Secadores solares {n}")
    description = "Secadores solares para los centros de acopio."
    budget_usd = Decimal("5000.00")


class GeneralAssemblyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "fairtrade.GeneralAssembly"

    cooperative = factory.SubFactory(CooperativeFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 2, 1) + datetime.timedelta(days=n))
    place = "Local comunal de Chazuta"
    members_present = 120
    minutes = "Acta de la Asamblea General."


class ProjectApprovalFactory(factory.django.DjangoModelFactory):
    """Writes the approval row only: use fairtrade.services.project_approve to check the vote."""

    class Meta:
        model = "fairtrade.ProjectApproval"

    project = factory.SubFactory(ProjectFactory)
    cooperative = factory.SelfAttribute("project.cooperative")
    assembly = factory.SubFactory(GeneralAssemblyFactory, cooperative=factory.SelfAttribute("..cooperative"))
    votes_for = 90
    votes_against = 10
    abstentions = 5


class PremiumReceiptFactory(factory.django.DjangoModelFactory):
    """Writes the receipt row only: use fairtrade.services.premium_receive to move the balance."""

    class Meta:
        model = "fairtrade.PremiumReceipt"

    shipment = factory.SubFactory(FairtradeShipmentFactory)
    cooperative = factory.SelfAttribute("shipment.cooperative")
    received_on = datetime.date(2026, 2, 15)
    amount_usd = Decimal("1000.00")
    reference = factory.Sequence(lambda n: f"TRF-{n:05d}")


class PremiumSpendingFactory(factory.django.DjangoModelFactory):
    """Writes the spending row only: use fairtrade.services.premium_spend to check and move the balance."""

    class Meta:
        model = "fairtrade.PremiumSpending"

    project = factory.SubFactory(ProjectFactory)
    cooperative = factory.SelfAttribute("project.cooperative")
    date = datetime.date(2026, 3, 1)
    amount_usd = Decimal("100.00")
    description = "Compra de materiales."
    receipt_number = factory.Sequence(lambda n: f"F001-{n:05d}")


# The internal control system's year (certifications: campaigns, sanctions, approvals, samples)


class InspectionCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionCampaign

    cooperative = factory.SubFactory(CooperativeFactory)
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="eu-organic"))
    # One campaign a year per standard: each new one takes the next year.
    year = factory.Sequence(lambda n: 2026 + n)
    starts_on = factory.LazyAttribute(lambda campaign: datetime.date(campaign.year, 3, 1))
    ends_on = factory.LazyAttribute(lambda campaign: datetime.date(campaign.year, 10, 31))


class CampaignAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignAssignment

    campaign = factory.SubFactory(InspectionCampaignFactory)
    cooperative = factory.SelfAttribute("campaign.cooperative")
    producer = factory.SubFactory(ProducerFactory, cooperative=factory.SelfAttribute("..cooperative"))
    inspector = factory.SubFactory(UserFactory)


class SanctionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanctionType

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Amonestación escrita {n}")
    kind = SanctionKind.WARNING
    description = "Primera falta leve del reglamento interno."


class SanctionFactory(factory.django.DjangoModelFactory):
    """A sanction's row only; services.sanction_impose is what applies its effects."""

    class Meta:
        model = Sanction

    sanction_type = factory.SubFactory(SanctionTypeFactory)
    cooperative = factory.SelfAttribute("sanction_type.cooperative")
    kind = factory.SelfAttribute("sanction_type.kind")
    producer = factory.SubFactory(ProducerFactory, cooperative=factory.SelfAttribute("..cooperative"))
    starts_on = datetime.date(2026, 6, 1)
    reason = "Envases de agroquímicos en la parcela."


class ApprovalDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovalDecision

    producer = factory.SubFactory(ProducerFactory)
    cooperative = factory.SelfAttribute("producer.cooperative")
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="eu-organic"))
    year = 2026
    decision = ApprovalDecision.Decision.APPROVED
    decided_on = datetime.date(2026, 11, 15)


class ExternalSampleFactory(factory.django.DjangoModelFactory):
    """A sample's row only; services.sample_draw is what draws its members."""

    class Meta:
        model = ExternalSample

    cooperative = factory.SubFactory(CooperativeFactory)
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="eu-organic"))
    year = 2026
    seed = 20260601
    reason = "Visita anual de Control Union."
    population = 0


class CertifiedBalanceFactory(factory.django.DjangoModelFactory):
    """A ledger row only: the services keep the real ones (harvests.ledger.balance_move)."""

    class Meta:
        model = CertifiedBalance

    cooperative = factory.SubFactory(CooperativeFactory)
    standard = factory.LazyFunction(lambda: Standard.objects.get(code="fairtrade"))
    season = factory.Sequence(lambda n: 2026 - n % 1000)
    bought_kg = Decimal("1000.00")
