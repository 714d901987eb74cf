"""Internal inspections: the inspection with its checklist answered, its non-conformities, and the checklists
themselves, versioned per standard (see certifications/checklists.py for version 1 of each)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import DateWithin
from producers.models import Producer

from .certificates import Standard


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
