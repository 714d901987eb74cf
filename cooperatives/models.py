from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
from shapely.errors import ShapelyError
from shapely.geometry import shape
from simple_history.models import HistoricalRecords

from .validators import validate_positive, validate_ruc, validate_ubigeo


class District(models.Model):
    """A Peruvian district. Keyed by its INEI ubigeo; RENIEC's code is kept to translate."""

    inei = models.CharField(_("INEI ubigeo"), max_length=6, primary_key=True, validators=[validate_ubigeo])
    reniec = models.CharField(_("RENIEC ubigeo"), max_length=6, blank=True, db_index=True)
    name = models.CharField(_("district"), max_length=80)
    province = models.CharField(_("province"), max_length=80)
    department = models.CharField(_("department"), max_length=80)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["department", "province", "name"]

    def __str__(self):
        return f"{self.name.title()} ({self.province.title()}, {self.department.title()})"


class DistrictBoundary(models.Model):
    """A district's boundary, to flag plots that lie outside the district their family declared.

    Kept apart from District so that the 1,893 districts, read everywhere, do not carry polygons.
    A district without a boundary is not checked, never taken for "outside".
    """

    district = models.OneToOneField(
        District, verbose_name=_("district"), on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("boundary"), help_text=_("GeoJSON Polygon or MultiPolygon, WGS84, longitude first."))
    tolerance_m = models.PositiveIntegerField(
        _("tolerance (m)"),
        default=100,
        validators=[MaxValueValidator(5000)],
        help_text=_("How far past this boundary a plot may reach unflagged: the boundary's accuracy."),
    )
    source = models.CharField(_("source"), max_length=300)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district boundary")
        verbose_name_plural = _("district boundaries")
        ordering = ["district"]

    def __str__(self):
        return str(self.district)

    def clean(self):
        super().clean()
        if not isinstance(self.geometry, dict) or self.geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValidationError({"geometry": _("A district boundary is a GeoJSON Polygon or MultiPolygon.")})
        try:
            boundary = shape(self.geometry)
        except (KeyError, TypeError, ValueError, IndexError, ShapelyError):
            raise ValidationError({"geometry": _("This boundary's coordinates cannot be read.")}) from None
        if boundary.is_empty or not boundary.is_valid:
            raise ValidationError({"geometry": _("This boundary's sides cross each other.")})


class CooperativeQuerySet(models.QuerySet):
    def for_user(self, user):
        """The cooperatives this user works for; all of them for a superuser."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Cooperative(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("Short name used in URLs and commands, e.g. allima.")
    )
    ruc = models.CharField(_("RUC"), max_length=11, unique=True, validators=[validate_ruc])
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=250, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    area_tolerance_pct = models.DecimalField(
        _("area tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_("A plot whose declared area differs from its measured area by more than this is flagged."),
    )
    plausibility_tolerance_pct = models.DecimalField(
        _("plausibility tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Flag a family whose certified kg in a season exceed its plausible yield by more."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="cooperatives", verbose_name=_("users")
    )

    modified = models.DateTimeField(_("modified"), auto_now=True)
    objects = CooperativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name"]
        constraints = [
            # The tolerance is a percentage: 0 would flag every plot, 100 none.
            models.CheckConstraint(
                condition=Q(area_tolerance_pct__gte=0, area_tolerance_pct__lte=100),
                name="cooperative_area_tolerance_is_a_percentage",
            ),
            # 0 flags any excess; past 100 a family could sell twice what its plots yield unflagged.
            models.CheckConstraint(
                condition=Q(plausibility_tolerance_pct__gte=0, plausibility_tolerance_pct__lte=100),
                name="cooperative_plausibility_tolerance_is_a_percentage",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user works for a cooperative: it is what scopes everything they see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("cooperative"), on_delete=models.CASCADE, related_name="memberships"
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "cooperative"], name="membership_once_per_cooperative"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.cooperative}"


class CooperativeOwnedQuerySet(models.QuerySet):
    def for_cooperative(self, cooperatives):
        """Rows of one cooperative or of several: a Cooperative, an id, or a list (or queryset) of either.

        The one way to scope a query: the pages ask it for their cooperative, the API and the admin for
        the user's (for_user), the dashboard for one cooperative or a federation's.
        """
        ids = cooperative_ids(cooperatives)
        return self.filter(cooperative_id=ids[0]) if len(ids) == 1 else self.filter(cooperative_id__in=ids)

    def for_user(self, user):
        """Rows of the cooperatives this user works for; every row for a superuser."""
        if user.is_superuser:
            return self
        if not user.is_authenticated:
            return self.none()
        # The ids as literals, not a subquery: PostgreSQL then plans with the statistics of
        # these cooperatives and takes the (cooperative, order) index, where a subquery made
        # it walk the primary key of 2,000,000 deliveries (PERFORMANCE.md).
        return self.for_cooperative(user_cooperative_ids(user))


def cooperative_ids(cooperatives):
    """The ids of `cooperatives`: a Cooperative, an id, or an iterable of either."""
    if isinstance(cooperatives, models.Model):
        return [cooperatives.pk]
    if isinstance(cooperatives, int):
        return [cooperatives]
    return [getattr(c, "pk", c) for c in cooperatives]


def user_cooperative_ids(user):
    """The ids of the cooperatives `user` works for, read once per user object.

    A request loads its user afresh, so within a request every scoped query shares one read
    of the memberships, and the next request sees any change.
    """
    ids = getattr(user, "_minka_cooperative_ids", None)
    if ids is None:
        ids = list(Membership.objects.filter(user=user).values_list("cooperative_id", flat=True))
        user._minka_cooperative_ids = ids
    return ids


class CooperativeOwned(models.Model):
    """A row that belongs to one cooperative and carries it itself (see STYLE.md)."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CooperativeOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def check_same_cooperative(self, **related):
        """Refuse a related object (keyword: field name) that belongs to another cooperative."""
        errors = {}
        for field, obj in related.items():
            if obj is not None and self.cooperative_id and obj.cooperative_id != self.cooperative_id:
                errors[field] = ValidationError(
                    _("%(object)s belongs to another cooperative."), code="other_cooperative", params={"object": obj}
                )
        if errors:
            raise ValidationError(errors)

    def inherit_cooperative(self, parent):
        """A child row takes its parent's cooperative, so the copy never disagrees."""
        if parent is not None:
            self.cooperative_id = parent.cooperative_id


class CollectionCentre(CooperativeOwned):
    """Where members bring their cocoa (centro de acopio)."""

    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True)
    community = models.CharField(_("community"), max_length=120, blank=True)
    wet_to_dry_ratio = models.DecimalField(
        _("wet to dry ratio"),
        max_digits=4,
        decimal_places=2,
        default=2.70,
        validators=[validate_positive],
        help_text=_("Kilograms of wet (baba) cocoa that give one kilogram of dry beans here; usually 2.5 to 2.9."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    modified = models.DateTimeField(_("modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection centre")
        verbose_name_plural = _("collection centres")
        ordering = ["cooperative", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="collection_centre_name_unique"),
            # Below 1 kg of wet cocoa could not give 1 kg of dry beans.
            models.CheckConstraint(condition=Q(wet_to_dry_ratio__gte=1), name="collection_centre_ratio_at_least_one"),
        ]
        indexes = [
            # The API's `modified_since`, within one cooperative.
            models.Index(fields=["cooperative", "modified"], name="centre_coop_modified"),
        ]

    def __str__(self):
        return self.name


class PartnerKeyManager(APIKeyManager):
    def get_usable_keys(self):
        # The key's account comes with it: every request needs both.
        return super().get_usable_keys().select_related("account")


class PartnerKey(AbstractAPIKey):
    """An API key a cooperative issues to a partner or a field app.

    Only a hash of the key is stored (djangorestframework-api-key). The key acts
    through an account of its own, created with it: that account's memberships
    are the key's cooperatives and its group is its scope, so the API scopes and
    checks a key exactly as it does a person, and the history of every change
    names the key that made it.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="partner_key",
        editable=False,
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope, default=Scope.READ)
    personal_data = models.BooleanField(
        _("personal data"),
        default=False,
        help_text=_("Show members' DNI, phone, birth date and household to this key."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = PartnerKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return self.name

    @property
    def cooperatives(self):
        return Cooperative.objects.filter(memberships__user=self.account_id)


class IdempotentRequest(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed when the client retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            # One answer per client key: a retry racing the first request finds it here.
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once_per_key"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
