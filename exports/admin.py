from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives import roles
from cooperatives.admin_base import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    ReadOnlyAdminMixin,
)
from cooperatives.documents import XLSX
from cooperatives.models import Cooperative
from harvests.models import CertifiedBalance

from . import reports, selectors, services
from .eudr import DOWNLOAD_PERMISSIONS
from .forms import (
    MASS_BALANCE_LABELS,
    LotAdminForm,
    LotAllocationFormSet,
    MassBalanceForm,
    ShipmentAdminForm,
    ShipmentLotAdminForm,
)
from .models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from .views import eudr_download


class RefusalAsMessageMixin:
    """A save the form checked but the services refused under their locks (another officer was quicker).

    The whole save rolled back; the user is told why and sent back to the form.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(
                request,
                _("Nothing was saved: %(reason)s Please check and try again.") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class EudrDownloadAdminMixin:
    """An admin action downloading the EUDR file of the one shipment, lot or cooperative selected (SOURCES).

    Only the first file: the EU's limits (25 MB, 10,000 families) split none but a federation's
    whole membership, which the API's `?part=` reaches.
    """

    actions = ["download_eudr"]

    def has_eudr_permission(self, request):
        return request.user.has_perms(DOWNLOAD_PERMISSIONS)

    @admin.action(description=gettext_lazy("Download the EUDR geolocation file (GeoJSON)"), permissions=["eudr"])
    def download_eudr(self, request, queryset):
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(request, _("Choose one row to download its EUDR geolocation file."), messages.ERROR)
            return None
        obj = selected[0]
        pseudonymise = not roles.sees_personal_data(request.user)
        response = eudr_download(obj, pseudonymise=pseudonymise)
        if response is None:
            self.message_user(
                request,
                _("%(object)s has no plot mapped as the EU requires: there is no EUDR geolocation file to download.")
                % {"object": obj},
                messages.WARNING,
            )
        return response


@admin.register(Buyer)
class BuyerAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["name", "country", "eori", "vat_number", "contact_email", "cooperative"]
    list_select_related = ["cooperative"]
    list_filter = ["country", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "eori", "vat_number"]


@admin.register(Contract)
class ContractAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["number", "buyer", "signed_on", "quantity_kg", "price_usd_per_t", "incoterm", "cooperative"]
    list_select_related = ["buyer", "cooperative"]
    list_filter = [
        "incoterm",
        ("buyer", admin.RelatedOnlyFieldListFilter),
        ("cooperative", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["number", "buyer__name"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["buyer", "standards"]


class LotAllocationInline(CooperativeScopedInline):
    """Kilograms move only through exports.services (see LotAdmin.save_formset)."""

    model = LotAllocation
    formset = LotAllocationFormSet
    fields = ["delivery", "kg"]
    autocomplete_fields = ["delivery"]


@admin.register(Lot)
class LotAdmin(EudrDownloadAdminMixin, CooperativeScopedHistoryAdmin):
    form = LotAdminForm
    list_display = ["code", "production_start", "production_end", "eudr_segregated", "fairtrade_mode", "cooperative"]
    list_select_related = ["cooperative"]
    list_filter = ["eudr_segregated", "fairtrade_mode", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "notes"]
    date_hierarchy = "production_end"
    autocomplete_fields = ["standards"]
    # Kept by the services from the dates of the allocated deliveries.
    readonly_fields = ["production_start", "production_end"]
    inlines = [LotAllocationInline]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form checked the kilograms, but another officer allocated the same delivery
            # before this save: the services refused under their lock and the whole save rolled back.
            self.message_user(
                request,
                _("Nothing was saved: %(reason)s Please check the lot and try again.")
                % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        pass  # written with its standards in save_related, through services.lot_save

    def save_related(self, request, form, formsets, change):
        def save():
            super(LotAdmin, self).save_model(request, form.instance, form, change)
            form.save_m2m()
            return form.instance

        services.lot_save(lot=form.instance, save=save)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, LotAllocationFormSet):
            formset.save_through_services()
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        services.lot_delete(lot=obj)

    def delete_queryset(self, request, queryset):
        for lot in queryset:
            services.lot_delete(lot=lot)


@admin.register(LotAllocation)
class LotAllocationAdmin(ReadOnlyAdminMixin, CooperativeScopedAdmin):
    """The ledger of allocations: they are made, changed and removed on their lot's page."""

    list_display = ["lot", "delivery", "kg", "cooperative"]
    list_select_related = ["lot", "delivery", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["lot__code", "delivery__receipt_number"]


class ShipmentLotInline(CooperativeScopedInline):
    model = ShipmentLot
    fields = ["lot", "kg"]
    autocomplete_fields = ["lot"]


class ContainerInline(CooperativeScopedInline):
    model = Container
    fields = ["number", "seal"]


@admin.register(Shipment)
class ShipmentAdmin(RefusalAsMessageMixin, EudrDownloadAdminMixin, CooperativeScopedHistoryAdmin):
    form = ShipmentAdminForm
    list_display = [
        "number",
        "contract",
        "departure_date",
        "destination_country",
        "bags",
        "net_kg",
        "price_usd_per_t",
        "dds_reference",
        "cooperative",
    ]
    list_select_related = ["contract__buyer", "cooperative"]
    list_filter = ["destination_country", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "contract__number", "contract__buyer__name", "dds_reference"]
    date_hierarchy = "departure_date"
    autocomplete_fields = ["contract", "certifications_claimed"]
    readonly_fields = ["traceability_report"]
    inlines = [ShipmentLotInline, ContainerInline]

    def get_urls(self):
        # Before the admin's own: its "<object_id>/" would take this path for an object's.
        return [
            path(
                "<path:object_id>/trace-report.<str:file_format>",
                self.admin_site.admin_view(self.trace_report_view),
                name="exports_shipment_trace_report",
            ),
            *super().get_urls(),
        ]

    def trace_report_view(self, request, object_id, file_format):
        shipment = self.get_object(request, object_id)
        if shipment is None or file_format not in ("xlsx", "pdf"):
            raise Http404
        trace = selectors.shipment_trace(shipment, personal_data=roles.sees_personal_data(request.user))
        if file_format == "pdf":
            response = HttpResponse(reports.trace_pdf(trace, shipment=shipment), content_type="application/pdf")
        else:
            response = HttpResponse(reports.trace_workbook(trace), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="trace-{shipment.pk}.{file_format}"'
        return response

    def save_model(self, request, obj, form, change):
        pass  # written with its claims, lots and containers in save_related, through services.shipment_save

    def save_related(self, request, form, formsets, change):
        def save():
            super(ShipmentAdmin, self).save_model(request, form.instance, form, change)
            super(ShipmentAdmin, self).save_related(request, form, formsets, change)
            return form.instance

        services.shipment_save(shipment=form.instance, save=save)

    def delete_model(self, request, obj):
        services.shipment_delete(shipment=obj)

    def delete_queryset(self, request, queryset):
        for shipment in queryset:
            services.shipment_delete(shipment=shipment)

    @admin.display(description=gettext_lazy("Traceability report"))
    def traceability_report(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:exports_shipment_trace_report", args=[obj.pk, "xlsx"]),
            _("spreadsheet (XLSX)"),
            reverse("admin:exports_shipment_trace_report", args=[obj.pk, "pdf"]),
            _("printable (PDF)"),
        )


@admin.register(ShipmentLot)
class ShipmentLotAdmin(RefusalAsMessageMixin, CooperativeScopedAdmin):
    form = ShipmentLotAdminForm
    list_display = ["lot", "shipment", "kg", "cooperative"]
    list_select_related = ["lot", "shipment", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["lot__code", "shipment__number"]
    autocomplete_fields = ["shipment", "lot"]
    exclude = ["cooperative"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.shipment_check_lots(obj.shipment, field="lot")


@admin.register(Container)
class ContainerAdmin(CooperativeScopedAdmin):
    list_display = ["number", "seal", "shipment", "cooperative"]
    list_select_related = ["shipment", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "seal", "shipment__number"]
    autocomplete_fields = ["shipment"]
    exclude = ["cooperative"]


@admin.register(CertifiedBalance)
class CertifiedBalanceAdmin(ReadOnlyAdminMixin, CooperativeScopedHistoryAdmin):
    """The certified mass balance's ledger (harvests.ledger keeps it), here beside the report each row links to:
    its season's mass balance (exports.selectors.mass_balance), whose URL name and template are exports'."""

    list_display = ["standard", "season", "bought_kg", "lots_claimed_kg", "sold_kg", "report", "cooperative"]
    list_select_related = ["standard", "cooperative"]
    list_filter = ["season", "standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]

    def get_urls(self):
        return [
            path(
                "mass-balance/",
                self.admin_site.admin_view(self.mass_balance_view),
                name="exports_certifiedbalance_mass_balance",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("mass balance"))
    def report(self, obj):
        url = reverse("admin:exports_certifiedbalance_mass_balance")
        return format_html(
            '<a href="{}?cooperative={}&amp;season={}&amp;standard={}">{}</a>',
            url,
            obj.cooperative_id,
            obj.season,
            obj.standard.code,
            _("report"),
        )

    def mass_balance_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        cooperatives = Cooperative.objects.for_user(request.user)
        form = MassBalanceForm(request.GET, cooperatives=cooperatives)
        report = form.report() if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Certified mass balance"),
            "form": form,
            "report": report,
            "figures": MASS_BALANCE_LABELS,
        }
        return render(request, "admin/exports/certifiedbalance/mass_balance.html", context)
