from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import CooperativeOwned, CooperativeOwnedQuerySet, District
from cooperatives.validators import validate_positive
from producers.models import Producer

from . import geometry as geo

# Reg. 2018/848 Annex II 1.3.1: a perennial crop's harvest is organic only
# three years after the start of its conversion.
CONVERSION_YEARS = 3


class ConversionStatus(models.TextChoices):
    CONVENTIONAL = "conventional", _("conventional")
    YEAR_1 = "conversion_1", _("in conversion, year 1")
    YEAR_2 = "conversion_2", _("in conversion, year 2")
    YEAR_3 = "conversion_3", _("in conversion, year 3")
    ORGANIC = "organic", _("organic")


def conversion_status(conversion_start, on):
    """The organic status of a plot whose conversion started on `conversion_start`, at date `on`."""
    if conversion_start is None or on < conversion_start:
        return ConversionStatus.CONVENTIONAL
    years = on.year - conversion_start.year - ((on.month, on.day) < (conversion_start.month, conversion_start.day))
    if years >= CONVERSION_YEARS:
        return ConversionStatus.ORGANIC
    return [ConversionStatus.YEAR_1, ConversionStatus.YEAR_2, ConversionStatus.YEAR_3][years]


class PlotQuerySet(CooperativeOwnedQuerySet):
    def with_polygon(self):
        return self.filter(geometry__type__in=["Polygon", "MultiPolygon"])

    def eudr_assessed(self):
        """Plots whose land was assessed as not deforested after the EUDR cut-off."""
        return self.filter(deforestation_result=Plot.DeforestationResult.NOT_DEFORESTED)

    def organic_on(self, day):
        """Plots whose harvest on `day` may be sold as organic (three years of conversion done)."""
        return self.filter(conversion_start__lte=_years_before(day, CONVERSION_YEARS))

    def with_conversion_status(self, status, day):
        """Plots whose conversion status on `day` is `status` (the rule of `conversion_status`, as a filter)."""
        if status == ConversionStatus.CONVENTIONAL:
            return self.filter(Q(conversion_start__isnull=True) | Q(conversion_start__gt=day))
        if status == ConversionStatus.ORGANIC:
            return self.organic_on(day)
        years = [ConversionStatus.YEAR_1, ConversionStatus.YEAR_2, ConversionStatus.YEAR_3].index(status)
        return self.filter(
            conversion_start__lte=_years_before(day, years),
            conversion_start__gt=_years_before(day, years + 1),
        )


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Plot(CooperativeOwned):
    class Crop(models.TextChoices):
        COCOA = "cocoa", _("cocoa")
        COFFEE = "coffee", _("coffee")

    class Tenure(models.TextChoices):
        TITLED = "titled", _("owned, titled")
        POSSESSION = "possession", _("possession certificate")
        COMMUNAL = "communal", _("communal land")
        RENTED = "rented", _("rented")
        OTHER = "other", _("other")

    class DeforestationResult(models.TextChoices):
        NOT_ASSESSED = "", _("not assessed")
        NOT_DEFORESTED = "not_deforested", _("not deforested after 31/12/2020")
        DEFORESTED = "deforested", _("deforested after 31/12/2020")
        INCONCLUSIVE = "inconclusive", _("inconclusive")

    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="plots")
    code = models.CharField(_("plot code"), max_length=30)
    name = models.CharField(_("name"), max_length=120, blank=True)
    crop = models.CharField(_("crop"), max_length=10, choices=Crop, default=Crop.COCOA)
    variety = models.CharField(_("variety"), max_length=80, blank=True, help_text=_("e.g. CCN-51, native fine aroma"))
    declared_area_ha = models.DecimalField(
        _("declared area (ha)"), max_digits=10, decimal_places=4, validators=[validate_positive]
    )
    planting_year = models.PositiveSmallIntegerField(
        _("planting year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    tree_count = models.PositiveIntegerField(_("trees"), null=True, blank=True)
    estimated_yield_kg_ha = models.DecimalField(
        _("estimated yield (kg/ha/year)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    tenure = models.CharField(_("tenure"), max_length=12, choices=Tenure, default=Tenure.POSSESSION)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    geometry = models.JSONField(
        _("geometry"),
        null=True,
        blank=True,
        help_text=_("GeoJSON Point, Polygon or MultiPolygon, WGS84, longitude first."),
    )
    measured_area_ha = models.DecimalField(
        _("measured area (ha)"), max_digits=12, decimal_places=4, null=True, blank=True, editable=False
    )
    conversion_start = models.DateField(_("organic conversion start"), null=True, blank=True)
    deforestation_result = models.CharField(
        _("deforestation assessment"), max_length=16, choices=DeforestationResult, blank=True, default=""
    )
    deforestation_method = models.CharField(
        _("assessment method"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Global Forest Watch 2020 cover, field visit"),
    )
    deforestation_assessed_on = models.DateField(_("assessment date"), null=True, blank=True)
    deforestation_evidence = models.TextField(_("assessment evidence"), blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    objects = PlotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="plot_code_unique_per_cooperative"),
            models.CheckConstraint(condition=Q(declared_area_ha__gt=0), name="plot_declared_area_positive"),
            models.CheckConstraint(
                condition=Q(estimated_yield_kg_ha__isnull=True) | Q(estimated_yield_kg_ha__gte=0),
                name="plot_yield_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planting_year__isnull=True) | Q(planting_year__gte=1900, planting_year__lte=2100),
                name="plot_planting_year_plausible",
            ),
            # An assessment result without its date and method proves nothing.
            models.CheckConstraint(
                condition=Q(deforestation_result="")
                | (Q(deforestation_assessed_on__isnull=False) & ~Q(deforestation_method="")),
                name="plot_assessment_has_date_and_method",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "producer"], name="plot_coop_producer"),
            models.Index(fields=["cooperative", "modified"], name="plot_coop_modified"),
            # The API's filters and its cursor (newest first), each within one cooperative.
            models.Index(fields=["cooperative", "id"], name="plot_coop_id"),
            models.Index(fields=["cooperative", "crop"], name="plot_coop_crop"),
            models.Index(fields=["cooperative", "district"], name="plot_coop_district"),
            models.Index(fields=["cooperative", "deforestation_result"], name="plot_coop_deforestation"),
            models.Index(fields=["cooperative", "conversion_start"], name="plot_coop_conversion_start"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def clean(self):
        super().clean()
        if self.producer_id:
            self.check_same_cooperative(producer=self.producer)
        errors = {}
        if self.geometry not in (None, "", {}):
            try:
                self.geometry = geo.validate(self.geometry)
            except ValidationError as error:
                errors["geometry"] = error
            else:
                # A point has no area to measure: only its declared one counts.
                is_point = self.geometry.get("type") == "Point"
                self.measured_area_ha = None if is_point else geo.geodesic_area_ha(self.geometry)
        else:
            self.geometry = None
            self.measured_area_ha = None
        if not errors:
            errors.update(self.eudr_problems())
        today = timezone.localdate()
        if self.planting_year and self.planting_year > today.year:
            errors["planting_year"] = ValidationError(_("The planting year cannot be in the future."))
        if self.conversion_start and self.conversion_start > today:
            errors["conversion_start"] = ValidationError(_("The conversion cannot start in the future."))
        if self.deforestation_result and not (self.deforestation_assessed_on and self.deforestation_method):
            errors["deforestation_result"] = ValidationError(
                _("Give the date and the method of the deforestation assessment.")
            )
        if errors:
            raise ValidationError(errors)

    def eudr_problems(self):
        """Rules E1 and E2: what the geometry must be for the plot's declared area."""
        if self.declared_area_ha is None or not self.geometry:
            return {}
        is_point = self.geometry.get("type") == "Point"
        if is_point and self.declared_area_ha > geo.EUDR_POINT_MAX_HA:
            return {
                "geometry": ValidationError(
                    _("A plot of more than 4 ha must be mapped as a polygon, not a point (EUDR)."), code=geo.EU_AREA
                )
            }
        if is_point and self.declared_area_ha < geo.EUDR_POINT_MIN_HA:
            return {
                "declared_area_ha": ValidationError(
                    _("A plot mapped as a point needs an area of at least 0.0001 ha (EUDR)."), code=geo.EU_AREA
                )
            }
        return {}

    def conversion_status(self, on=None):
        return conversion_status(self.conversion_start, on or timezone.localdate())

    def area_difference_pct(self):
        """How far the declared area lies from the measured one, in % of the measured."""
        if not self.measured_area_ha:
            return None
        return (self.declared_area_ha - self.measured_area_ha) / self.measured_area_ha * 100

    def area_mismatch(self):
        difference = self.area_difference_pct()
        return difference is not None and abs(difference) > self.cooperative.area_tolerance_pct

    @property
    def eudr_ready(self):
        """Mapped as the EUDR asks and assessed as not deforested after 31 Dec 2020."""
        return self.is_eudr_ready(self.geometry, self.deforestation_result)

    @classmethod
    def is_eudr_ready(cls, geometry, deforestation_result):
        """The rule of `eudr_ready`, of the stored values (a list page reads them without a Plot)."""
        return bool(geometry) and deforestation_result == cls.DeforestationResult.NOT_DEFORESTED
