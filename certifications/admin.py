from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives import roles
from cooperatives.admin import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    ReferenceDataAdmin,
)
from cooperatives.models import Cooperative

from . import reports, selectors
from .models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity, Standard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICS_MEMBER_LIST_PERMISSIONS = [
    "certifications.view_certificate",
    "producers.view_producer",
    "plots.view_plot",
    "certifications.view_inspection",
]


def sees_personal_data(user):
    """Members' DNIs: for the cooperatives' staff, not for partners (as the API decides for a login)."""
    return user.is_superuser or not user.groups.filter(name=roles.PARTNER).exists()


def ics_member_list_download(request, cooperative, certificate=None):
    if not request.user.has_perms(ICS_MEMBER_LIST_PERMISSIONS):
        raise PermissionDenied
    members = selectors.ics_member_list(
        cooperative, certificate=certificate, personal_data=sees_personal_data(request.user)
    )
    response = HttpResponse(reports.ics_member_workbook(members), content_type=XLSX)
    name = f"ics-{cooperative.code}" + (f"-{certificate.pk}" if certificate else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@admin.register(Standard)
class StandardAdmin(ReferenceDataAdmin):
    list_display = ["name", "code", "is_organic"]
    list_filter = ["is_organic"]
    search_fields = ["name", "code"]


class CoveredProducerInline(CooperativeScopedInline):
    model = CoveredProducer
    fields = ["producer", "included_on", "excluded_on"]
    autocomplete_fields = ["producer"]


class CoveredPlotInline(CooperativeScopedInline):
    model = CoveredPlot
    fields = ["plot", "included_on", "excluded_on"]
    autocomplete_fields = ["plot"]


@admin.register(Certificate)
class CertificateAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["number", "standard", "certification_body", "valid_from", "valid_to", "cooperative"]
    list_select_related = ["standard", "cooperative"]
    list_filter = ["standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "certification_body", "standard__name"]
    date_hierarchy = "valid_to"
    autocomplete_fields = ["standard"]
    readonly_fields = ["ics_member_lists"]
    inlines = [CoveredProducerInline, CoveredPlotInline]

    def get_urls(self):
        # Before the admin's own: its "<object_id>/" would take these paths for an object's.
        return [
            path(
                "<path:object_id>/ics-member-list/",
                self.admin_site.admin_view(self.ics_member_list_view),
                name="certifications_certificate_ics_member_list",
            ),
            path(
                "ics-member-list/cooperative/<int:cooperative_id>/",
                self.admin_site.admin_view(self.cooperative_ics_member_list_view),
                name="certifications_cooperative_ics_member_list",
            ),
            *super().get_urls(),
        ]

    def ics_member_list_view(self, request, object_id):
        certificate = self.get_object(request, object_id)
        if certificate is None:
            raise Http404
        return ics_member_list_download(request, certificate.cooperative, certificate)

    def cooperative_ics_member_list_view(self, request, cooperative_id):
        cooperative = get_object_or_404(Cooperative.objects.for_user(request.user), pk=cooperative_id)
        return ics_member_list_download(request, cooperative)

    @admin.display(description=gettext_lazy("ICS member list"))
    def ics_member_lists(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:certifications_certificate_ics_member_list", args=[obj.pk]),
            _("families and plots of this certificate (XLSX)"),
            reverse("admin:certifications_cooperative_ics_member_list", args=[obj.cooperative_id]),
            _("all the families of %(cooperative)s (XLSX)") % {"cooperative": obj.cooperative},
        )


@admin.register(CoveredProducer)
class CoveredProducerAdmin(CooperativeScopedAdmin):
    list_display = ["producer", "certificate", "included_on", "excluded_on", "cooperative"]
    list_select_related = ["producer", "certificate__standard", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "producer__first_name", "certificate__number"]
    autocomplete_fields = ["certificate", "producer"]
    exclude = ["cooperative"]


@admin.register(CoveredPlot)
class CoveredPlotAdmin(CooperativeScopedAdmin):
    list_display = ["plot", "certificate", "included_on", "excluded_on", "cooperative"]
    list_select_related = ["plot", "certificate__standard", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["plot__code", "plot__name", "certificate__number"]
    autocomplete_fields = ["certificate", "plot"]
    exclude = ["cooperative"]


class NonConformityInline(CooperativeScopedInline):
    model = NonConformity
    fields = ["description", "severity", "corrective_action", "deadline", "closed_on", "closing_evidence"]


@admin.register(Inspection)
class InspectionAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["date", "producer", "inspector", "standard", "sanction", "decision", "cooperative"]
    list_select_related = ["producer", "inspector", "standard", "cooperative"]
    list_filter = ["decision", "sanction", "standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "producer__first_name", "findings"]
    date_hierarchy = "date"
    autocomplete_fields = ["producer", "standard", "sanctioned_plot"]
    inlines = [NonConformityInline]


@admin.register(NonConformity)
class NonConformityAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["__str__", "inspection", "severity", "deadline", "closed_on", "cooperative"]
    list_select_related = ["inspection__producer", "cooperative"]
    list_filter = ["severity", "closed_on", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["description", "inspection__producer__last_name", "inspection__producer__code"]
    date_hierarchy = "deadline"
    autocomplete_fields = ["inspection"]
    exclude = ["cooperative"]
