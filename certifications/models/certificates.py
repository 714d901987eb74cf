"""Standards and the certificates a cooperative holds, with the families and plots within their scope."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet
from cooperatives.validators import DateWithin, latest_date
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
