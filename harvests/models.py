from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from certifications.models import Standard
from cooperatives.models import CollectionCentre, CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import validate_percentage, validate_positive
from plots.models import ConversionStatus, Plot
from producers.models import Producer

KG = Decimal("0.01")


class DeliveryQuerySet(CooperativeOwnedQuerySet):
    def between(self, start, end):
        return self.filter(date__range=(start, end))

    def with_unallocated_kg(self):
        return self.filter(allocated_kg__lt=F("dry_kg"))


class Delivery(CooperativeOwned):
    """A purchase of cocoa from a member family at a collection centre (acopio)."""

    class State(models.TextChoices):
        WET = "wet", _("wet (baba)")
        DRY = "dry", _("dry")

    receipt_number = models.CharField(_("receipt number"), max_length=30)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="deliveries"
    )
    plots = models.ManyToManyField(Plot, verbose_name=_("plots of origin"), related_name="deliveries")
    collection_centre = models.ForeignKey(
        CollectionCentre, verbose_name=_("collection centre"), on_delete=models.PROTECT, related_name="deliveries"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    state = models.CharField(_("state"), max_length=3, choices=State, default=State.DRY)
    net_kg = models.DecimalField(_("net weight (kg)"), max_digits=10, decimal_places=2, validators=[validate_positive])
    moisture_pct = models.DecimalField(
        _("moisture (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[validate_percentage]
    )
    price_pen_per_kg = models.DecimalField(
        _("price (PEN/kg)"), max_digits=8, decimal_places=2, validators=[validate_positive]
    )
    wet_to_dry_ratio = models.DecimalField(
        _("wet to dry ratio"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.70"),
        help_text=_("The collection centre's ratio on the day of the delivery, kept as it was then."),
    )
    # Kept from the ratio above so that lots count in dry kilograms.
    dry_kg = models.GeneratedField(
        expression=Case(
            When(state="wet", then=Round(F("net_kg") / F("wet_to_dry_ratio"), 2)),
            default=F("net_kg"),
        ),
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=True,
        verbose_name=_("dry weight (kg)"),
    )
    amount_pen = models.GeneratedField(
        expression=F("net_kg") * F("price_pen_per_kg"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("amount (PEN)"),
    )
    organic_status = models.CharField(
        _("organic status"),
        max_length=16,
        choices=ConversionStatus,
        default=ConversionStatus.CONVENTIONAL,
        help_text=_("As it was on the date of the delivery; never recomputed afterwards."),
    )
    certified_standards = models.ManyToManyField(
        Standard, verbose_name=_("certified as"), blank=True, related_name="deliveries"
    )
    allocated_kg = models.DecimalField(
        _("allocated to lots (kg)"), max_digits=12, decimal_places=2, default=Decimal(0), editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = DeliveryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["dry_kg", "amount_pen"])

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["cooperative", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "receipt_number"], name="delivery_receipt_unique"),
            models.CheckConstraint(condition=Q(net_kg__gt=0), name="delivery_net_kg_positive"),
            models.CheckConstraint(condition=Q(price_pen_per_kg__gte=0), name="delivery_price_not_negative"),
            models.CheckConstraint(
                condition=Q(moisture_pct__isnull=True) | Q(moisture_pct__gte=0, moisture_pct__lte=100),
                name="delivery_moisture_is_a_percentage",
            ),
            models.CheckConstraint(condition=Q(wet_to_dry_ratio__gte=1), name="delivery_ratio_at_least_one"),
            # Lots can never take more cocoa from a delivery than it brought,
            # even when two officers allocate it at the same moment.
            models.CheckConstraint(
                condition=Q(allocated_kg__gte=0, allocated_kg__lte=F("dry_kg")), name="delivery_not_over_allocated"
            ),
        ]
        indexes = [
            # The dashboard's sums come from these two indexes alone (index-only scans), never
            # from the table: purchases by month, and each family's kilograms in a season.
            models.Index(
                fields=["cooperative", "date"],
                include=["state", "moisture_pct", "dry_kg", "amount_pen"],
                name="delivery_coop_date",
            ),
            models.Index(
                fields=["cooperative", "producer", "date"], include=["dry_kg"], name="delivery_coop_producer_date"
            ),
            models.Index(fields=["cooperative", "modified"], name="delivery_coop_modified"),
            # The API's pages of deliveries, newest first, and its filter by collection centre.
            models.Index(fields=["cooperative", "id"], name="delivery_coop_id"),
            models.Index(fields=["cooperative", "collection_centre", "date"], name="delivery_coop_centre_date"),
        ]

    def __str__(self):
        return _("Receipt %(number)s") % {"number": self.receipt_number}

    def clean(self):
        super().clean()
        self.check_same_cooperative(
            producer=self.producer if self.producer_id else None,
            collection_centre=self.collection_centre if self.collection_centre_id else None,
        )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A delivery cannot be dated in the future.")})
        if self.allocated_kg and self.net_kg is not None and self.expected_dry_kg() < self.allocated_kg:
            raise ValidationError(
                {
                    "net_kg": ValidationError(
                        _("Lots already hold %(allocated)s dry kg of this delivery; it cannot weigh less."),
                        code="below_allocated",
                        params={"allocated": self.allocated_kg},
                    )
                }
            )
        if self.state == self.State.DRY and self.moisture_pct is not None and self.moisture_pct > 20:
            raise ValidationError(
                {"moisture_pct": _("Dry cocoa has less than 20% moisture: was this delivery wet (baba)?")}
            )

    def expected_dry_kg(self):
        """The dry weight the database will compute for the current values (before saving)."""
        if self.state == self.State.WET:
            return (self.net_kg / self.wet_to_dry_ratio).quantize(KG)
        return self.net_kg


class Recertification(CooperativeOwned):
    """A delivery's certification derived again on purpose (harvests.services.delivery_recertify).

    A delivery's certification is frozen when it is recorded; this row is the only way it changes
    afterwards, and it keeps what it was, what it became, who changed it and why.
    """

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="recertifications"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.TextField(_("reason"))
    old_organic_status = models.CharField(_("organic status before"), max_length=16, choices=ConversionStatus)
    new_organic_status = models.CharField(_("organic status after"), max_length=16, choices=ConversionStatus)
    old_standards = models.JSONField(_("certified as before"), default=list, help_text=_("Standard codes."))
    new_standards = models.JSONField(_("certified as after"), default=list, help_text=_("Standard codes."))
    # What else the correction changed: {"date": ["2026-06-15", "2026-06-14"], "plots": [[codes], [codes]]}.
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recertification")
        verbose_name_plural = _("recertifications")
        ordering = ["cooperative", "-recorded_at"]
        indexes = [models.Index(fields=["cooperative", "delivery"], name="recertification_coop_delivery")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="recertification_reason_given")]

    def __str__(self):
        return _("%(delivery)s recertified on %(day)s") % {
            "delivery": self.delivery,
            "day": timezone.localdate(self.recorded_at),
        }


class QualityAnalysis(CooperativeOwned):
    """Moisture, bean count and cut test of a delivery's sample (NTP-ISO 2451)."""

    class Grade(models.TextChoices):
        GRADE_1 = "I", _("grade I")
        GRADE_2 = "II", _("grade II")
        SUBSTANDARD = "sub", _("substandard")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="quality_analyses"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    moisture_pct = models.DecimalField(
        _("moisture (%)"), max_digits=5, decimal_places=2, validators=[validate_percentage]
    )
    bean_count = models.PositiveSmallIntegerField(_("beans per 100 g"), null=True, blank=True)
    beans_cut = models.PositiveSmallIntegerField(_("beans cut"), default=100)
    well_fermented = models.PositiveSmallIntegerField(_("well fermented"), default=0)
    violet = models.PositiveSmallIntegerField(_("violet"), default=0)
    slaty = models.PositiveSmallIntegerField(_("slaty"), default=0)
    mouldy = models.PositiveSmallIntegerField(_("mouldy"), default=0)
    defective = models.PositiveSmallIntegerField(_("insect-damaged, germinated or flat"), default=0)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quality analysis")
        verbose_name_plural = _("quality analyses")
        ordering = ["cooperative", "-date"]
        indexes = [models.Index(fields=["cooperative", "date"], name="quality_coop_date")]
        constraints = [
            models.CheckConstraint(condition=Q(beans_cut__gt=0), name="quality_beans_cut_positive"),
            models.CheckConstraint(
                condition=Q(moisture_pct__gte=0, moisture_pct__lte=100), name="quality_moisture_is_a_percentage"
            ),
            # A bean falls in one cut-test class at most.
            models.CheckConstraint(
                condition=Q(
                    beans_cut__gte=F("well_fermented") + F("violet") + F("slaty") + F("mouldy") + F("defective")
                ),
                name="quality_cut_test_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.delivery} — {self.date}"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "delivery", None))
        counted = sum(v or 0 for v in (self.well_fermented, self.violet, self.slaty, self.mouldy, self.defective))
        if self.beans_cut and counted > self.beans_cut:
            raise ValidationError(
                _("The cut test counts %(counted)d beans in its classes but only %(cut)d were cut."),
                params={"counted": counted, "cut": self.beans_cut},
            )

    def pct(self, count):
        return Decimal(count * 100) / Decimal(self.beans_cut)

    @property
    def grade(self):
        """ISO 2451: grade I allows 3 % each of mouldy, slaty and other defects; grade II 4, 8 and 6 %."""
        mouldy, slaty, other = self.pct(self.mouldy), self.pct(self.slaty), self.pct(self.defective)
        if mouldy <= 3 and slaty <= 3 and other <= 3:
            return self.Grade.GRADE_1
        if mouldy <= 4 and slaty <= 8 and other <= 6:
            return self.Grade.GRADE_2
        return self.Grade.SUBSTANDARD


class CertifiedBalanceQuerySet(CooperativeOwnedQuerySet):
    def in_season(self, season):
        return self.filter(season=season)


class CertifiedBalance(CooperativeOwned):
    """The certified mass balance's ledger: per standard and season, certified kg bought and claimed.

    Kept by harvests.ledger (for purchases, lots and shipments alike) with F() updates in the transaction
    that writes the rows they count, so that the checks below refuse a claim beyond what was bought
    even when two officers claim at the same moment. exports.selectors.mass_balance counts the same
    figures from the rows themselves and says whether they agree.
    """

    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+")
    season = models.PositiveSmallIntegerField(_("season"))
    bought_kg = models.DecimalField(_("certified kg bought (dry)"), max_digits=14, decimal_places=2, default=0)
    lots_claimed_kg = models.DecimalField(_("kg claimed by lots"), max_digits=14, decimal_places=2, default=0)
    sold_kg = models.DecimalField(_("kg claimed by shipments"), max_digits=14, decimal_places=2, default=0)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = CertifiedBalanceQuerySet.as_manager()
    # The tables keep the names they had in exports (migration harvests/0007): no row moved.
    history = HistoricalRecords(table_name="exports_historicalcertifiedbalance")

    class Meta:
        db_table = "exports_certifiedbalance"
        verbose_name = _("certified balance")
        verbose_name_plural = _("certified balances")
        ordering = ["cooperative", "-season", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "standard", "season"], name="certified_balance_once"),
            models.CheckConstraint(
                condition=Q(bought_kg__gte=0, lots_claimed_kg__gte=0, sold_kg__gte=0),
                name="certified_balance_not_negative",
            ),
            # DOMAIN.md: certified kg sold can never exceed certified kg bought, per standard and season;
            # lots (mass balance included) and shipments each claim within what was bought.
            models.CheckConstraint(
                condition=Q(lots_claimed_kg__lte=F("bought_kg")), name="certified_balance_lots_within_bought"
            ),
            models.CheckConstraint(
                condition=Q(sold_kg__lte=F("bought_kg")), name="certified_balance_sold_within_bought"
            ),
        ]

    def __str__(self):
        return f"{self.standard} {self.season}"

    @property
    def left_to_claim_kg(self):
        return self.bought_kg - self.lots_claimed_kg
