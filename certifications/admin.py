from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives import roles
from cooperatives.admin_base import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    ReadOnlyInline,
    ReferenceDataAdmin,
)
from cooperatives.models import Cooperative
from harvests.plausibility import flags_on
from producers.services import check_status_change

from . import reports, selectors, services
from .models import (
    ApprovalDecision,
    CampaignAssignment,
    Certificate,
    ChecklistQuestion,
    ChecklistTemplate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    SampledMember,
    Sanction,
    SanctionType,
    Standard,
)

ICS_MEMBER_LIST_PERMISSIONS = [
    "certifications.view_certificate",
    "producers.view_producer",
    "plots.view_plot",
    "certifications.view_inspection",
]


def ics_member_list_download(request, cooperative, certificate=None):
    if not request.user.has_perms(ICS_MEMBER_LIST_PERMISSIONS):
        raise PermissionDenied
    members = selectors.ics_member_list(
        cooperative,
        flags=flags_on(cooperative, timezone.localdate()),
        certificate=certificate,
        personal_data=roles.sees_personal_data(request.user),
    )
    name = f"ics-{cooperative.code}" + (f"-{certificate.pk}" if certificate else "")
    return reports.member_list_download(members, name=name)


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


class InspectionSanctionInline(ReadOnlyInline):
    """The sanctions the inspection led to: imposed, with their effects, from the Sanction admin."""

    model = Sanction
    fields = ["kind", "sanction_type", "plot", "starts_on", "reason"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("sanctions imposed (add one under Sanctions)")


@admin.register(Inspection)
class InspectionAdmin(CooperativeScopedHistoryAdmin):
    list_display = [
        "date",
        "producer",
        "inspector",
        "standard",
        "checklist_template",
        "decision",
        "cooperative",
    ]
    list_select_related = ["producer", "inspector", "standard", "cooperative"]
    list_filter = ["decision", "sanctions__kind", "standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "producer__first_name", "findings"]
    date_hierarchy = "date"
    autocomplete_fields = ["producer", "standard"]
    raw_id_fields = ["checklist_template"]
    inlines = [NonConformityInline, InspectionSanctionInline]


@admin.register(NonConformity)
class NonConformityAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["__str__", "inspection", "severity", "deadline", "closed_on", "cooperative"]
    list_select_related = ["inspection__producer", "cooperative"]
    list_filter = ["severity", "closed_on", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["description", "inspection__producer__last_name", "inspection__producer__code"]
    date_hierarchy = "deadline"
    autocomplete_fields = ["inspection"]
    exclude = ["cooperative"]


# Checklist templates: reference data; a version answered by inspections is never edited.


class ChecklistQuestionInline(admin.TabularInline):
    model = ChecklistQuestion
    fields = ["order", "key", "text", "kind", "required"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj and obj.in_use())

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj and obj.in_use())

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj and obj.in_use())


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReferenceDataAdmin):
    list_display = ["standard", "version", "created", "notes"]
    list_filter = ["standard"]
    readonly_fields = ["created"]
    inlines = [ChecklistQuestionInline]
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.in_use():
            return ["standard", "version", "created"]
        return self.readonly_fields

    @admin.action(description=gettext_lazy("Make a new version of the selected checklists to change them"))
    def new_version(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        for template in queryset.select_related("standard"):
            copy = services.checklist_template_new_version(template=template)
            self.message_user(
                request, _("%(template)s made: change it before inspections use it.") % {"template": copy}
            )


# Campaigns


class CampaignAssignmentInline(CooperativeScopedInline):
    model = CampaignAssignment
    fields = ["producer", "inspector"]
    autocomplete_fields = ["producer"]
    extra = 0


@admin.register(InspectionCampaign)
class InspectionCampaignAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["__str__", "year", "standard", "starts_on", "ends_on", "cooperative"]
    list_select_related = ["standard", "cooperative"]
    list_filter = ["year", "standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = ["progress"]
    inlines = [CampaignAssignmentInline]

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        figures = selectors.campaign_progress(obj)
        return (
            _("%(done)s done, %(pending)s pending, %(overdue)s overdue; %(due)s due, %(assigned)s assigned") % figures
        )


@admin.register(CampaignAssignment)
class CampaignAssignmentAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["producer", "inspector", "campaign", "cooperative"]
    list_select_related = ["producer", "inspector", "campaign__standard", "cooperative"]
    list_filter = [("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "inspector__username"]
    autocomplete_fields = ["producer"]
    exclude = ["cooperative"]


# Sanctions


@admin.register(SanctionType)
class SanctionTypeAdmin(CooperativeScopedHistoryAdmin):
    list_display = ["name", "kind", "active", "cooperative"]
    list_filter = ["kind", "active", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description"]


class SanctionAdminForm(forms.ModelForm):
    class Meta:
        model = Sanction
        fields = [
            "cooperative",
            "sanction_type",
            "producer",
            "plot",
            "starts_on",
            "reason",
            "inspection",
            "non_conformity",
        ]

    def clean(self):
        cleaned = super().clean()
        sanction_type, producer = cleaned.get("sanction_type"), cleaned.get("producer")
        status = sanction_type and services.STATUS_OF_SANCTION.get(sanction_type.kind)
        if self.instance.pk is None and status and producer:
            # The effect on the family's status is checked before anything is written.
            try:
                check_status_change(from_status=producer.status, to_status=status)
            except ValidationError as error:
                raise ValidationError({"sanction_type": error.messages}) from None
        return cleaned


@admin.register(Sanction)
class SanctionAdmin(CooperativeScopedHistoryAdmin):
    """A sanction is imposed once, with its effects (services.sanction_impose); then only read."""

    form = SanctionAdminForm
    list_display = ["producer", "kind", "sanction_type", "plot", "starts_on", "cooperative"]
    list_select_related = ["producer", "sanction_type", "plot", "cooperative"]
    list_filter = ["kind", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "reason"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["producer", "plot", "inspection", "non_conformity"]
    exclude = ["imposed_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        imposed = services.sanction_impose(
            sanction_type=data["sanction_type"],
            producer=data["producer"],
            plot=data.get("plot"),
            starts_on=data["starts_on"],
            reason=data["reason"],
            inspection=data.get("inspection"),
            non_conformity=data.get("non_conformity"),
            imposed_by=request.user,
        )
        obj.pk = imposed.pk
        obj._state.adding = False
        obj.kind = imposed.kind
        obj.cooperative_id = imposed.cooperative_id


# Approval and the external sample


class ApprovalDecisionAdminForm(forms.ModelForm):
    class Meta:
        model = ApprovalDecision
        fields = ["producer", "standard", "year", "decision", "decided_on", "reason", "inspection"]

    def validate_constraints(self):
        # A second decision for the family, standard and year replaces the first (services.approval_decide):
        # the once-a-year constraint is the service's to keep, not a refusal here.
        pass


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(CooperativeScopedHistoryAdmin):
    """Decisions are written by services.approval_decide: a new one for the same year replaces the old."""

    form = ApprovalDecisionAdminForm
    list_display = ["producer", "standard", "year", "decision", "decided_on", "cooperative"]
    list_select_related = ["producer", "standard", "cooperative"]
    list_filter = ["year", "standard", "decision", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["producer__code", "producer__last_name", "reason"]
    autocomplete_fields = ["producer", "inspection"]
    exclude = ["decided_by", "cooperative"]
    actions = ["approved_member_list_xlsx", "approved_member_list_pdf"]

    def get_readonly_fields(self, request, obj=None):
        # A decision is about one family, standard and year: another is a new decision.
        if obj is not None and obj.pk is not None:
            return ["producer", "standard", "year"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        decided = services.approval_decide(
            producer=obj.producer,
            standard=obj.standard,
            year=obj.year,
            decision=obj.decision,
            decided_on=obj.decided_on,
            reason=obj.reason,
            inspection=obj.inspection,
            decided_by=request.user,
        )
        obj.pk = decided.pk
        obj._state.adding = False
        obj.cooperative_id = decided.cooperative_id
        obj.decided_by = decided.decided_by

    def _approved_list(self, request, queryset, pdf):
        keys = set(queryset.values_list("cooperative_id", "standard_id", "year").distinct()[:2])
        if len(keys) != 1:
            self.message_user(request, _("Choose the decisions of one cooperative, standard and year."), messages.ERROR)
            return None
        cooperative_id, standard_id, year = keys.pop()
        cooperative, standard = Cooperative.objects.get(pk=cooperative_id), Standard.objects.get(pk=standard_id)
        members = selectors.approved_member_list(
            cooperative,
            standard=standard,
            year=year,
            flags=flags_on(cooperative, timezone.localdate()),
            personal_data=roles.sees_personal_data(request.user),
        )
        name = f"aprobados-{cooperative.code}-{standard.code}-{year}"
        return reports.member_list_download(members, name=name, file_format="pdf" if pdf else "xlsx")

    @admin.action(description=gettext_lazy("Approved member list (XLSX)"))
    def approved_member_list_xlsx(self, request, queryset):
        return self._approved_list(request, queryset, pdf=False)

    @admin.action(description=gettext_lazy("Approved member list (PDF)"))
    def approved_member_list_pdf(self, request, queryset):
        return self._approved_list(request, queryset, pdf=True)


class SampledMemberInline(CooperativeScopedInline):
    model = SampledMember
    fields = ["producer", "unannounced"]
    readonly_fields = ["producer", "unannounced"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalSample)
class ExternalSampleAdmin(CooperativeScopedHistoryAdmin):
    """A sample is drawn once (services.sample_draw) and kept as drawn."""

    list_display = ["__str__", "year", "standard", "population", "drawn_on", "cooperative"]
    list_select_related = ["standard", "cooperative"]
    list_filter = ["year", "standard", ("cooperative", admin.RelatedOnlyFieldListFilter)]
    fields = ["cooperative", "standard", "year", "seed", "reason", "population", "drawn_on"]
    readonly_fields = ["population", "drawn_on"]
    inlines = [SampledMemberInline]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        drawn = services.sample_draw(
            cooperative=obj.cooperative,
            year=obj.year,
            standard=obj.standard,
            seed=obj.seed,
            reason=obj.reason,
            drawn_by=request.user,
        )
        obj.pk = drawn.pk
        obj._state.adding = False
        obj.population = drawn.population
        obj.drawn_on = drawn.drawn_on

    def save_related(self, request, form, formsets, change):
        # The members were drawn by the service; the read-only inline has nothing to save.
        pass
