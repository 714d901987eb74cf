from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet, District
from cooperatives.validators import DateWithin, validate_dni


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")


ACCENTED, PLAIN = "áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN"
WITHOUT_ACCENTS = str.maketrans(ACCENTED, PLAIN)


def _without_accents(expression):
    """`expression` with Spanish accents dropped, in SQL that needs no database extension."""
    for accented, plain in zip(ACCENTED, PLAIN, strict=True):
        expression = Replace(expression, Value(accented), Value(plain))
    return expression


class ProducerQuerySet(CooperativeOwnedQuerySet):
    def matching(self, text):
        """Families whose names, member code, DNI or community contain every word of `text`.

        Accents do not count: an officer typing "lopez pena" on a phone finds López Peña.
        """
        families = self.alias(
            plain_first_name=_without_accents(F("first_name")),
            plain_last_name=_without_accents(F("last_name")),
            plain_community=_without_accents(F("community")),
        )
        for word in text.split()[:6]:
            plain = word.translate(WITHOUT_ACCENTS)
            families = families.filter(
                Q(plain_first_name__icontains=plain)
                | Q(plain_last_name__icontains=plain)
                | Q(plain_community__icontains=plain)
                | Q(code__icontains=word)
                | Q(dni__contains=word)
            )
        return families

    def active(self):
        return self.filter(status=Producer.Status.ACTIVE)

    def members(self):
        """Families counted as members: active or suspended, not applicants or withdrawn."""
        return self.filter(status__in=[Producer.Status.ACTIVE, Producer.Status.SUSPENDED])


class Producer(CooperativeOwned):
    """A member family, represented by its titular member."""

    Status = MembershipStatus

    code = models.CharField(_("member code"), max_length=20)
    first_name = models.CharField(_("first names"), max_length=100)
    last_name = models.CharField(_("surnames"), max_length=100)
    dni = models.CharField(_("DNI"), max_length=8, validators=[validate_dni])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True, region="PE")
    community = models.CharField(
        _("community"), max_length=120, blank=True, help_text=_("Caserío or sector where the family lives.")
    )
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    entry_date = models.DateField(_("entry date"), null=True, blank=True, validators=[DateWithin()])
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.APPLICANT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="producer",
        help_text=_("When a member of this family also works for the cooperative, e.g. as an internal inspector."),
    )
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = ProducerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["cooperative", "last_name", "first_name"]
        constraints = [
            # One family per person: the same DNI cannot join a cooperative twice.
            models.UniqueConstraint(fields=["cooperative", "dni"], name="producer_dni_unique_per_cooperative"),
            models.UniqueConstraint(fields=["cooperative", "code"], name="producer_code_unique_per_cooperative"),
            models.CheckConstraint(condition=Q(status__in=MembershipStatus.values), name="producer_status_valid"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="producer_sex_valid"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status"], name="producer_coop_status"),
            models.Index(fields=["cooperative", "modified"], name="producer_coop_modified"),
            # The API's filters and orderings, each within one cooperative.
            models.Index(fields=["cooperative", "community"], name="producer_coop_community"),
            models.Index(fields=["cooperative", "district"], name="producer_coop_district"),
            models.Index(fields=["cooperative", "last_name", "first_name"], name="producer_coop_name"),
            models.Index(fields=["cooperative", "entry_date"], name="producer_coop_entry_date"),
        ]

    def __str__(self):
        return f"{self.last_name}, {self.first_name} ({self.code})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
        if self.birth_date and self.entry_date and self.entry_date < self.birth_date:
            raise ValidationError({"entry_date": _("The entry date cannot be before the birth date.")})
        founded = self.cooperative.founded if self.cooperative_id else None
        if founded and self.entry_date and self.entry_date < founded:
            raise ValidationError(
                {
                    "entry_date": _("The entry date cannot be before the cooperative was founded (%(date)s).")
                    % {"date": date_format(founded, "SHORT_DATE_FORMAT")}
                }
            )


class ProducerStatusChange(CooperativeOwned):
    """One step in a family's membership history: who changed it, when and why."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Producer.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Producer.Status)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["producer", "effective_date", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="status_change_changes"),
        ]

    def __str__(self):
        # The statuses' and the date's words in the reader's language (the admin's history of a family).
        before = self.get_from_status_display() if self.from_status else "—"
        effective = date_format(self.effective_date, "SHORT_DATE_FORMAT") if self.effective_date else ""
        return f"{self.producer}: {before} → {self.get_to_status_display()} ({effective})"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "producer", None))


class HouseholdMember(CooperativeOwned):
    """Another member of the family: Fairtrade and funders ask for gender and youth figures."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse or partner")
        CHILD = "child", _("son or daughter")
        PARENT = "parent", _("father or mother")
        SIBLING = "sibling", _("brother or sister")
        GRANDCHILD = "grandchild", _("grandchild")
        OTHER = "other", _("other relative")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="household"
    )
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["producer", "birth_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="household_birth_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"

    def clean(self):
        super().clean()
        self.inherit_cooperative(getattr(self, "producer", None))
        if self.birth_year and self.birth_year > timezone.localdate().year:
            raise ValidationError({"birth_year": _("The birth year cannot be in the future.")})
