from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from plots.models import Plot
from producers.models import Producer


class Standard(models.Model):
    """A certification standard (EU organic, Fairtrade, ...): reference data shared by all."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_organic = models.BooleanField(
        _("organic"), default=False, help_text=_("Organic standards certify only plots past their conversion.")
    )

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CertificateQuerySet(CooperativeOwnedQuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day, valid_to__gte=day)

    def expiring_between(self, start, end):
        return self.filter(valid_to__range=(start, end))


class Certificate(CooperativeOwned):
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT)
    number = models.CharField(_("certificate number"), max_length=60)
    certification_body = models.CharField(_("certification body"), max_length=120)
    scope = models.TextField(_("scope"), blank=True, help_text=_("Products and activities covered."))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    producers = models.ManyToManyField(
        Producer, through="CoveredProducer", related_name="certificates", verbose_name=_("covered producers")
    )
    plots = models.ManyToManyField(
        Plot, through="CoveredPlot", related_name="certificates", verbose_name=_("covered plots")
    )

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["cooperative", "-valid_to"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "standard", "number"], name="certificate_number_unique"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="certificate_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "valid_to"], name="certificate_coop_valid_to"),
            models.Index(fields=["cooperative", "standard"], name="certificate_coop_standard"),
        ]

    def __str__(self):
        return f"{self.standard} {self.number}"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A certificate cannot end before it starts.")})


class CoveredProducer(CooperativeOwned):
    """A member family within a certificate's scope, from `included_on` until `excluded_on`."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="covered_producers"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="covered_by"
    )
    included_on = models.DateField(_("included on"), null=True, blank=True)
    excluded_on = models.DateField(_("excluded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("covered producer")
        verbose_name_plural = _("covered producers")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "producer"], name="covered_producer_once"),
            models.CheckConstraint(
                condition=Q(excluded_on__isnull=True)
                | Q(included_on__isnull=True)
                | Q(excluded_on__gte=F("included_on")),
                name="covered_producer_dates_in_order",
            ),
        ]

    def __str__(self):
        return str(self.producer)

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "certificate", None))
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)


class CoveredPlot(CooperativeOwned):
    """A plot within a certificate's scope; an excluded plot leaves it on `excluded_on`."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="covered_plots"
    )
    plot = models.ForeignKey(Plot, verbose_name=_("plot"), on_delete=models.CASCADE, related_name="covered_by")
    included_on = models.DateField(_("included on"), null=True, blank=True)
    excluded_on = models.DateField(_("excluded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("covered plot")
        verbose_name_plural = _("covered plots")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "plot"], name="covered_plot_once"),
            models.CheckConstraint(
                condition=Q(excluded_on__isnull=True)
                | Q(included_on__isnull=True)
                | Q(excluded_on__gte=F("included_on")),
                name="covered_plot_dates_in_order",
            ),
        ]

    def __str__(self):
        return str(self.plot)

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "certificate", None))
        if self.plot_id:
            self.check_same_cooperative(plot=self.plot)


class InspectionQuerySet(CooperativeOwnedQuerySet):
    def in_year(self, year):
        return self.filter(date__year=year)


class Inspection(CooperativeOwned):
    """An internal inspection of a member family by the cooperative's internal control system."""

    class Sanction(models.TextChoices):
        NONE = "", _("none")
        WARNING = "warning", _("warning")
        PLOT_EXCLUSION = "plot_exclusion", _("exclusion of a plot")
        SUSPENSION = "suspension", _("suspension")
        WITHDRAWAL = "withdrawal", _("withdrawal")

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        CONDITIONAL = "conditional", _("approved with conditions")
        REJECTED = "rejected", _("not approved")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="inspections"
    )
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT, null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="inspections"
    )
    date = models.DateField(_("date"))
    checklist = models.JSONField(
        _("checklist answers"), default=dict, blank=True, help_text=_("Question code → answer.")
    )
    findings = models.TextField(_("findings"), blank=True)
    sanction = models.CharField(_("sanction"), max_length=16, choices=Sanction, blank=True, default="")
    sanctioned_plot = models.ForeignKey(
        Plot, verbose_name=_("excluded plot"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision, default=Decision.PENDING)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal inspection")
        verbose_name_plural = _("internal inspections")
        ordering = ["cooperative", "-date"]
        indexes = [
            models.Index(fields=["cooperative", "date"], name="inspection_coop_date"),
            models.Index(fields=["cooperative", "producer", "date"], name="inspection_coop_producer_date"),
        ]
        constraints = [
            # Excluding a plot names the plot; no other sanction does.
            models.CheckConstraint(
                condition=Q(sanction="plot_exclusion", sanctioned_plot__isnull=False)
                | (~Q(sanction="plot_exclusion") & Q(sanctioned_plot__isnull=True)),
                name="inspection_plot_exclusion_names_plot",
            ),
        ]

    def __str__(self):
        return f"{self.producer} — {self.date}"

    def clean(self):
        super().clean()
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)
        errors = {}
        if self.producer_id and self.inspector_id and self.producer.user_id == self.inspector_id:
            errors["inspector"] = ValidationError(
                _("An inspector cannot inspect his or her own family."), code="own_family"
            )
        if self.sanction == self.Sanction.PLOT_EXCLUSION and not self.sanctioned_plot_id:
            errors["sanctioned_plot"] = ValidationError(_("Choose the plot to exclude."))
        elif self.sanction != self.Sanction.PLOT_EXCLUSION and self.sanctioned_plot_id:
            errors["sanctioned_plot"] = ValidationError(_("Only the exclusion of a plot names a plot."))
        elif self.sanctioned_plot_id and self.producer_id and self.sanctioned_plot.producer_id != self.producer_id:
            errors["sanctioned_plot"] = ValidationError(_("The excluded plot must belong to the inspected family."))
        if errors:
            raise ValidationError(errors)


class NonConformity(CooperativeOwned):
    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")
        CRITICAL = "critical", _("critical")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="non_conformities"
    )
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity, default=Severity.MINOR)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_evidence = models.TextField(_("closing evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("non-conformity")
        verbose_name_plural = _("non-conformities")
        ordering = ["inspection", "deadline"]
        constraints = [
            # Closing a non-conformity needs the evidence that it was corrected.
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(closing_evidence=""),
                name="non_conformity_closed_with_evidence",
            ),
        ]

    def __str__(self):
        return self.description[:60]

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "inspection", None))
        if self.closed_on and not self.closing_evidence:
            raise ValidationError(
                {"closing_evidence": _("Say how the non-conformity was corrected before closing it.")}
            )
