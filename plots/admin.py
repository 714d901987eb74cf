from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperatives.admin_base import CooperativeScopedHistoryAdmin
from cooperatives.admin_files import ImportAdminMixin

from .imports import PlotResource
from .models import Plot


@admin.register(Plot)
class PlotAdmin(ImportAdminMixin, CooperativeScopedHistoryAdmin):
    import_kinds = ["plots", "geometries"]
    # In the import template's columns, so that an exported list, edited, imports again.
    export_resource = PlotResource
    export_select_related = ["producer", "district"]
    list_display = [
        "code",
        "name",
        "producer",
        "crop",
        "variety",
        "declared_area_ha",
        "measured_area_ha",
        "area_difference",
        "area_mismatch",
        "conversion",
        "deforestation_result",
        "cooperative",
    ]
    list_select_related = ["producer", "cooperative"]
    list_filter = [
        "crop",
        "deforestation_result",
        "tenure",
        ("cooperative", admin.RelatedOnlyFieldListFilter),
        ("district", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name", "variety", "producer__code", "producer__last_name", "producer__first_name"]
    autocomplete_fields = ["producer", "district"]
    readonly_fields = ["measured_area_ha", "area_difference", "conversion", "modified"]
    fieldsets = [
        (None, {"fields": ["cooperative", "producer", "code", "name", "district", "tenure"]}),
        (_("Crop"), {"fields": ["crop", "variety", "planting_year", "tree_count", "estimated_yield_kg_ha"]}),
        (_("Area and geometry"), {"fields": ["declared_area_ha", "geometry", "measured_area_ha", "area_difference"]}),
        (_("Organic conversion"), {"fields": ["conversion_start", "conversion"]}),
        (
            _("Deforestation assessment (EUDR)"),
            {
                "fields": [
                    "deforestation_result",
                    "deforestation_method",
                    "deforestation_assessed_on",
                    "deforestation_evidence",
                ]
            },
        ),
        (None, {"fields": ["modified"]}),
    ]

    @admin.display(description=_("conversion status"))
    def conversion(self, obj):
        return obj.conversion_status().label

    @admin.display(description=_("area difference (%)"))
    def area_difference(self, obj):
        difference = obj.area_difference_pct()
        return None if difference is None else round(difference, 1)

    @admin.display(description=_("area differs"), boolean=True)
    def area_mismatch(self, obj):
        return obj.area_mismatch()
