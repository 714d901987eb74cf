from django.contrib import admin

from cooperatives.admin import (
    CooperativeScopedAdmin,
    CooperativeScopedHistoryAdmin,
    CooperativeScopedInline,
    ReferenceDataAdmin,
)

from .models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity, Standard


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
    inlines = [CoveredProducerInline, CoveredPlotInline]


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
