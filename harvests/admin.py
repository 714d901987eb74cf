from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperatives.admin import CooperativeScopedHistoryAdmin, CooperativeScopedInline

from .forms import DeliveryAdminForm
from .models import Delivery, QualityAnalysis
from .services import delivery_record


class QualityAnalysisInline(CooperativeScopedInline):
    model = QualityAnalysis
    fields = [
        "date",
        "moisture_pct",
        "bean_count",
        "beans_cut",
        "well_fermented",
        "violet",
        "slaty",
        "mouldy",
        "defective",
        "grade",
    ]
    readonly_fields = ["grade"]

    @admin.display(description=_("grade"))
    def grade(self, obj):
        return obj.grade.label if obj.pk else None


@admin.register(Delivery)
class DeliveryAdmin(CooperativeScopedHistoryAdmin):
    form = DeliveryAdminForm
    list_display = [
        "receipt_number",
        "date",
        "producer",
        "collection_centre",
        "state",
        "net_kg",
        "dry_kg",
        "price_pen_per_kg",
        "amount_pen",
        "allocated_kg",
        "organic_status",
        "cooperative",
    ]
    list_select_related = ["producer", "collection_centre", "cooperative"]
    list_filter = [
        "state",
        "organic_status",
        ("collection_centre", admin.RelatedOnlyFieldListFilter),
        ("cooperative", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["receipt_number", "producer__code", "producer__last_name", "producer__first_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["producer", "collection_centre", "plots"]
    # Derived when the delivery is recorded and frozen at its date (harvests.services.delivery_record).
    derived_fields = [
        "wet_to_dry_ratio",
        "dry_kg",
        "amount_pen",
        "organic_status",
        "certified_standards",
        "allocated_kg",
    ]
    # What decides the certification status cannot change once it is recorded.
    recorded_fields = ["producer", "plots", "collection_centre", "date"]
    # What the form passes to delivery_record besides the family, its plots and the centre.
    entered_fields = ["receipt_number", "date", "state", "net_kg", "moisture_pct", "price_pen_per_kg", "notes"]
    fieldsets = [
        (None, {"fields": ["cooperative", "receipt_number", "date", "producer", "plots", "collection_centre"]}),
        (_("Weight and price"), {"fields": ["state", "net_kg", "moisture_pct", "price_pen_per_kg", "notes"]}),
        (_("Derived"), {"fields": derived_fields}),
    ]
    inlines = [QualityAnalysisInline]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.derived_fields]
        if obj is not None:
            fields += self.recorded_fields
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        recorded = delivery_record(
            producer=obj.producer,
            plots=form.cleaned_data["plots"],
            collection_centre=obj.collection_centre,
            **{name: getattr(obj, name) for name in self.entered_fields},
        )
        # The admin goes on with the form's object (related rows, log, redirect): it becomes the recorded one.
        obj.pk = recorded.pk
        obj._state.adding = False
        for name in ["cooperative_id", "wet_to_dry_ratio", "organic_status", "dry_kg", "amount_pen"]:
            setattr(obj, name, getattr(recorded, name))


@admin.register(QualityAnalysis)
class QualityAnalysisAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["delivery", "date", "moisture_pct", "bean_count", "grade", "cooperative"]
    list_select_related = ["delivery", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["delivery__receipt_number", "delivery__producer__last_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["delivery"]
    exclude = ["cooperative"]
    readonly_fields = ["grade"]

    @admin.display(description=_("grade"))
    def grade(self, obj):
        return obj.grade.label if obj.pk else None
