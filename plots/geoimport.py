"""Import plot geometries from files of many plots: GeoJSON (the EU's Type I and II files, GIS exports), KML or
KMZ, and GPX.

Each feature is matched to a plot of the importing cooperative by its plot code, read from the feature's
properties (`CODE_KEYS`, in that order), a placemark's name or a track's or waypoint's name; a ProductionPlace
that no plot has as its code, such as exports.eudr's "P-1 La Loma", by the code it starts with. What is safe to
repair is repaired and said, feature by feature: heights dropped, a Polygon nested like a MultiPolygon read as
one, coordinates rounded to the EU's 6 decimals, a legacy `crs` member that names WGS84, properties that are not
read. Everything else refuses the feature with the reason, and the geometry goes through the plot's own rules
(`Plot.clean`: E1-E5, the measured area). Nothing is written unless every feature passes (or the caller asks
for the accepted ones with `skip_rejected`).

A code that no plot of the cooperative has creates a plot only when asked (`create_missing`): its family is
the cooperative's family with the DNI the feature gives (`DNI_KEYS`), its declared area the feature's `Area`
(else the measured one), its district the feature's (else the family's).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history, get_change_reason_from_object

from cooperatives.spreadsheets import DistrictWidget, ImportFileError, word_key
from cooperatives.uploads import ImportKind
from producers.imports import DniWidget
from producers.models import Producer

from . import geometry as geo
from . import gpsfiles
from .models import Plot

# A cooperative of 2,000 families (the EU's limit for an organic group) has rarely more than 10,000 plots.
MAX_FEATURES = 10_000

# Where a feature gives its plot code, compared without case, accents or punctuation ("Plot_Code" is
# "plot code"), first found first. ProductionPlace is the EU file's; a KML placemark's or a GPX track's
# name arrives as "name".
CODE_KEYS = [
    "code",
    "codigo",
    "plot code",
    "codigo de parcela",
    "codigo parcela",
    "cod parcela",
    "parcela",
    "plot",
    "ProductionPlace",
    "name",
    "nombre",
]
# What a feature may say about a plot it creates.
DNI_KEYS = ["ProducerDni", "producer dni", "dni", "dni productor", "dni del productor"]
AREA_KEYS = ["Area", "area ha", "area declarada", "declared area", "hectareas"]
DISTRICT_KEYS = ["district", "distrito", "ubigeo"]
NAME_KEYS = ["nombre", "name", "plot name", "nombre de la parcela"]

NEW, UPDATED, UNCHANGED, REJECTED = "new", "updated", "unchanged", "rejected"
# The fields a geometry changes; the rest of the plot is the editor's and the attribute import's.
GEOMETRY_FIELDS = ["geometry", "measured_area_ha", "modified"]
# Plots written a statement.
SAVE_BATCH = 500


@dataclass
class FeatureResult:
    """What became of one feature of the file: one line of the report."""

    number: int  # the feature's place in the file, from 1
    where: str  # the feature in words: "feature 3", "placemark 2", "track 1"
    name: str  # the file's own name for it, if any
    code: str  # the plot code it gives ("" if none)
    action: str = UNCHANGED  # NEW, UPDATED, UNCHANGED or REJECTED
    area_ha: Decimal | None = None  # the measured area of the geometry, for a polygon
    notes: list = field(default_factory=list)  # what was repaired or is worth knowing, sentences
    errors: list = field(default_factory=list)  # why it is refused, sentences

    def __str__(self):
        head = capfirst(str(self.where))
        if self.code:
            head = _("%(feature)s, plot %(code)s") % {"feature": head, "code": self.code}
        elif self.name:
            head = _('%(feature)s "%(name)s"') % {"feature": head, "name": self.name}
        outcome = {
            NEW: _("created"),
            UPDATED: _("updated"),
            UNCHANGED: _("unchanged"),
            REJECTED: _("rejected"),
        }[self.action]
        if self.area_ha is not None and not self.errors:
            outcome = _("%(outcome)s, measured area %(area)s ha") % {
                "outcome": outcome,
                "area": _ha(self.area_ha),
            }
        sentences = [str(text) for text in (self.errors or self.notes)]
        return " ".join([_("%(feature)s: %(outcome)s.") % {"feature": head, "outcome": outcome}, *sentences])


@dataclass
class GeometryImportReport:
    """Every feature of the file, in the file's order; `errors` are the rejected ones (each str() is a line)."""

    format: str
    features: list = field(default_factory=list)
    written: bool = False

    def _count(self, action):
        return sum(1 for feature in self.features if feature.action == action)

    @property
    def new(self):
        return self._count(NEW)

    @property
    def updated(self):
        return self._count(UPDATED)

    @property
    def unchanged(self):
        return self._count(UNCHANGED)

    @property
    def rejected(self):
        return self._count(REJECTED)

    @property
    def errors(self):
        return [feature for feature in self.features if feature.action == REJECTED]

    @property
    def ok(self):
        return not self.errors


def plot_geometries_import(
    *,
    cooperative,
    content,
    filename="",
    dry_run=False,
    create_missing=False,
    code_property="",
    skip_rejected=False,
    user=None,
):
    """Import the plot geometries in a GeoJSON, KML, KMZ or GPX file (bytes) into `cooperative`'s plots.

    Every feature is reported (see `GeometryImportReport`). Nothing is written on a dry run, nor when any
    feature is rejected unless `skip_rejected` asks to write the accepted ones. `code_property` names the one
    property that holds the plot code, instead of looking for it under `CODE_KEYS`. A file that cannot be
    read at all raises ImportFileError. Each change is kept in the plot's history, by `user` if given.
    """
    try:
        contents = gpsfiles.read_shapes(content, filename)
    except ValidationError as error:
        raise ImportFileError(" ".join(error.messages)) from None
    groups = gpsfiles.shapes_by_feature(contents)
    name = filename or _("the file")
    if not groups:
        raise ImportFileError(_("The file %(name)s holds no plot.") % {"name": name})
    if len(groups) > MAX_FEATURES:
        raise ImportFileError(
            _("The file %(name)s holds %(count)d features; the limit is %(limit)d. Split it into smaller files.")
            % {"name": name, "count": len(groups), "limit": MAX_FEATURES}
        )
    report = GeometryImportReport(format=contents.format)
    with transaction.atomic():
        importer = _Importer(cooperative, contents, code_property, create_missing, lock=not dry_run)
        changes = importer.run(groups, report)
        write = not dry_run and bool(changes) and (report.ok or skip_rejected)
        if write:
            _save(changes, reason=_("Geometry imported from %(name)s") % {"name": name}, user=user)
        report.written = write
    return report


def _rounded(geometry):
    """(the geometry with its coordinates rounded to the EU's 6 decimals (E4), whether any changed); refused if
    two corners merge.

    Rounding rather than cutting: GIS files carry 15 decimals of which the last are float noise
    (-76.137 stored as -76.13699999999999), and cutting that noise moves a corner 11 cm every time,
    always the same way; rounding moves it at most 5.5 cm, and the export's cut finds nothing left to cut.
    """
    changed = []

    def rounded(value):
        if isinstance(value, list) and value and all(geo._is_number(c) for c in value):
            # + 0.0 turns the -0.0 that rounding -0.0000001 gives into 0.0.
            new = [round(c, geo.EUDR_DECIMALS) + 0.0 for c in value]
            changed.append(new != value)
            return new
        return [rounded(v) for v in value] if isinstance(value, list) else value

    result = {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])}
    merged = geo._merged_corners(geometry["coordinates"], result["coordinates"])
    if merged:
        raise ValidationError(
            [
                _(
                    "Rounded to %(decimals)d decimals, two neighbouring corners become one point at longitude "
                    "%(lon)s, latitude %(lat)s: map them further apart."
                )
                % {"decimals": geo.EUDR_DECIMALS, "lon": lon, "lat": lat}
                for lon, lat in merged
            ]
        )
    return result, any(changed)


def _save(changes, *, reason, user):
    """Save the new plots one by one and the changed geometries in a few statements, each with its history."""
    updated = []
    for plot, result in changes:
        plot._change_reason = reason
        if user is not None:
            plot._history_user = user
        if result.action == NEW:
            plot.save()
        else:
            updated.append(plot)
    # bulk_update sets no auto_now field. One by one, 2,000 plots took 6.7 s in 4,000 queries.
    now = timezone.now()
    for plot in updated:
        plot.modified = now
    if connection.vendor == "postgresql":
        # bulk_update writes CASE WHEN id = ... per field: for 10,000 plots, 9 s of the import's 12 s to save,
        # half of it building the expressions. UPDATE ... FROM (VALUES ...) does the same in about 1 s.
        for start in range(0, len(updated), SAVE_BATCH):
            _update_geometries(updated[start : start + SAVE_BATCH])
        if updated:
            _copy_to_history(updated)
    else:
        bulk_update_with_history(updated, Plot, GEOMETRY_FIELDS, batch_size=SAVE_BATCH)


def _update_geometries(plots):
    """Write GEOMETRY_FIELDS of `plots` in one UPDATE, each value prepared as the field itself prepares it."""
    fields = [Plot._meta.get_field(name) for name in GEOMETRY_FIELDS]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    # The casts give the VALUES columns their types; without them PostgreSQL reads each as text.
    casts = [f.db_type(connection) for f in fields]
    row = "(%s, " + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    params = []
    for plot in plots:
        params.append(plot.pk)
        params.extend(f.get_db_prep_save(getattr(plot, f.attname), connection) for f in fields)
    sets = ", ".join(f"{column} = v.{column}" for column in columns)
    table, pk = connection.ops.quote_name(Plot._meta.db_table), connection.ops.quote_name(Plot._meta.pk.column)
    sql = (
        f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(plots))}) "
        f"AS v(id, {', '.join(columns)}) WHERE {table}.{pk} = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _copy_to_history(plots):
    """Keep `plots` as just written in their history, as bulk_update_with_history does, in one statement.

    Their rows are copied where they lie: bulk_history_create built a historical plot per plot and sent
    every geometry back, 2.7 s for 10,000 plots. Each plot is saved with the same reason and user.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Plot.history.model
    first = plots[0]
    user = getattr(first, "_history_user", history.get_default_history_user(first))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    copied = ", ".join(f"p.{quote(f.column)}" for f in history.tracked_fields)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {copied}, %s, %s, '~', %s FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(id, n) "
        f"JOIN {quote(Plot._meta.db_table)} p ON p.{quote(Plot._meta.pk.column)} = u.id ORDER BY u.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [timezone.now(), get_change_reason_from_object(first), user.pk if user else None, [p.pk for p in plots]],
        )


def _ha(value):
    """Hectares as stored, without the trailing zeros of 4 decimals: 1.2 rather than 1.2000."""
    # normalize() alone writes 20 as 2E+1.
    return number_format(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())


def _key_values(properties, keys):
    """(key, value) of the first of `keys` that `properties` gives a value for, compared as word_key."""
    by_key = {}
    for key, value in properties.items():
        if value not in (None, "") and not isinstance(value, (dict, list)):
            by_key.setdefault(word_key(key), (key, value))
    for key in keys:
        if word_key(key) in by_key:
            return by_key[word_key(key)]
    return None, None


def _leading_codes(key, text):
    """The codes a ProductionPlace of several words may start with, longest first: "FAZENDA TABOAO I Norte" may
    be plot "FAZENDA TABOAO I" named Norte (exports.eudr writes the code, a space and the name)."""
    if key is None or word_key(key) != word_key("ProductionPlace"):
        return []
    words = text.split(" ")
    return [" ".join(words[:end]) for end in range(len(words) - 1, 0, -1)]


def _text(value):
    """A property's value as text: 108 and 108.0 are both "108"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _messages(error):
    """A ValidationError's messages as sentences; those about a field other than the geometry name it."""
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    sentences = []
    for name, errors in error.message_dict.items():
        if name in ("geometry", NON_FIELD_ERRORS):
            sentences.extend(errors)
        else:
            label = capfirst(Plot._meta.get_field(name).verbose_name)
            sentences.extend(_("%(field)s: %(message)s") % {"field": label, "message": m} for m in errors)
    return sentences


class _Importer:
    """One run of the import: the cooperative's plots and families, read once for the whole file."""

    def __init__(self, cooperative, contents, code_property, create_missing, lock):
        self.cooperative = cooperative
        self.contents = contents
        self.code_keys = [code_property] if code_property else CODE_KEYS
        self.code_property = code_property
        self.create_missing = create_missing
        self.lock = lock
        self.districts = DistrictWidget()

    def run(self, groups, report):
        """Fill `report` with a result per feature; return the (plot, result) pairs to save."""
        read = []
        for shapes in groups:
            first = shapes[0]
            key, value = _key_values(first.properties, self.code_keys)
            result = FeatureResult(
                number=first.index, where=first.where, name=first.name, code=_text(value) if key else ""
            )
            report.features.append(result)
            read.append((shapes, key, result))

        codes = {r.code for r in report.features}
        codes.update(code for _shapes, key, result in read for code in _leading_codes(key, result.code))
        plots = Plot.objects.for_cooperative(self.cooperative).filter(code__in=codes)
        if self.lock:
            plots = plots.select_for_update(of=("self",))
        self.plots = {plot.code: plot for plot in plots.select_related("producer")}
        for _shapes, key, result in read:
            self._read_leading_code(key, result)
        self._refuse_repeated_codes(report.features)
        self.families = self._families(read) if self.create_missing else {}

        changes = []
        for shapes, code_key, result in read:
            plot = self._feature(shapes, code_key, result)
            if result.errors:
                result.action = REJECTED
            elif plot is not None:
                changes.append((plot, result))
        return changes

    def _read_leading_code(self, key, result):
        """Read "P-1 La Loma" as plot P-1 when no plot has the code "P-1 La Loma" but one has P-1.

        The EUDR export writes ProductionPlace as the plot's code and name, so that the EU's reader knows
        the place; its own file must come back in.
        """
        if result.code in self.plots:
            return
        code = next((code for code in _leading_codes(key, result.code) if code in self.plots), None)
        if code is None:
            return
        result.notes.append(_('The production place "%(place)s" starts with the plot code.') % {"place": result.code})
        result.code = code

    def _refuse_repeated_codes(self, results):
        by_code = {}
        for result in results:
            if result.code:
                by_code.setdefault(result.code, []).append(result)
        for code, repeated in by_code.items():
            if len(repeated) > 1:
                where = ", ".join(str(result.where) for result in repeated)
                for result in repeated:
                    result.errors.append(
                        _("The plot code %(code)s is given %(count)d times (%(where)s): each plot is one feature.")
                        % {"code": code, "count": len(repeated), "where": where}
                    )

    def _families(self, read):
        dnis = set()
        for shapes, _code_key, _result in read:
            dni = self._dni(shapes[0].properties)[1]
            if dni:
                dnis.add(dni)
        families = Producer.objects.for_cooperative(self.cooperative).filter(dni__in=dnis).select_related("district")
        return {family.dni: family for family in families}

    def _dni(self, properties):
        """(the DNI as given, the DNI as 8 digits or None when it is no DNI)."""
        _key, value = _key_values(properties, DNI_KEYS)
        if value is None:
            return None, None
        try:
            return _text(value), DniWidget().clean(value)
        except ValueError:
            return _text(value), None

    def _feature(self, shapes, code_key, result):
        """The plot to save for one feature (None if nothing changes); problems go to result.errors."""
        if not code_key:
            if self.code_property:
                result.errors.append(
                    _("It has no property %(key)s to give its plot code.") % {"key": self.code_property}
                )
            elif shapes[0].properties:
                result.errors.append(
                    _(
                        "It gives no plot code in a property code, codigo, plot_code, ProductionPlace or name; its "
                        "properties are %(names)s."
                    )
                    % {"names": ", ".join(shapes[0].properties)}
                )
            else:
                result.errors.append(_("It gives no plot code: it has no properties and no name."))
        try:
            geometry, notes = gpsfiles.feature_geometry(shapes, self.contents.format)
            geometry, repairs = geo.normalize(geometry)
            rounded, changed = _rounded(geometry)
            geometry = geo.validate_for_eudr(rounded)
        except ValidationError as error:
            result.errors.extend(_messages(error))
            return None
        result.notes.extend(str(note) for note in notes)
        result.notes.extend(capfirst(str(note)) + "." for note in repairs)
        if changed:
            result.notes.append(
                _("Coordinates rounded to %(decimals)d decimals (no corner moves 6 cm), as the EU system reads them.")
                % {"decimals": geo.EUDR_DECIMALS}
            )
        if self.contents.crs:
            result.notes.append(
                _("The file's crs member, %(crs)s, is WGS84 longitude and latitude, as GeoJSON has them.")
                % {"crs": self.contents.crs}
            )
        if result.errors:
            return None
        plot = self.plots.get(result.code)
        used = {code_key}
        if plot is None:
            plot = self._new_plot(shapes[0].properties, geometry, result, used)
        else:
            plot = self._updated_plot(plot, geometry, result)
        self._note_unread(shapes[0].properties, used, result)
        return plot

    def _updated_plot(self, plot, geometry, result):
        plot.cooperative = self.cooperative
        if plot.geometry == geometry:
            result.action, result.area_ha = UNCHANGED, plot.measured_area_ha
            return None
        plot.geometry = geometry
        others = [f.name for f in Plot._meta.fields if f.name != "geometry"]
        try:
            # The model's rules for the geometry (E1-E5 with the declared area) and its measured area.
            plot.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            result.errors.extend(_messages(error))
            return None
        result.action, result.area_ha = UPDATED, plot.measured_area_ha
        self._note_mismatch(plot, result)
        return plot

    def _new_plot(self, properties, geometry, result, used):
        if not self.create_missing:
            result.errors.append(_("No plot of this cooperative has the code %(code)s.") % {"code": result.code})
            return None
        key, _value = _key_values(properties, DNI_KEYS)
        if key is None:
            result.errors.append(
                _(
                    "No plot of this cooperative has the code %(code)s; to create it, give its family's DNI in a "
                    "property ProducerDni."
                )
                % {"code": result.code}
            )
            return None
        used.add(key)
        given, dni = self._dni(properties)
        family = self.families.get(dni)
        if family is None:
            result.errors.append(
                _("No plot of this cooperative has the code %(code)s, and no family of it has the DNI %(dni)s.")
                % {"code": result.code, "dni": given}
            )
            return None
        plot = Plot(
            cooperative=self.cooperative,
            producer=family,
            code=result.code,
            geometry=geometry,
            district=family.district,
        )
        key, value = _key_values(properties, NAME_KEYS)
        if key and _text(value) != result.code:
            used.add(key)
            plot.name = _text(value)
        key, value = _key_values(properties, DISTRICT_KEYS)
        if key:
            used.add(key)
            try:
                plot.district = self.districts.clean(value)
            except ValueError as error:
                result.errors.append(str(error))
                return None
        key, value = _key_values(properties, AREA_KEYS)
        if key:
            used.add(key)
            try:
                plot.declared_area_ha = Decimal(_text(value).replace(",", ".")).quantize(Decimal("0.0001"))
            except InvalidOperation:
                result.errors.append(_('The area "%(value)s" is not a number of hectares.') % {"value": value})
                return None
        elif geometry["type"] != "Point":
            plot.declared_area_ha = geo.geodesic_area_ha(geometry)
            result.notes.append(_("The declared area is the measured one: the file gives no Area."))
        else:
            result.errors.append(_("A plot mapped as a point needs its area: give it in a property Area (ha)."))
            return None
        try:
            plot.full_clean()
        except ValidationError as error:
            result.errors.extend(_messages(error))
            return None
        result.action, result.area_ha = NEW, plot.measured_area_ha
        result.notes.insert(0, _("Created for the family with DNI %(dni)s.") % {"dni": family.dni})
        self._note_mismatch(plot, result)
        return plot

    def _note_mismatch(self, plot, result):
        if plot.area_mismatch():
            result.notes.append(
                _(
                    "The declared area, %(declared)s ha, differs from the measured one by %(difference)s%% "
                    "(the cooperative's tolerance is %(tolerance)s%%)."
                )
                % {
                    "declared": _ha(plot.declared_area_ha),
                    "difference": floatformat(abs(plot.area_difference_pct()), 1),
                    "tolerance": floatformat(self.cooperative.area_tolerance_pct, -2),
                }
            )

    def _note_unread(self, properties, used, result):
        unread = [key for key, value in properties.items() if key not in used and value not in (None, "")]
        if unread:
            result.notes.append(_("Properties not read: %(names)s.") % {"names": ", ".join(unread)})


# The plots' boundaries or points, matched on the plot code, from the files GPS and GIS tools write
# (registered by plots.apps).
GEOMETRIES = ImportKind(
    name="geometries",
    label=gettext_lazy("plot geometries"),
    run=plot_geometries_import,
    accept=".geojson,.json,.kml,.kmz,.gpx",
    help_text=gettext_lazy("GeoJSON, KML, KMZ or GPX, at most 10 MB: one feature per plot, named by its code."),
    place=gettext_lazy("Feature"),
)
