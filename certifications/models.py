from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import EARLIEST_DATE, DateWithin, latest_date
from plots.models import Plot
from producers.models import Producer

# The names of the standards migration 0002 loads, for the catalogue: a standard is shown by its name
# in the reader's language (Standard.__str__), stored and served by the API as loaded. A standard a
# superuser adds later is shown as typed.
STANDARD_NAMES = [
    gettext_noop("EU organic (Reg. 2018/848)"),
    gettext_noop("USDA NOP organic"),
    gettext_noop("Fairtrade"),
    gettext_noop("Rainforest Alliance"),
]


def standard_name(name):
    """A standard's name as the reader's language says it."""
    return gettext(name) if name else name


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
        return standard_name(self.name)


class CertificateQuerySet(CooperativeOwnedQuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day, valid_to__gte=day)

    def expiring_between(self, start, end):
        return self.filter(valid_to__range=(start, end))


# How long a certificate may run: the standards' cycles are 1 to 3 years (Fairtrade, Rainforest Alliance: 3).
CERTIFICATE_YEARS = 5


class Certificate(CooperativeOwned):
    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.PROTECT)
    number = models.CharField(_("certificate number"), max_length=60)
    certification_body = models.CharField(_("certification body"), max_length=120)
    scope = models.TextField(_("scope"), blank=True, help_text=_("Products and activities covered."))
    valid_from = models.DateField(_("valid from"), validators=[DateWithin(years_ahead=1)])
    valid_to = models.DateField(_("valid to"), validators=[DateWithin(years_ahead=1 + CERTIFICATE_YEARS)])
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
        if self.valid_from and self.valid_to and self.valid_to > latest_date(self.valid_from, CERTIFICATE_YEARS):
            raise ValidationError(
                {"valid_to": _("A certificate is valid for %(years)d years at most.") % {"years": CERTIFICATE_YEARS}}
            )


class CoverageQuerySet(CooperativeOwnedQuerySet):
    """Rows of a certificate's scope (a family's or a plot's), each from `included_on` until `excluded_on`."""

    def in_scope(self, first, last=None):
        """Within the scope on some day from `first` to `last` (on `first` alone unless told)."""
        last = last or first
        return self.filter(
            Q(included_on__isnull=True) | Q(included_on__lte=last),
            Q(excluded_on__isnull=True) | Q(excluded_on__gt=first),
        )

    def in_force(self, first, last=None):
        """Within the scope of a certificate in force, both on some day from `first` to `last`."""
        last = last or first
        return self.in_scope(first, last).filter(certificate__valid_from__lte=last, certificate__valid_to__gte=first)


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

    objects = CoverageQuerySet.as_manager()

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

    objects = CoverageQuerySet.as_manager()

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
    """An internal inspection of a member family by the cooperative's internal control system.

    A sanction it leads to is a Sanction linked to it (services.sanction_impose), never a field
    here: only the service applies a sanction's effects.
    """

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
    date = models.DateField(_("date"), validators=[DateWithin()])
    checklist_template = models.ForeignKey(
        "ChecklistTemplate",
        verbose_name=_("checklist version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        help_text=_("The version of the checklist the answers were given on."),
    )
    checklist = models.JSONField(
        _("checklist answers"), default=dict, blank=True, help_text=_("Question code → answer.")
    )
    findings = models.TextField(_("findings"), blank=True)
    decision = models.CharField(
        _("inspector's recommendation"),
        max_length=12,
        choices=Decision,
        default=Decision.PENDING,
        help_text=_("The ICS committee decides on it: the approval decision is what the approved member list reads."),
    )

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
        template = self.checklist_template if self.checklist_template_id else None
        if template is not None and template.standard_id != self.standard_id:
            errors["checklist_template"] = ValidationError(
                _("This checklist is of %(standard)s, not of the inspection's standard."),
                code="other_standard",
                params={"standard": template.standard},
            )
        if errors:
            raise ValidationError(errors)


class NonConformityQuerySet(CooperativeOwnedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def overdue(self, day):
        """Open past their deadline on `day`."""
        return self.open().filter(deadline__lt=day)


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

    objects = NonConformityQuerySet.as_manager()
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
        errors = {}
        if self.closed_on and not self.closing_evidence:
            errors["closing_evidence"] = ValidationError(
                _("Say how the non-conformity was corrected before closing it.")
            )
        if self.closing_evidence and not self.closed_on:
            errors["closed_on"] = ValidationError(_("Give the date the non-conformity was closed."))
        # The inspection as its form or the API has it (a new one, or a date being changed), not as stored.
        inspection = getattr(self, "inspection", None)
        found_on = inspection.date if inspection is not None else None
        if self.closed_on and found_on and self.closed_on < found_on:
            errors["closed_on"] = ValidationError(_("A non-conformity cannot be closed before it was found."))
        if self.deadline and found_on and self.deadline < found_on:
            errors["deadline"] = ValidationError(
                _("The deadline cannot be before the inspection that found the non-conformity (%(date)s)."),
                code="deadline_before_inspection",
                params={"date": date_format(found_on, "SHORT_DATE_FORMAT")},
            )
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, day):
        return self.closed_on is None and self.deadline is not None and self.deadline < day


# The checklist of an internal inspection, as data (see checklists.py for version 1 of each).


class ChecklistTemplateQuerySet(models.QuerySet):
    def current(self, standard):
        """The version an inspection of `standard` answers today: the latest."""
        return self.filter(standard=standard).order_by("-version").first()


class ChecklistTemplate(models.Model):
    """A version of a standard's inspection checklist: reference data shared by all cooperatives.

    A version once answered by an inspection is never edited: a change makes a new version
    (certifications.services.checklist_template_new_version), so a finished inspection keeps
    the questions it was answered on.
    """

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="checklist_templates"
    )
    version = models.PositiveIntegerField(_("version"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("What changed from the previous version."))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChecklistTemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["standard", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "version"], name="checklist_template_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="checklist_template_version_from_one"),
        ]

    def __str__(self):
        return _("%(standard)s, version %(version)s") % {"standard": self.standard, "version": self.version}

    def in_use(self):
        return self.pk is not None and self.inspections.exists()


class ChecklistQuestion(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes / no")
        NUMBER = "number", _("number")
        TEXT = "text", _("text")
        PHOTO = "photo", _("photo or file")

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist template"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("Where the answer is stored; never reuse a key for another question.")
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.YES_NO)
    order = models.PositiveIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="checklist_question_key_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["yes_no", "number", "text", "photo"]), name="checklist_question_kind_valid"
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.template_id and self.template.in_use():
            raise ValidationError(
                _("Inspections were answered on this version: make a new version of the checklist to change it."),
                code="template_in_use",
            )


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
