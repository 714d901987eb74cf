from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from cooperatives.admin_base import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ReferenceDataAdmin,
)

from . import reports, selectors, services
from .models import (
    DevelopmentPlan,
    GeneralAssembly,
    PremiumAccount,
    PremiumReceipt,
    PremiumSpending,
    Project,
    ProjectApproval,
    ReferencePrice,
)


@admin.register(ReferencePrice)
class ReferencePriceAdmin(ReferenceDataAdmin, SimpleHistoryAdmin):
    """Shared by every cooperative: staff (superusers) add a new price when Fairtrade announces one."""

    list_display = [
        "product",
        "standard",
        "valid_from",
        "valid_to",
        "minimum_price_usd_per_t",
        "premium_usd_per_t",
        "organic_differential_usd_per_t",
    ]
    list_filter = ["product", "standard"]
    list_select_related = ["standard"]


@admin.register(PremiumAccount)
class PremiumAccountAdmin(ReadOnlyAdminMixin, CooperativeScopedAdmin):
    """The premium held, kept by the receipts and spendings."""

    list_display = ["cooperative", "balance_usd", "modified"]
    list_select_related = ["cooperative"]


class ServiceWriteAdmin(CooperativeScopedHistoryAdmin):
    """Rows added only through a service, which checks what a form cannot (a lock, the balance).

    Once written a row is neither changed nor deleted: it is a record of money or of a vote, and
    the premium account's balance moves only with the services (the API refuses the same).
    """

    service = None  # the services.py function; the admin's fields are its keyword arguments

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(
                request,
                _("Nothing was saved: %(reason)s") % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        made = self.service(**form.cleaned_data)
        obj.pk, obj._state.adding = made.pk, False

    def save_related(self, request, form, formsets, change):
        pass  # the service wrote everything


class ProjectInline(ReadOnlyInline):
    model = Project
    fields = ["name", "budget_usd"]
    show_change_link = True


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["year", "cooperative"]
    list_select_related = ["cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = ["premium_report"]
    inlines = [ProjectInline]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/premium-report.xlsx",
                self.admin_site.admin_view(self.premium_report_view),
                name="fairtrade_developmentplan_premium_report",
            ),
            *super().get_urls(),
        ]

    def premium_report_view(self, request, object_id):
        plan = self.get_object(request, object_id)
        if plan is None:
            raise Http404
        report = selectors.premium_report(plan.cooperative, plan.year)
        return reports.premium_response(report, cooperative=plan.cooperative)

    @admin.display(description=gettext_lazy("Premium report"))
    def premium_report(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        report = selectors.premium_report(obj.cooperative, obj.year)
        summary = render_to_string("fairtrade/_summary.html", {"report": report})
        return format_html(
            '{}<p><a href="{}">{}</a></p>',
            summary,
            reverse("admin:fairtrade_developmentplan_premium_report", args=[obj.pk]),
            _("spreadsheet (XLSX)"),
        )


@admin.register(Project)
class ProjectAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["name", "plan", "budget_usd", "approved_on", "spent_usd", "cooperative"]
    list_select_related = ["plan", "cooperative"]
    list_filter = ["plan__year", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description"]
    exclude = ["cooperative"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    @admin.display(description=gettext_lazy("approved on"), ordering="approved_on")
    def approved_on(self, obj):
        return obj.approved_on or "—"

    @admin.display(description=gettext_lazy("spent (USD)"), ordering="spent_usd")
    def spent_usd(self, obj):
        return obj.spent_usd


class ApprovalInline(ReadOnlyInline):
    model = ProjectApproval
    fields = ["project", "votes_for", "votes_against", "abstentions"]


@admin.register(GeneralAssembly)
class GeneralAssemblyAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["date", "session", "place", "members_present", "cooperative"]
    list_select_related = ["cooperative"]
    list_filter = ["session", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["place", "minutes"]
    date_hierarchy = "date"
    inlines = [ApprovalInline]


@admin.register(ProjectApproval)
class ProjectApprovalAdmin(ServiceWriteAdmin):
    list_display = ["project", "assembly", "votes_for", "votes_against", "abstentions", "cooperative"]
    list_select_related = ["project", "assembly", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["project__name"]
    fields = ["project", "assembly", "votes_for", "votes_against", "abstentions"]
    service = staticmethod(services.project_approve)


@admin.register(PremiumReceipt)
class PremiumReceiptAdmin(ServiceWriteAdmin):
    list_display = ["received_on", "shipment", "amount_usd", "reference", "cooperative"]
    list_select_related = ["shipment", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "shipment__number"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["shipment"]
    fields = ["shipment", "received_on", "amount_usd", "reference"]
    service = staticmethod(services.premium_receive)


@admin.register(PremiumSpending)
class PremiumSpendingAdmin(ServiceWriteAdmin):
    list_display = ["date", "project", "amount_usd", "receipt_number", "cooperative"]
    list_select_related = ["project", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["receipt_number", "description", "project__name"]
    date_hierarchy = "date"
    fields = ["project", "date", "amount_usd", "description", "receipt_number"]
    service = staticmethod(services.premium_spend)
