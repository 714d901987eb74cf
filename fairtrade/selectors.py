"""What the premium comes to: owed per shipment, and the report of a year.

The pages, the API, the admin and the spreadsheet all read these two functions, so every face
shows the same figures.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from certifications.models import Standard
from exports.models import Shipment

from .models import MONEY, ZERO, PremiumAccount, PremiumReceipt, PremiumSpending, Project, ReferencePrice

CENT = Decimal("0.01")
FAIRTRADE = "fairtrade"


def product_of(shipment):
    """Cocoa unless the HS code says coffee (0901)."""
    return ReferencePrice.Product.COFFEE if shipment.hs_code.startswith("0901") else ReferencePrice.Product.COCOA


def priced_on(shipment):
    """The day whose prices apply: the contract's signing.

    A Fairtrade price change applies to contracts signed from the day it takes effect: the premium
    is a term of the contract, and a shipment under an older contract keeps that contract's terms.
    The contract's date is also always known, where a shipment may not have sailed yet.
    """
    return shipment.contract.signed_on


def price_in_force(prices, day, product):
    """The price of `product` in force on `day` among `prices` (all reference prices, read once)."""
    for price in prices:
        if price.product == product and price.valid_from <= day and (price.valid_to is None or day <= price.valid_to):
            return price
    return None


def fairtrade_prices():
    return list(ReferencePrice.objects.filter(standard__code=FAIRTRADE).order_by("-valid_from"))


@dataclass
class ShipmentPremium:
    """What one Fairtrade shipment owes in premium, and what of it has arrived."""

    shipment: Shipment
    priced_on: datetime.date
    price: ReferencePrice | None  # None: no reference price was in force on that day
    organic: bool
    received_usd: Decimal

    @property
    def premium_usd_per_t(self):
        return self.price.premium_usd_per_t if self.price else None

    @property
    def owed_usd(self):
        if self.price is None:
            return None
        return (self.shipment.net_kg / 1000 * self.price.premium_usd_per_t).quantize(CENT, ROUND_HALF_UP)

    @property
    def outstanding_usd(self):
        return None if self.owed_usd is None else self.owed_usd - self.received_usd

    @property
    def minimum_price_usd_per_t(self):
        """The least the buyer may pay: the minimum price, plus the organic differential for organic cocoa."""
        if self.price is None:
            return None
        return self.price.minimum_price_usd_per_t + (self.price.organic_differential_usd_per_t if self.organic else 0)

    @property
    def below_minimum_price(self):
        floor = self.minimum_price_usd_per_t
        return floor is not None and self.shipment.price_usd_per_t < floor


def fairtrade_shipments(queryset):
    """Shipments of `queryset` that claim Fairtrade, with what they need to be priced (one query)."""
    received = (
        PremiumReceipt.objects.filter(shipment=OuterRef("pk"))
        .order_by()
        .values("shipment")
        .annotate(total=Sum("amount_usd"))
        .values("total")
    )
    claimed = Shipment.certifications_claimed.through.objects.filter(shipment=OuterRef("pk"))
    organic = Standard.objects.filter(is_organic=True).values("pk")
    return (
        queryset.filter(Exists(claimed.filter(standard__code=FAIRTRADE)))
        .select_related("contract")
        .annotate(
            premium_received_usd=Coalesce(Subquery(received), Value(ZERO), output_field=models.DecimalField(**MONEY)),
            claims_organic=Exists(claimed.filter(standard__in=organic)),
        )
    )


def shipment_premiums(shipments, prices=None):
    """ShipmentPremium of each shipment from fairtrade_shipments()."""
    prices = fairtrade_prices() if prices is None else prices
    return [
        ShipmentPremium(
            shipment=shipment,
            priced_on=priced_on(shipment),
            price=price_in_force(prices, priced_on(shipment), product_of(shipment)),
            organic=shipment.claims_organic,
            received_usd=shipment.premium_received_usd,
        )
        for shipment in shipments
    ]


def premium_owed(shipment):
    """The ShipmentPremium of one shipment, or None when it does not claim Fairtrade."""
    found = fairtrade_shipments(Shipment.objects.filter(pk=shipment.pk))
    premiums = shipment_premiums(found)
    return premiums[0] if premiums else None


@dataclass
class ProjectLine:
    project: Project
    spent_in_year_usd: Decimal

    @property
    def remaining_budget_usd(self):
        return self.project.budget_usd - self.project.spent_usd


@dataclass
class PremiumReport:
    """A cooperative's premium in one calendar year (the season, as everywhere in Minka)."""

    year: int
    shipments: list = field(default_factory=list)  # ShipmentPremium of the Fairtrade shipments that sailed in the year
    projects: list = field(default_factory=list)  # ProjectLine of the year's plan, and of any project spent on
    brought_forward_usd: Decimal = ZERO
    received_in_year_usd: Decimal = ZERO
    spent_in_year_usd: Decimal = ZERO
    balance_usd: Decimal = ZERO  # held today, from the premium account

    @property
    def carried_forward_usd(self):
        return self.brought_forward_usd + self.received_in_year_usd - self.spent_in_year_usd

    @property
    def owed_usd(self):
        return sum((line.owed_usd or ZERO for line in self.shipments), ZERO)

    @property
    def received_for_shipments_usd(self):
        return sum((line.received_usd for line in self.shipments), ZERO)

    @property
    def outstanding_usd(self):
        return sum((line.outstanding_usd or ZERO for line in self.shipments), ZERO)

    @property
    def unpriced(self):
        """Shipments whose contract date has no reference price: staff must add it."""
        return [line for line in self.shipments if line.price is None]


def premium_report(cooperative, year):
    """The premium report of `cooperative` for `year`, in a fixed number of queries (six)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    shipments = fairtrade_shipments(
        Shipment.objects.for_cooperative(cooperative).filter(departure_date__range=(start, end))
    ).order_by("departure_date", "number")
    receipts = PremiumReceipt.objects.for_cooperative(cooperative).aggregate(
        before=Sum("amount_usd", filter=Q(received_on__lt=start)),
        during=Sum("amount_usd", filter=Q(received_on__range=(start, end))),
    )
    spendings = PremiumSpending.objects.for_cooperative(cooperative).aggregate(
        before=Sum("amount_usd", filter=Q(date__lt=start)),
        during=Sum("amount_usd", filter=Q(date__range=(start, end))),
    )
    spent_in_year = (
        PremiumSpending.objects.filter(project=OuterRef("pk"), date__range=(start, end))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_usd"))
        .values("total")
    )
    projects = (
        Project.objects.for_cooperative(cooperative)
        .with_figures()
        .annotate(
            spent_in_year_usd=Coalesce(Subquery(spent_in_year), Value(ZERO), output_field=models.DecimalField(**MONEY))
        )
        .filter(Q(plan__year=year) | Q(spent_in_year_usd__gt=0))
        .select_related("plan")
        .order_by("plan__year", "name")
    )
    balance = PremiumAccount.objects.filter(cooperative=cooperative).values_list("balance_usd", flat=True).first()
    return PremiumReport(
        year=year,
        shipments=shipment_premiums(shipments),
        projects=[ProjectLine(project=project, spent_in_year_usd=project.spent_in_year_usd) for project in projects],
        brought_forward_usd=(receipts["before"] or ZERO) - (spendings["before"] or ZERO),
        received_in_year_usd=receipts["during"] or ZERO,
        spent_in_year_usd=spendings["during"] or ZERO,
        balance_usd=balance if balance is not None else ZERO,
    )
