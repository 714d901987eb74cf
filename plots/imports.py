"""Import a cooperative's plots (their attributes, not their geometry) from CSV or XLSX.

Read, matched and run all-or-nothing as the families are (cooperatives.spreadsheets.table_import);
each plot belongs to a family of the same cooperative, found by its DNI.
"""

import decimal

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from cooperatives.spreadsheets import (
    ChoiceWidget,
    CooperativeResource,
    DateWidget,
    DistrictWidget,
    TextWidget,
    render_table,
    table_import,
)
from cooperatives.uploads import ImportKind
from producers.imports import DniWidget
from producers.models import Producer

from .models import Plot

# Plain Spanish headers, as the families' file (see producers.imports.COLUMNS).
COLUMNS = {
    "code": ("Código de parcela", ["codigo de parcela", "codigo parcela", "parcela", "plot code", "code", "codigo"]),
    "producer": ("DNI del productor", ["dni del productor", "dni productor", "dni", "n dni", "producer dni"]),
    "name": ("Nombre", ["nombre", "nombre de la parcela", "name", "plot name"]),
    "crop": ("Cultivo", ["cultivo", "crop"]),
    "variety": ("Variedad", ["variedad", "variety"]),
    "declared_area_ha": (
        "Área declarada (ha)",
        [
            "area declarada ha",
            "area declarada",
            "area ha",
            "area",
            "hectareas",
            "ha",
            "declared area ha",
            "declared area",
        ],
    ),
    "planting_year": ("Año de siembra", ["ano de siembra", "anio de siembra", "siembra", "planting year"]),
    "tree_count": ("Número de plantas", ["numero de plantas", "n plantas", "plantas", "trees", "tree count"]),
    "estimated_yield_kg_ha": (
        "Rendimiento estimado (kg/ha)",
        ["rendimiento estimado kg ha", "rendimiento", "estimated yield kg ha", "estimated yield", "yield"],
    ),
    "tenure": ("Tenencia", ["tenencia", "tenure"]),
    "district": ("Distrito", ["distrito", "ubigeo", "district"]),
    "conversion_start": (
        "Inicio de conversión",
        ["inicio de conversion", "inicio conversion organica", "conversion start", "organic conversion start"],
    ),
}
REQUIRED = ["code", "producer", "declared_area_ha", "district"]

CROP_WORDS = {
    **{value: value for value in Plot.Crop.values},
    "cacao": Plot.Crop.COCOA,
    "cafe": Plot.Crop.COFFEE,
}
TENURE_WORDS = {
    **{value: value for value in Plot.Tenure.values},
    "titulado": Plot.Tenure.TITLED,
    "titulo": Plot.Tenure.TITLED,
    "propio": Plot.Tenure.TITLED,
    "posesion": Plot.Tenure.POSSESSION,
    "constancia de posesion": Plot.Tenure.POSSESSION,
    "comunal": Plot.Tenure.COMMUNAL,
    "alquilado": Plot.Tenure.RENTED,
    "arrendado": Plot.Tenure.RENTED,
    "otro": Plot.Tenure.OTHER,
}


class NumberWidget(widgets.Widget):
    """A decimal as written in Peru or in a spreadsheet: 1.5, 1,5 or a number cell."""

    def __init__(self, integer=False, **kwargs):
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            number = None
        if number is None or not number.is_finite() or (self.integer and number != number.to_integral_value()):
            example = "2012" if self.integer else "1.5"
            raise ValueError(
                _('Write a number, e.g. %(example)s; got "%(value)s".') % {"example": example, "value": value}
            )
        return int(number) if self.integer else number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ProducerByDniWidget(widgets.Widget):
    """The family of the importing cooperative with this DNI."""

    def __init__(self, **kwargs):
        self.cooperative = None
        self._families = {}
        super().__init__(**kwargs)

    def load(self, values):
        """Read the families of all these DNIs in one query."""
        dnis = set()
        for value in values:
            try:
                dnis.add(DniWidget().clean(value))
            except ValueError:
                continue
        families = Producer.objects.for_cooperative(self.cooperative).filter(dni__in=dnis)
        found = {family.dni: family for family in families}
        self._families.update({dni: found.get(dni) for dni in dnis})

    def clean(self, value, row=None, **kwargs):
        dni = DniWidget().clean(value)
        if dni not in self._families:
            self._families[dni] = Producer.objects.for_cooperative(self.cooperative).filter(dni=dni).first()
        if self._families[dni] is None:
            raise ValueError(_("No family of this cooperative has the DNI %(dni)s.") % {"dni": dni})
        return self._families[dni]

    def render(self, value, obj=None, **kwargs):
        return value.dni if value else ""


class PlotResource(CooperativeResource):
    """A cooperative's plots, one row each, matched on the plot code within that cooperative."""

    code = fields.Field("code", COLUMNS["code"][0], TextWidget())
    producer = fields.Field("producer", COLUMNS["producer"][0], ProducerByDniWidget())
    name = fields.Field("name", COLUMNS["name"][0], TextWidget())
    crop = fields.Field(
        "crop",
        COLUMNS["crop"][0],
        ChoiceWidget(CROP_WORDS, gettext_lazy('Write the crop as cacao or café; got "%(value)s".')),
    )
    variety = fields.Field("variety", COLUMNS["variety"][0], TextWidget())
    declared_area_ha = fields.Field("declared_area_ha", COLUMNS["declared_area_ha"][0], NumberWidget())
    planting_year = fields.Field("planting_year", COLUMNS["planting_year"][0], NumberWidget(integer=True))
    tree_count = fields.Field("tree_count", COLUMNS["tree_count"][0], NumberWidget(integer=True))
    estimated_yield_kg_ha = fields.Field("estimated_yield_kg_ha", COLUMNS["estimated_yield_kg_ha"][0], NumberWidget())
    tenure = fields.Field(
        "tenure",
        COLUMNS["tenure"][0],
        ChoiceWidget(
            TENURE_WORDS,
            gettext_lazy('Write the tenure as titulado, posesión, comunal, alquilado or otro; got "%(value)s".'),
        ),
    )
    district = fields.Field("district", COLUMNS["district"][0], DistrictWidget())
    conversion_start = fields.Field("conversion_start", COLUMNS["conversion_start"][0], DateWidget())

    class Meta:
        model = Plot
        fields = list(COLUMNS)
        import_id_fields = ["code"]

    def __init__(self, *, cooperative, **kwargs):
        super().__init__(cooperative=cooperative, **kwargs)
        self.fields["producer"].widget.cooperative = cooperative

    def get_queryset(self):
        return Plot.objects.for_cooperative(self.cooperative).select_related("producer", "district")

    def before_rows(self, rows):
        self.fields["producer"].widget.load(row.get(COLUMNS["producer"][0]) for row in rows)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # An empty crop or tenure keeps the plot's (or the model's default for a new plot).
        if field.attribute in ("crop", "tenure") and row.get(field.column_name) in (None, ""):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)


def plots_import(*, cooperative, content, filename="", dry_run=False, user=None, progress=None):
    """Import the plots' attributes in a CSV or XLSX file (bytes) into `cooperative`, all rows or none.

    As producers.imports.producers_import: `user` is who imports, `progress(done, total)` is told.
    """
    return table_import(
        resource=PlotResource(cooperative=cooperative),
        columns=COLUMNS,
        required=REQUIRED,
        key="code",
        duplicate_message=gettext_lazy("The plot code %(value)s is in rows %(rows)s: each plot is one row."),
        content=content,
        filename=filename,
        dry_run=dry_run,
        user=user,
        progress=progress,
    )


def plots_export(*, cooperative, file_format="xlsx"):
    """The cooperative's plots in the template's columns, as bytes (xlsx or csv)."""
    resource = PlotResource(cooperative=cooperative)
    return render_table(resource.export(resource.get_queryset()), file_format)


def plots_template(file_format="xlsx"):
    """An empty plot list with the Spanish headers and one example row, as bytes (xlsx or csv)."""
    dataset = tablib.Dataset(headers=[header for header, _others in COLUMNS.values()])
    example = ["S-0001-1", "40000001", "La Loma", "cacao", "CCN-51", "1.5", "2012", "1300", "800"]
    dataset.append([*example, "posesión", "220904", "01/01/2016"])  # in Spanish, as the headers
    return render_table(dataset, file_format)


# The plots' file, offered in the admin and on the pages (registered by plots.apps).
PLOTS = ImportKind(
    name="plots",
    label=gettext_lazy("plots"),
    run=plots_import,
    template=plots_template,
    template_filename="plantilla-parcelas",
)
