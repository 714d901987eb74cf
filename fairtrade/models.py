"""The Fairtrade premium: reference prices, what shipments owe, what arrives and how the assembly spends it.

DOMAIN.md: the premium is received per shipment and spent on projects approved by the General
Assembly; the plan, the approval and each spending are kept. Prices are dated reference data.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from certifications.models import Standard
from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import DateWithin, validate_positive
from exports.models import Shipment

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}


class ReferencePriceQuerySet(models.QuerySet):
    def in_force(self, day, *, product, standard_code="fairtrade"):
        """The price in force on `day` (validity is inclusive at both ends; an open end runs on)."""
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            product=product,
            standard__code=standard_code,
            valid_from__lte=day,
        )


class ReferencePrice(models.Model):
    """A standard's minimum price, premium and organic differential, valid over a period.

    Shared by every cooperative and kept by the platform's staff: figures change over time and are
    never constants in code (DOMAIN.md). Periods of one product and standard never overlap.
    """

    class Product(models.TextChoices):
        COCOA = "cocoa", _("cocoa")
        COFFEE = "coffee", _("coffee")

    product = models.CharField(_("product"), max_length=10, choices=Product, default=Product.COCOA)
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty while still in force."))
    minimum_price_usd_per_t = models.DecimalField(
        _("minimum price (USD/t)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    premium_usd_per_t = models.DecimalField(
        _("premium (USD/t)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    organic_differential_usd_per_t = models.DecimalField(
        _("organic differential (USD/t)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=250, blank=True)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = ReferencePriceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        ordering = ["product", "standard", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "standard", "valid_from"], name="reference_price_once"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="reference_price_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(
                    minimum_price_usd_per_t__gte=0, premium_usd_per_t__gte=0, organic_differential_usd_per_t__gte=0
                ),
                name="reference_price_not_negative",
            ),
        ]

    def __str__(self):
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.get_product_display()} {self.standard}: {self.valid_from.isoformat()} to {end}"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A price cannot stop being valid before it starts.")})
        if not (self.valid_from and self.standard_id):
            return
        overlapping = ReferencePrice.objects.filter(product=self.product, standard_id=self.standard_id).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        other = overlapping.exclude(pk=self.pk).order_by("valid_from").first()
        if other is not None:
            raise ValidationError(
                {
                    "valid_from": _(
                        "This period overlaps the price valid from %(start)s: close that one first (its valid to)."
                    )
                    % {"start": other.valid_from.isoformat()}
                }
            )


class PremiumAccount(CooperativeOwned):
    """The premium a cooperative holds: received minus spent, one row per cooperative.

    Every receipt and spending changes `balance_usd` with an F() update while this row is locked,
    and the database refuses a negative balance: two spendings at once cannot both take the
    last dollars.
    """

    balance_usd = models.DecimalField(_("balance (USD)"), **MONEY, default=ZERO)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("premium account")
        verbose_name_plural = _("premium accounts")
        constraints = [
            models.UniqueConstraint(fields=["cooperative"], name="premium_account_once_per_cooperative"),
            # The premium spent can never exceed the premium received.
            models.CheckConstraint(condition=Q(balance_usd__gte=0), name="premium_balance_not_negative"),
        ]

    def __str__(self):
        return str(self.cooperative)


class DevelopmentPlan(CooperativeOwned):
    """The Fairtrade Development Plan of one year: the projects the premium is meant for."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    notes = models.TextField(_("notes"), blank=True)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Fairtrade Development Plan")
        verbose_name_plural = _("Fairtrade Development Plans")
        ordering = ["cooperative", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="development_plan_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="development_plan_year_range"),
        ]

    def __str__(self):
        return _("Development Plan %(year)s") % {"year": self.year}


class ProjectQuerySet(CooperativeOwnedQuerySet):
    def approved(self):
        return self.filter(Exists(ProjectApproval.objects.filter(project=OuterRef("pk"))))

    def with_figures(self):
        """Each project's approval date (None: not approved) and the premium spent on it so far."""
        spent = (
            PremiumSpending.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=Sum("amount_usd"))
            .values("total")
        )
        approved_on = ProjectApproval.objects.filter(project=OuterRef("pk")).values("assembly__date")[:1]
        return self.annotate(
            approved_on=Subquery(approved_on),
            spent_usd=Coalesce(Subquery(spent), Value(ZERO), output_field=models.DecimalField(**MONEY)),
        )


class Project(CooperativeOwned):
    plan = models.ForeignKey(
        DevelopmentPlan, verbose_name=_("development plan"), on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget_usd = models.DecimalField(_("budget (USD)"), **MONEY, validators=[validate_positive])

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["cooperative", "plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="project_name_once_per_plan"),
            models.CheckConstraint(condition=Q(budget_usd__gt=0), name="project_budget_positive"),
        ]
        indexes = [models.Index(fields=["cooperative", "plan"], name="project_coop_plan")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "plan", None))


class GeneralAssembly(CooperativeOwned):
    """A General Assembly of the members: the only body that approves how the premium is spent."""

    class Session(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        EXTRAORDINARY = "extraordinary", _("extraordinary")

    date = models.DateField(_("date"), validators=[DateWithin()])
    session = models.CharField(_("session"), max_length=13, choices=Session, default=Session.ORDINARY)
    place = models.CharField(_("place"), max_length=200, blank=True)
    members_present = models.PositiveIntegerField(_("members present"))
    minutes = models.TextField(_("minutes"), help_text=_("The minutes (acta) as recorded, or where they are kept."))

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("General Assembly")
        verbose_name_plural = _("General Assemblies")
        ordering = ["cooperative", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "date", "session"], name="general_assembly_once"),
            models.CheckConstraint(condition=Q(members_present__gt=0), name="general_assembly_someone_present"),
        ]

    def __str__(self):
        return _("%(session)s General Assembly of %(date)s") % {
            "session": self.get_session_display().capitalize(),
            "date": self.date.isoformat(),
        }


class ProjectApproval(CooperativeOwned):
    """A General Assembly's vote that approved a project, with its votes."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="approval"
    )
    assembly = models.ForeignKey(
        GeneralAssembly, verbose_name=_("General Assembly"), on_delete=models.PROTECT, related_name="approvals"
    )
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project approval")
        verbose_name_plural = _("project approvals")
        ordering = ["cooperative", "-assembly__date"]
        constraints = [
            # Approved only by a majority of the votes cast (abstentions are not votes cast).
            models.CheckConstraint(condition=Q(votes_for__gt=F("votes_against")), name="project_approval_majority"),
        ]

    def __str__(self):
        return f"{self.project}: {self.votes_for}/{self.votes_against}/{self.abstentions}"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "project", None))
        errors = {}
        if self.votes_for is not None and self.votes_against is not None and self.votes_for <= self.votes_against:
            errors["votes_for"] = _(
                "A project is approved only by a majority: %(for)s votes for and %(against)s against is none."
            ) % {"for": self.votes_for, "against": self.votes_against}
        assembly = getattr(self, "assembly", None) if self.assembly_id else None
        if assembly is not None:
            self.check_same_cooperative(assembly=assembly)
            cast = (self.votes_for or 0) + (self.votes_against or 0) + (self.abstentions or 0)
            if cast > assembly.members_present:
                errors["votes_for"] = _(
                    "%(cast)s votes, but only %(present)s members were present at the assembly."
                ) % {"cast": cast, "present": assembly.members_present}
        if errors:
            raise ValidationError(errors)


class PremiumReceipt(CooperativeOwned):
    """Premium paid by the buyer of a Fairtrade shipment."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="premium_receipts"
    )
    received_on = models.DateField(_("received on"))
    amount_usd = models.DecimalField(_("amount (USD)"), **MONEY, validators=[validate_positive])
    reference = models.CharField(_("reference"), max_length=80, help_text=_("The bank transfer or invoice number."))

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("premium receipt")
        verbose_name_plural = _("premium receipts")
        ordering = ["cooperative", "-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_usd__gt=0), name="premium_receipt_positive")]
        indexes = [
            models.Index(fields=["cooperative", "received_on"], name="premium_receipt_coop_date"),
            models.Index(fields=["cooperative", "shipment"], name="premium_receipt_coop_shipment"),
        ]

    def __str__(self):
        return f"{self.shipment}: {self.amount_usd} USD ({self.received_on.isoformat()})"


class PremiumSpending(CooperativeOwned):
    """Premium spent on an approved project of the Development Plan."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="spendings")
    date = models.DateField(_("date"))
    amount_usd = models.DecimalField(_("amount (USD)"), **MONEY, validators=[validate_positive])
    description = models.TextField(_("description"))
    receipt_number = models.CharField(_("receipt number"), max_length=60)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("premium spending")
        verbose_name_plural = _("premium spendings")
        ordering = ["cooperative", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_usd__gt=0), name="premium_spending_positive"),
            models.UniqueConstraint(fields=["cooperative", "receipt_number"], name="premium_spending_receipt_once"),
        ]
        indexes = [models.Index(fields=["cooperative", "date"], name="premium_spending_coop_date")]

    def __str__(self):
        return f"{self.project}: {self.amount_usd} USD ({self.date.isoformat()})"
