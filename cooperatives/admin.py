"""The admin site's titles, and the tenant root's own models: cooperatives, districts and their boundaries,
memberships, collection centres, partner keys (the classes every app's admin builds on: admin_base)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .admin_base import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    LinksTheUserMayOpenMixin,
    ReferenceDataAdmin,
    colleagues,
)
from .admin_files import ListExportMixin
from .models import (
    CollectionCentre,
    Cooperative,
    District,
    DistrictBoundary,
    Membership,
    PartnerKey,
    user_cooperative_ids,
)

admin.site.site_header = _("Minka")
admin.site.site_title = _("Minka")
admin.site.index_title = _("Cooperative administration")


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["inei", "reniec", "name", "province", "department"]
    list_filter = ["department"]
    search_fields = ["name", "inei", "reniec", "province", "department"]


@admin.register(DistrictBoundary)
class DistrictBoundaryAdmin(ReferenceDataAdmin, SimpleHistoryAdmin):
    """The boundaries plots are checked against (harvests.plausibility): a superuser loads one, as
    GeoJSON, with the tolerance its accuracy calls for; the model refuses one whose sides cross."""

    list_display = ["district", "tolerance_m", "source", "modified"]
    list_select_related = ["district"]
    search_fields = ["district__name", "district__inei"]
    autocomplete_fields = ["district"]
    readonly_fields = ["modified"]


def grantable_users(user):
    """Accounts a manager may give a membership: colleagues, and new accounts that work nowhere yet."""
    if user.is_superuser:
        return get_user_model().objects.all()
    return get_user_model().objects.filter(
        Q(pk__in=colleagues(user).values("pk")) | ~Q(pk__in=Membership.objects.values("user"))
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "since"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = grantable_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Cooperative)
class CooperativeAdmin(CooperativeScopedHistoryAdmin):
    """A cooperative's own fields; overview.admin adds what reads across the domain (flags, the EUDR file)."""

    list_display = ["name", "code", "ruc", "district", "phone", "email"]
    list_select_related = ["district"]
    search_fields = ["name", "code", "ruc"]
    autocomplete_fields = ["district"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(CooperativeScopedAdmin):
    list_display = ["user", "cooperative", "since"]
    list_select_related = ["user", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "cooperative__name"]

    def scope(self, queryset, request):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(cooperative__in=Cooperative.objects.for_user(request.user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = grantable_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CollectionCentre)
class CollectionCentreAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["name", "community", "district", "wet_to_dry_ratio", "is_active", "cooperative"]
    list_select_related = ["district", "cooperative"]
    list_filter = ["is_active", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "community"]
    autocomplete_fields = ["district"]


class PartnerKeyForm(forms.ModelForm):
    cooperatives = forms.ModelMultipleChoiceField(
        label=_("cooperatives"), queryset=Cooperative.objects.none(), help_text=_("The key sees only these.")
    )

    class Meta:
        model = PartnerKey
        fields = ["name", "scope", "personal_data", "expiry_date", "revoked"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperatives"].queryset = Cooperative.objects.for_user(user)
        if self.instance.pk:
            visible = self.instance.cooperatives.filter(pk__in=self.fields["cooperatives"].queryset)
            self.initial["cooperatives"] = list(visible.values_list("pk", flat=True))


@admin.register(PartnerKey)
class PartnerKeyAdmin(LinksTheUserMayOpenMixin, ListExportMixin, admin.ModelAdmin):
    """Keys for partners and field apps: issued here (shown once), changed and revoked here."""

    # The id holds the key's hash.
    export_exclude = ["id", "hashed_key"]
    form = PartnerKeyForm
    list_display = ["name", "prefix", "scope", "personal_data", "created", "expiry_date", "revoked"]
    list_filter = ["scope", "revoked", "personal_data"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created", "issued_by"]

    def get_queryset(self, request):
        keys = super().get_queryset(request).select_related("issued_by")
        if request.user.is_superuser:
            return keys
        mine = Cooperative.objects.for_user(request.user).values("pk")
        return keys.filter(account__memberships__cooperative__in=mine).distinct()

    def get_exclude(self, request, obj=None):
        return [] if obj else ["revoked"]  # a new key is not revoked

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class FormForUser(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, user=request.user, **kwargs)

        return FormForUser

    def has_delete_permission(self, request, obj=None):
        return False  # a key is revoked, never deleted: its history names it

    def has_change_permission(self, request, obj=None):
        """A key shared with a cooperative the user does not manage, or revoked, is shown read only."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (not obj.revoked and services.partner_key_may_change(partner_key=obj, user=request.user))

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: the cooperatives are not a field of the key, so they are shown as text.
            fields = ["name", "prefix", "scope", "personal_data", "created", "expiry_date", "revoked", "issued_by"]
            return [*fields[:1], self._cooperatives_seen_by(request.user), *fields[1:]]
        return super().get_fields(request, obj)

    @staticmethod
    def _cooperatives_seen_by(user):
        """The key's cooperatives that `user` works for, and how many others (never their names)."""

        @admin.display(description=_("cooperatives"))
        def cooperatives(obj):
            spans = list(obj.cooperatives)
            names = ", ".join(str(c) for c in spans if user.is_superuser or c.pk in user_cooperative_ids(user))
            others = sum(1 for c in spans if not (user.is_superuser or c.pk in user_cooperative_ids(user)))
            if not others:
                return names
            return ngettext(
                "%(names)s, and %(count)s other cooperative: only who manages all of them may change this key.",
                "%(names)s, and %(count)s other cooperatives: only who manages all of them may change this key.",
                others,
            ) % {"names": names, "count": others}

        return cooperatives

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            # The service reads the key as stored: the form has already set the new values on `obj`.
            services.partner_key_change(
                partner_key=obj,
                changed_by=request.user,
                name=data["name"],
                cooperatives=data["cooperatives"],
                scope=data["scope"],
                personal_data=data["personal_data"],
                expiry_date=data["expiry_date"],
                revoked=data.get("revoked", False),
            )
            obj.refresh_from_db()
            return
        issued, key = services.partner_key_issue(
            name=data["name"],
            cooperatives=data["cooperatives"],
            scope=data["scope"],
            personal_data=data["personal_data"],
            expiry_date=data["expiry_date"],
            issued_by=request.user,
        )
        obj.pk, obj._state.adding = issued.pk, False
        self.message_user(
            request,
            _("The key for %(name)s is %(key)s — copy it now: it is stored only as a hash and will not be shown again.")
            % {"name": issued.name, "key": key},
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change):
        pass  # the services wrote the memberships


# The library's own key model is not used: Minka's keys are PartnerKeys.
admin.site.unregister(APIKey)
