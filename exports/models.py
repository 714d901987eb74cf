from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords
from stdnum import iso6346

from certifications.models import Standard
from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import DateWithin, validate_positive
from harvests.models import Delivery

validate_eori = RegexValidator(
    r"^[A-Z]{2}[0-9A-Z]{1,15}\Z",
    _("An EORI number is a two-letter country code and up to 15 letters or digits, e.g. IT00743110157."),
    code="eori_format",
)


def validate_container_number(value):
    try:
        iso6346.validate(value)
    except Exception:
        raise ValidationError(
            _("%(value)s is not a valid container number (ISO 6346: 4 letters, 7 digits, last a check digit)."),
            code="container_number",
            params={"value": value},
        ) from None


class Buyer(CooperativeOwned):
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    eori = models.CharField(_("EORI number"), max_length=17, blank=True, validators=[validate_eori])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["cooperative", "name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="buyer_name_unique")]

    def __str__(self):
        return self.name


# How far ahead a contract's shipment period and a shipment's departure may be set.
CONTRACT_YEARS = 5


class Contract(CooperativeOwned):
    class Incoterm(models.TextChoices):
        FOB = "FOB", "FOB"
        FCA = "FCA", "FCA"
        CIF = "CIF", "CIF"
        EXW = "EXW", "EXW"

    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=40)
    signed_on = models.DateField(_("signed on"), validators=[DateWithin()])
    quantity_kg = models.DecimalField(
        _("quantity (kg)"), max_digits=12, decimal_places=2, validators=[validate_positive]
    )
    price_usd_per_t = models.DecimalField(
        _("price (USD/t)"), max_digits=10, decimal_places=2, validators=[validate_positive]
    )
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=Incoterm, default=Incoterm.FOB)
    standards = models.ManyToManyField(Standard, verbose_name=_("certifications required"), blank=True)
    delivery_from = models.DateField(
        _("shipment period from"), null=True, blank=True, validators=[DateWithin(years_ahead=CONTRACT_YEARS)]
    )
    delivery_to = models.DateField(
        _("shipment period to"), null=True, blank=True, validators=[DateWithin(years_ahead=CONTRACT_YEARS)]
    )

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["cooperative", "-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="contract_number_unique"),
            models.CheckConstraint(condition=Q(quantity_kg__gt=0), name="contract_quantity_positive"),
            models.CheckConstraint(condition=Q(price_usd_per_t__gt=0), name="contract_price_positive"),
            models.CheckConstraint(
                condition=Q(delivery_from__isnull=True)
                | Q(delivery_to__isnull=True)
                | Q(delivery_to__gte=F("delivery_from")),
                name="contract_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "signed_on"], name="contract_coop_signed_on"),
            models.Index(fields=["cooperative", "buyer"], name="contract_coop_buyer"),
        ]

    def __str__(self):
        return f"{self.number} ({self.buyer})"

    def clean(self):
        super().clean()
        if self.buyer_id:
            self.check_same_cooperative(buyer=self.buyer)
        if self.delivery_from and self.delivery_to and self.delivery_to < self.delivery_from:
            raise ValidationError({"delivery_to": _("The shipment period cannot end before it starts.")})


class LotQuerySet(CooperativeOwnedQuerySet):
    def eudr_segregated(self):
        return self.filter(eudr_segregated=True)


class Lot(CooperativeOwned):
    """Cocoa gathered from deliveries through fermentation and drying, ready to ship."""

    class FairtradeMode(models.TextChoices):
        NONE = "", _("not Fairtrade")
        SEGREGATED = "segregated", _("physical traceability")
        MASS_BALANCE = "mass_balance", _("mass balance")

    code = models.CharField(_("lot code"), max_length=30)
    production_start = models.DateField(_("production from"), null=True, blank=True, validators=[DateWithin()])
    production_end = models.DateField(_("production to"), null=True, blank=True, validators=[DateWithin()])
    eudr_segregated = models.BooleanField(
        _("EUDR segregated"),
        default=True,
        help_text=_("Only cocoa from mapped, assessed plots: the EUDR allows no mass balance."),
    )
    fairtrade_mode = models.CharField(
        _("Fairtrade traceability"), max_length=12, choices=FairtradeMode, blank=True, default=""
    )
    standards = models.ManyToManyField(Standard, verbose_name=_("certified as"), blank=True)
    deliveries = models.ManyToManyField(
        Delivery, through="LotAllocation", related_name="lots", verbose_name=_("deliveries")
    )
    notes = models.TextField(_("notes"), blank=True)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = LotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["cooperative", "-production_end", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="lot_code_unique"),
            models.CheckConstraint(
                condition=Q(production_start__isnull=True)
                | Q(production_end__isnull=True)
                | Q(production_end__gte=F("production_start")),
                name="lot_production_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        super().clean()
        if self.production_start and self.production_end and self.production_end < self.production_start:
            raise ValidationError({"production_end": _("Production cannot end before it starts.")})


class LotAllocation(CooperativeOwned):
    """Dry kilograms of one delivery that went into one lot."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="allocations")
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="allocations"
    )
    kg = models.DecimalField(_("dry kg"), max_digits=12, decimal_places=2, validators=[validate_positive])

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["lot", "delivery"], name="allocation_once_per_lot"),
            models.CheckConstraint(condition=Q(kg__gt=0), name="allocation_kg_positive"),
        ]
        indexes = [models.Index(fields=["cooperative", "delivery"], name="allocation_coop_delivery")]

    def __str__(self):
        return f"{self.delivery} → {self.lot}: {self.kg} kg"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "lot", None))
        if self.delivery_id:
            self.check_same_cooperative(delivery=self.delivery)


class ShipmentQuerySet(CooperativeOwnedQuerySet):
    pass


class Shipment(CooperativeOwned):
    """An export: lots in containers, sold under a contract."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="shipments"
    )
    number = models.CharField(_("shipment number"), max_length=40)
    departure_date = models.DateField(
        _("departure date"), null=True, blank=True, validators=[DateWithin(years_ahead=CONTRACT_YEARS)]
    )
    port_of_loading = models.CharField(_("port of loading"), max_length=80, default="Callao")
    destination_country = CountryField(_("destination country"))
    bags = models.PositiveIntegerField(_("bags"), default=0)
    net_kg = models.DecimalField(_("net weight (kg)"), max_digits=12, decimal_places=2, validators=[validate_positive])
    hs_code = models.CharField(
        _("HS code"),
        max_length=10,
        default="1801",
        validators=[RegexValidator(r"^\d{4,10}\Z", _("An HS code has 4 to 10 digits."))],
    )
    price_usd_per_t = models.DecimalField(
        _("price (USD/t)"), max_digits=10, decimal_places=2, validators=[validate_positive]
    )
    certifications_claimed = models.ManyToManyField(
        Standard, verbose_name=_("certifications claimed"), blank=True, related_name="+"
    )
    dds_reference = models.CharField(
        _("DDS reference"), max_length=60, blank=True, help_text=_("The buyer's due diligence statement number.")
    )
    lots = models.ManyToManyField(Lot, through="ShipmentLot", related_name="shipments", verbose_name=_("lots"))

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = ShipmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["cooperative", "-departure_date"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="shipment_number_unique"),
            models.CheckConstraint(condition=Q(net_kg__gt=0), name="shipment_net_kg_positive"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "departure_date"], name="shipment_coop_departure"),
            models.Index(fields=["cooperative", "contract"], name="shipment_coop_contract"),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        super().clean()
        if self.contract_id:
            self.check_same_cooperative(contract=self.contract)

    @property
    def value_usd(self):
        return (self.net_kg / 1000 * self.price_usd_per_t).quantize(Decimal("0.01"))


class ShipmentLot(CooperativeOwned):
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="shipment_lots"
    )
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="shipment_lots")
    kg = models.DecimalField(_("kg"), max_digits=12, decimal_places=2, validators=[validate_positive])

    class Meta:
        verbose_name = _("shipped lot")
        verbose_name_plural = _("shipped lots")
        constraints = [
            models.UniqueConstraint(fields=["shipment", "lot"], name="shipment_lot_once"),
            models.CheckConstraint(condition=Q(kg__gt=0), name="shipment_lot_kg_positive"),
        ]

    def __str__(self):
        return f"{self.lot}: {self.kg} kg"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "shipment", None))
        if self.lot_id:
            self.check_same_cooperative(lot=self.lot)


class Container(CooperativeOwned):
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="containers"
    )
    number = models.CharField(_("container number"), max_length=11, validators=[validate_container_number])
    seal = models.CharField(_("seal"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("container")
        verbose_name_plural = _("containers")
        constraints = [models.UniqueConstraint(fields=["shipment", "number"], name="container_once_per_shipment")]

    def __str__(self):
        return self.number

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "shipment", None))

    @property
    def left_to_sell_kg(self):
        return self.bought_kg - self.sold_kg
