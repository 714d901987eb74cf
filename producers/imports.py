"""Import a cooperative's families from the spreadsheets it already keeps (CSV or XLSX), and export them.

What a family list holds — its columns and the words it may use — and ProducerResource, which
cooperatives.spreadsheets.table_import runs every row through: families are matched on DNI, and
a status changed by the file follows the membership rules and is kept in the family's history.
A list as a cooperative keeps it may have no member codes and no district: a new family without
a code gets the next one in the cooperative's pattern, and one without a district the cooperative's.
"""

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets
from phonenumber_field.phonenumber import to_python

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
from cooperatives.validators import normalize_dni

from .models import Producer, ProducerStatusChange, Sex
from .services import check_status_change, member_codes_next

# The file's headers are part of its format, the same whatever the language of the person
# downloading it, so they are plain Spanish as the cooperatives write them, not translated.
# Other headers are compared as cooperatives.spreadsheets.column_key makes them: without accents,
# case, punctuation or "de", abbreviations written out ("F. Nac." is "f nacimiento"), and with
# or without a note in brackets ("Sexo (F/M)").
COLUMNS = {
    # field: (header in the template and the export, other headers accepted)
    "code": (
        "Código",
        [
            "codigo",
            "codigo de socio",
            "codigo del socio",
            "codigo socio",
            "cod",
            "n socio",
            "n de socio",
            "id socio",
            "code",
            "member code",
            "member id",
            "member number",
        ],
    ),
    "dni": (
        "DNI",
        [
            "dni",
            "d n i",
            "n dni",
            "n d n i",
            "numero de dni",
            "dni cui",
            "documento",
            "documento de identidad",
            "doc identidad",
            "cui",
            "id number",
            "national id",
        ],
    ),
    "first_name": ("Nombres", ["nombres", "nombre", "nombre del socio", "first name", "first names", "given names"]),
    "last_name": ("Apellidos", ["apellidos", "apellido", "last name", "last names", "surname", "surnames"]),
    "sex": ("Sexo", ["sexo", "genero", "sex", "gender"]),
    "birth_date": (
        "Fecha de nacimiento",
        [
            "fecha de nacimiento",
            "nacimiento",
            "f nacimiento",
            "fecha nac",
            "birth date",
            "date of birth",
            "birthdate",
            "dob",
        ],
    ),
    "phone": (
        "Celular",
        ["celular", "telefono", "n celular", "n telefono", "telefono celular", "movil", "whatsapp", "phone", "mobile"],
    ),
    "community": (
        "Caserío",
        ["caserio", "comunidad", "comunidad nativa", "sector", "localidad", "centro poblado", "community", "village"],
    ),
    "district": ("Distrito", ["distrito", "ubigeo", "codigo ubigeo", "ubigeo distrito", "district"]),
    "entry_date": (
        "Fecha de ingreso",
        [
            "fecha de ingreso",
            "ingreso",
            "f ingreso",
            "fecha de afiliacion",
            "afiliacion",
            "fecha de inscripcion",
            "entry date",
            "date of entry",
            "membership date",
        ],
    ),
    "status": ("Estado", ["estado", "condicion", "status"]),
}
# A list without member codes or districts is taken: see ProducerResource.fill_row.
REQUIRED = ["dni", "first_name", "last_name", "sex"]


class DniWidget(widgets.Widget):
    """A DNI, or a CUI (DNI and check character), as 8 digits; spreadsheets drop the leading zeros."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)):
            value = f"{int(value):08d}"
        try:
            return normalize_dni(value)
        except ValidationError as e:
            raise ValueError(e.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PhoneWidget(TextWidget):
    """A phone number; one written without +51 is Peruvian."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if not text:
            return ""
        number = to_python(text, region="PE")
        if not number.is_valid():
            raise ValueError(_('"%(value)s" is not a valid phone number.') % {"value": text})
        return number

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


SEX_WORDS = {
    "F": Sex.FEMALE,
    "female": Sex.FEMALE,
    "femenino": Sex.FEMALE,
    "fem": Sex.FEMALE,
    "mujer": Sex.FEMALE,
    "M": Sex.MALE,
    "male": Sex.MALE,
    "masculino": Sex.MALE,
    "masc": Sex.MALE,
    "hombre": Sex.MALE,
    "varon": Sex.MALE,
    "V": Sex.MALE,
}
STATUS_WORDS = {
    **{value: value for value in Producer.Status.values},
    "postulante": Producer.Status.APPLICANT,
    "activo": Producer.Status.ACTIVE,
    "suspendido": Producer.Status.SUSPENDED,
    "retirado": Producer.Status.WITHDRAWN,
}


class ProducerResource(CooperativeResource):
    """A cooperative's families, one row each, matched on DNI within that cooperative.

    The cooperative is the caller's: a file never says which cooperative its rows join.
    """

    code = fields.Field("code", COLUMNS["code"][0], TextWidget())
    dni = fields.Field("dni", COLUMNS["dni"][0], DniWidget())
    first_name = fields.Field("first_name", COLUMNS["first_name"][0], TextWidget())
    last_name = fields.Field("last_name", COLUMNS["last_name"][0], TextWidget())
    sex = fields.Field(
        "sex", COLUMNS["sex"][0], ChoiceWidget(SEX_WORDS, gettext_lazy('Write the sex as F or M; got "%(value)s".'))
    )
    birth_date = fields.Field("birth_date", COLUMNS["birth_date"][0], DateWidget())
    phone = fields.Field("phone", COLUMNS["phone"][0], PhoneWidget())
    community = fields.Field("community", COLUMNS["community"][0], TextWidget())
    district = fields.Field("district", COLUMNS["district"][0], DistrictWidget())
    entry_date = fields.Field("entry_date", COLUMNS["entry_date"][0], DateWidget())
    status = fields.Field(
        "status",
        COLUMNS["status"][0],
        ChoiceWidget(
            STATUS_WORDS,
            gettext_lazy('Write the status as applicant, active, suspended or withdrawn; got "%(value)s".'),
        ),
    )

    class Meta:
        model = Producer
        fields = list(COLUMNS)
        import_id_fields = ["dni"]

    # Cells that may be left empty: the family keeps what it has, and a new one gets it by fill_row
    # (a member code, the cooperative's district) or by the model's default (the status).
    KEPT_WHEN_EMPTY = ("code", "district", "status")

    def __init__(self, *, cooperative, **kwargs):
        super().__init__(cooperative=cooperative, **kwargs)
        self.codes = None
        self.generated = []  # the member codes given to new families, in the file's order
        self.in_cooperatives_district = 0  # new families that name no district

    def get_queryset(self):
        return Producer.objects.for_cooperative(self.cooperative).select_related("district")

    def before_rows(self, rows):
        # Generated codes continue after the file's own codes too, so that no two rows share one.
        column = self.fields["code"].column_name
        given = [TextWidget().clean(row.get(column)) for row in rows]
        self.codes = member_codes_next(cooperative=self.cooperative, taken=[code for code in given if code])

    def fill_row(self, instance, before, row):
        if before is not None:
            return {}
        notes = {}
        if not instance.code and self._empty(row, "code"):
            instance.code = next(self.codes)
            self.generated.append(instance.code)
            notes["code"] = [_("Member code %(code)s given: the row has none.") % {"code": instance.code}]
        if instance.district_id is None and self._empty(row, "district"):
            instance.district_id = self.cooperative.district_id
            self.in_cooperatives_district += 1
            notes["district"] = [
                _("No district: the cooperative's, %(district)s.") % {"district": self.cooperative.district}
            ]
        return notes

    def summary(self):
        sentences = []
        if self.generated:
            codes = self.generated[0]
            if len(self.generated) > 1:
                codes = _("%(first)s to %(last)s") % {"first": codes, "last": self.generated[-1]}
            sentences.append(
                ngettext(
                    "%(count)d new family has no member code: it gets %(codes)s.",
                    "%(count)d new families have no member code: they get %(codes)s.",
                    len(self.generated),
                )
                % {"count": len(self.generated), "codes": codes}
            )
        if self.in_cooperatives_district:
            sentences.append(
                ngettext(
                    "%(count)d new family names no district: it is placed in the cooperative's, %(district)s.",
                    "%(count)d new families name no district: they are placed in the cooperative's, %(district)s.",
                    self.in_cooperatives_district,
                )
                % {"count": self.in_cooperatives_district, "district": self.cooperative.district}
            )
        return sentences

    def _empty(self, row, name):
        return row.get(self.fields[name].column_name) in (None, "")

    def check_row(self, instance, before):
        # A status changed by a file follows the same steps as one changed on the family's page.
        if before is not None and instance.status != before["status"]:
            try:
                check_status_change(from_status=before["status"], to_status=instance.status)
            except ValidationError as e:
                return e.message_dict
        return {}

    def after_write(self, *, created, changed, user):
        ProducerStatusChange.objects.bulk_create(
            ProducerStatusChange(
                cooperative_id=family.cooperative_id,
                producer=family,
                from_status=before["status"],
                to_status=family.status,
                effective_date=timezone.localdate(),
                reason=_("Changed by a spreadsheet import."),
                changed_by=user,
            )
            for family, before in changed
            if family.status != before["status"]
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute in self.KEPT_WHEN_EMPTY and row.get(field.column_name) in (None, ""):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)


def producers_import(*, cooperative, content, filename="", dry_run=False, user=None, progress=None):
    """Import the families in a CSV or XLSX file (bytes) into `cooperative`, all rows or none.

    With dry_run, or when any row fails, nothing is written; the report then lists every
    row's errors. A file that cannot be read at all raises ImportFileError. `user` is who
    imports (the history's author); `progress(done, total)` is told as rows are checked.
    """
    return table_import(
        resource=ProducerResource(cooperative=cooperative),
        columns=COLUMNS,
        required=REQUIRED,
        key="dni",
        duplicate_message=gettext_lazy("The DNI %(value)s is in rows %(rows)s: each family is one row."),
        content=content,
        filename=filename,
        dry_run=dry_run,
        user=user,
        progress=progress,
    )


# ---------------------------------------------------------------------------
# Template and export


def producers_export(*, cooperative, file_format="xlsx"):
    """The cooperative's families in the template's columns, as bytes (xlsx or csv)."""
    resource = ProducerResource(cooperative=cooperative)
    dataset = resource.export(resource.get_queryset())
    return render_table(dataset, file_format)


def producers_template(file_format="xlsx"):
    """An empty family list with the Spanish headers and one example row, as bytes (xlsx or csv)."""
    dataset = tablib.Dataset(headers=[header for header, _others in COLUMNS.values()])
    example = ["S-0001", "40000001", "Rosa Elvira", "Tapullima Sangama", "F", "14/05/1978", "987654321"]
    dataset.append([*example, "Aguas Verdes", "220904", "01/03/2015", "activo"])  # in Spanish, as the headers
    return render_table(dataset, file_format)


# The families' file, offered in the admin and on the pages (registered by producers.apps).
FAMILIES = ImportKind(
    name="families",
    label=gettext_lazy("families"),
    run=producers_import,
    template=producers_template,
    template_filename="plantilla-familias",
)
