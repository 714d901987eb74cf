"""The internal control system's year: inspection campaigns, sanctions, approval decisions and the external
control body's sample."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned
from cooperatives.validators import EARLIEST_DATE, DateWithin
from plots.models import Plot
from producers.models import Producer

from .certificates import Standard
from .inspections import Inspection, NonConformity

# Yearly inspection campaigns


class InspectionCampaign(CooperativeOwned):
    """A year's round of internal inspections of a cooperative for one standard."""

    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT)
    year = models.PositiveIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"), validators=[DateWithin(years_ahead=2)])
    ends_on = models.DateField(
        _("ends on"),
        validators=[DateWithin(years_ahead=2)],
        help_text=_("An inspection not done by this day is overdue."),
    )

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["cooperative", "-year", "standard"]
        constraints = [
            # One campaign a year per standard: "due" and "done" are counted against it.
            models.UniqueConstraint(fields=["cooperative", "standard", "year"], name="campaign_once_a_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_in_order"),
        ]
        indexes = [models.Index(fields=["cooperative", "year"], name="campaign_coop_year")]

    def __str__(self):
        return f"{self.standard} {self.year}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = ValidationError(_("A campaign cannot end before it starts."))
        for name in ("starts_on", "ends_on"):
            day = getattr(self, name)
            if day and self.year and day.year != self.year:
                errors.setdefault(name, ValidationError(_("The date must fall in the campaign's year.")))
        if errors:
            raise ValidationError(errors)


class CampaignAssignment(CooperativeOwned):
    """A member family to inspect in a campaign, and who inspects it."""

    campaign = models.ForeignKey(
        InspectionCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="assignments"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="campaign_assignments"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign assignment")
        verbose_name_plural = _("campaign assignments")
        ordering = ["campaign", "producer__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "producer"], name="campaign_assignment_once"),
        ]
        indexes = [models.Index(fields=["cooperative", "inspector"], name="assignment_coop_inspector")]

    def __str__(self):
        return f"{self.producer} → {self.inspector}"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "campaign", None))
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)
        if self.producer_id and self.inspector_id and self.producer.user_id == self.inspector_id:
            raise ValidationError(
                {
                    "inspector": ValidationError(
                        _("An inspector cannot inspect his or her own family."), code="own_family"
                    )
                }
            )


# Sanctions


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("warning")
    PLOT_EXCLUSION = "plot_exclusion", _("exclusion of a plot")
    SUSPENSION = "suspension", _("suspension")
    WITHDRAWAL = "withdrawal", _("withdrawal")


class SanctionType(CooperativeOwned):
    """An entry of the cooperative's catalogue of sanctions (its internal rules)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=SanctionKind)
    description = models.TextField(_("description"), blank=True, help_text=_("What the sanction answers."))
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sanction type")
        verbose_name_plural = _("sanction catalogue")
        ordering = ["cooperative", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "name"], name="sanction_type_name_once")]

    def __str__(self):
        return self.name


class Sanction(CooperativeOwned):
    """A sanction imposed on a member family; its effects are applied by services.sanction_impose."""

    sanction_type = models.ForeignKey(
        SanctionType, verbose_name=_("sanction type"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SanctionKind, editable=False)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="sanctions"
    )
    plot = models.ForeignKey(
        Plot, verbose_name=_("excluded plot"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("starts on"), validators=[DateWithin(years_ahead=1)])
    reason = models.TextField(_("reason"))
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
    )
    non_conformity = models.ForeignKey(
        NonConformity,
        verbose_name=_("non-conformity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
    )
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["cooperative", "-starts_on"]
        constraints = [
            # Excluding a plot names the plot; no other sanction does.
            models.CheckConstraint(
                condition=Q(kind="plot_exclusion", plot__isnull=False)
                | (~Q(kind="plot_exclusion") & Q(plot__isnull=True)),
                name="sanction_plot_exclusion_names_plot",
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "producer", "starts_on"], name="sanction_coop_producer")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.producer} ({self.starts_on})"

    def clean(self):
        super().clean()
        if self.sanction_type_id:
            self.kind = self.sanction_type.kind
            self.check_same_cooperative(sanction_type=self.sanction_type)
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)
        errors = {}
        if self.kind == SanctionKind.PLOT_EXCLUSION and not self.plot_id:
            errors["plot"] = ValidationError(_("Choose the plot to exclude."))
        elif self.kind != SanctionKind.PLOT_EXCLUSION and self.plot_id:
            errors["plot"] = ValidationError(_("Only the exclusion of a plot names a plot."))
        elif self.plot_id and self.producer_id and self.plot.producer_id != self.producer_id:
            errors["plot"] = ValidationError(_("The excluded plot must belong to the sanctioned family."))
        if self.inspection_id and self.producer_id and self.inspection.producer_id != self.producer_id:
            errors["inspection"] = ValidationError(_("The inspection must be of the sanctioned family."))
        if (
            self.non_conformity_id
            and self.producer_id
            and self.non_conformity.inspection.producer_id != self.producer_id
        ):
            errors["non_conformity"] = ValidationError(_("The non-conformity must be of the sanctioned family."))
        if errors:
            raise ValidationError(errors)


# The approval decision and the external control body's sample


class ApprovalDecision(CooperativeOwned):
    """Whether a member family is approved under a standard for a year (the ICS committee's decision)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        CONDITIONAL = "conditional", _("approved with conditions")
        REJECTED = "rejected", _("not approved")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="approval_decisions"
    )
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT)
    year = models.PositiveIntegerField(_("year"))
    decision = models.CharField(_("decision"), max_length=12, choices=Decision)
    decided_on = models.DateField(_("decided on"), validators=[DateWithin()])
    reason = models.TextField(_("reason"), blank=True)
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["cooperative", "-year", "producer"]
        constraints = [
            # One decision per family, standard and year: the approved member list reads it.
            models.UniqueConstraint(fields=["producer", "standard", "year"], name="approval_once_a_year"),
        ]
        indexes = [models.Index(fields=["cooperative", "year", "standard"], name="approval_coop_year")]

    def __str__(self):
        return f"{self.producer} {self.standard} {self.year}: {self.get_decision_display()}"

    def clean(self):
        super().clean()
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)
        if self.inspection_id and self.producer_id and self.inspection.producer_id != self.producer_id:
            raise ValidationError({"inspection": _("The inspection must be of the same family.")})
        # A decision is taken for a year gone by, this one or the next: 9999 is a typing error.
        last = timezone.localdate().year + 1
        if self.year is not None and not EARLIEST_DATE.year <= self.year <= last:
            raise ValidationError(
                {"year": _("Enter a year from %(first)d to %(last)d.") % {"first": EARLIEST_DATE.year, "last": last}}
            )


class ExternalSample(CooperativeOwned):
    """The members drawn for the external control body's re-inspection of a year (Reg. 2021/279 Art. 7)."""

    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT)
    year = models.PositiveIntegerField(_("year"))
    seed = models.BigIntegerField(_("seed"), help_text=_("Drawing again with the same seed gives the same members."))
    reason = models.TextField(_("reason"))
    population = models.PositiveIntegerField(_("active members"), editable=False)
    drawn_on = models.DateTimeField(_("drawn on"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    producers = models.ManyToManyField(
        Producer, through="SampledMember", related_name="external_samples", verbose_name=_("members drawn")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("external sample")
        verbose_name_plural = _("external samples")
        ordering = ["cooperative", "-year", "-drawn_on"]
        indexes = [models.Index(fields=["cooperative", "year"], name="sample_coop_year")]

    def __str__(self):
        return _("Sample %(standard)s %(year)s (seed %(seed)s)") % {
            "standard": self.standard,
            "year": self.year,
            "seed": self.seed,
        }


class SampledMember(CooperativeOwned):
    sample = models.ForeignKey(
        ExternalSample, verbose_name=_("external sample"), on_delete=models.CASCADE, related_name="members"
    )
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+")
    unannounced = models.BooleanField(_("unannounced visit"), default=False)

    class Meta:
        verbose_name = _("sampled member")
        verbose_name_plural = _("sampled members")
        ordering = ["sample", "producer__code"]
        constraints = [models.UniqueConstraint(fields=["sample", "producer"], name="sampled_member_once")]

    def __str__(self):
        return str(self.producer)
