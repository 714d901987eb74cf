from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperatives.admin_base import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    PersonalDataAdminMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
)
from cooperatives.admin_files import ImportAdminMixin
from plots.models import Plot

from .forms import ProducerAdminForm
from .imports import ProducerResource
from .models import HouseholdMember, Producer, ProducerStatusChange
from .services import producer_change_status


class HouseholdMemberInline(CooperativeScopedInline):
    model = HouseholdMember
    fields = ["name", "relation", "sex", "birth_year"]


class StatusChangeInline(ReadOnlyInline):
    model = ProducerStatusChange
    fields = ["from_status", "to_status", "effective_date", "reason", "changed_by", "recorded_at"]
    readonly_fields = fields


class PlotInline(ReadOnlyInline):
    """The family's plots; each is edited on its own page (geometry, assessment)."""

    model = Plot
    fields = ["code", "name", "crop", "declared_area_ha", "measured_area_ha", "deforestation_result"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Producer)
class ProducerAdmin(PersonalDataAdminMixin, ImportAdminMixin, CooperativeScopedHistoryAdmin):
    form = ProducerAdminForm
    personal_fields = ("dni", "birth_date", "phone")
    import_kinds = ["families"]
    # In the import template's columns, so that an exported list, edited, imports again.
    export_resource = ProducerResource
    export_select_related = ["district"]
    list_display = ["code", "last_name", "first_name", "dni", "sex", "community", "district", "status", "cooperative"]
    list_display_links = ["code", "last_name"]
    list_select_related = ["district", "cooperative"]
    list_filter = [
        "status",
        "sex",
        ("cooperative", admin.RelatedOnlyFieldListFilter),
        ("district", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "first_name", "last_name", "dni", "community"]
    date_hierarchy = "entry_date"
    autocomplete_fields = ["district"]
    readonly_fields = ["modified"]
    fieldsets = [
        (None, {"fields": ["cooperative", "code", "first_name", "last_name", "dni", "sex", "birth_date", "phone"]}),
        (_("Place"), {"fields": ["community", "district"]}),
        (
            _("Membership"),
            {"fields": ["entry_date", "status", "status_effective_date", "status_reason", "user", "modified"]},
        ),
    ]
    inlines = [HouseholdMemberInline, PlotInline, StatusChangeInline]
    personal_inlines = (HouseholdMemberInline,)

    def save_model(self, request, obj, form, change):
        if not (change and "status" in form.changed_data):
            return super().save_model(request, obj, form, change)
        # The other fields are saved as edited; the status moves through the service, which keeps its history.
        to_status, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        producer_change_status(
            producer=obj,
            to_status=to_status,
            from_status=form.initial["status"],
            effective_date=form.cleaned_data.get("status_effective_date"),
            reason=form.cleaned_data.get("status_reason", ""),
            changed_by=request.user,
        )


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(PersonalDataAdminMixin, CooperativeScopedHistoryAdmin):
    personal_model = True
    list_display = ["name", "producer", "relation", "sex", "birth_year", "cooperative"]
    list_select_related = ["producer", "cooperative"]
    list_filter = ["relation", "sex", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "producer__code", "producer__last_name", "producer__first_name"]
    autocomplete_fields = ["producer"]
    exclude = ["cooperative"]


@admin.register(ProducerStatusChange)
class ProducerStatusChangeAdmin(ReadOnlyAdminMixin, CooperativeScopedAdmin):
    """The membership history: written only by producer_change_status (change a producer's status)."""

    list_display = ["producer", "from_status", "to_status", "effective_date", "changed_by", "recorded_at"]
    list_select_related = ["producer", "changed_by"]
    list_filter = ["to_status", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "producer__first_name", "reason"]
    date_hierarchy = "effective_date"
