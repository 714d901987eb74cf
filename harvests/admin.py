from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperatives.admin_base import (
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    ReadOnlyAdminMixin,
)

from .forms import DeliveryAdminForm, RecertifyForm
from .models import Delivery, QualityAnalysis, Recertification
from .services import CORRECTABLE, delivery_change, delivery_delete, delivery_recertify, delivery_record


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
            fields += [*self.recorded_fields, "recertify"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Certification"), {"fields": ["recertify"]})]

    def get_urls(self):
        # Before the admin's own: its "<object_id>/" would take this path for an object's.
        return [
            path(
                "<path:object_id>/recertify/",
                self.admin_site.admin_view(self.recertify_view),
                name="harvests_delivery_recertify",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("recertify"))
    def recertify(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:harvests_delivery_recertify", args=[obj.pk]),
            gettext("Derive the certification again, with a reason"),
        )

    def recertify_view(self, request, object_id):
        delivery = self.get_object(request, object_id)
        if delivery is None:
            raise Http404
        if not request.user.has_perm("harvests.add_recertification"):
            raise PermissionDenied
        form = RecertifyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                recertification = delivery_recertify(
                    delivery=delivery, reason=form.cleaned_data["reason"], user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    gettext("Certification derived again: %(old)s → %(new)s.")
                    % {
                        "old": ", ".join(recertification.old_standards) or recertification.old_organic_status,
                        "new": ", ".join(recertification.new_standards) or recertification.new_organic_status,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:harvests_delivery_change", args=[delivery.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": delivery,
            "title": gettext("Recertify %(delivery)s") % {"delivery": delivery},
            "form": form,
        }
        return render(request, "admin/harvests/delivery/recertify.html", context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form checked the balance, but another officer changed it before this save.
            self.message_user(
                request,
                gettext("Nothing was saved: %(reason)s") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request, obj):
        delivery_delete(delivery=obj)

    def delete_queryset(self, request, queryset):
        for delivery in queryset:
            delivery_delete(delivery=delivery)

    def save_model(self, request, obj, form, change):
        if change:
            delivery_change(
                delivery=obj, **{name: form.cleaned_data[name] for name in form.changed_data if name in CORRECTABLE}
            )
            return None
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


@admin.register(Recertification)
class RecertificationAdmin(ReadOnlyAdminMixin, CooperativeScopedHistoryAdmin):
    """The record of recertifications: made from a delivery's page (harvests.services.delivery_recertify)."""

    list_display = [
        "delivery",
        "recorded_at",
        "recorded_by",
        "old_organic_status",
        "new_organic_status",
        "old_standards",
        "new_standards",
        "cooperative",
    ]
    list_select_related = ["delivery", "recorded_by", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["delivery__receipt_number", "reason"]
    date_hierarchy = "recorded_at"
