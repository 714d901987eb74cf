"""EUDR geolocation files: the GeoJSON an importer attaches to its due diligence statement.

One Feature per plot with the only properties the EU system reads (DOMAIN.md):
`ProducerName`, `ProducerCountry`, `ProductionPlace` and `Area` (a JSON number, ha).
Every geometry passes `plots.geometry.validate_for_eudr` (rules E3-E5) after its
coordinates are cut to 6 decimals, and the plot's declared area passes E1-E2 (a point
only up to 4 ha). A plot that fails is left out of the file and reported with its reasons.

Polygons with holes are refused, not repaired: the EU system does not process holes, and
dropping them would declare land the family does not farm (perhaps a forest) as the plot.

The output is streamed: `EudrExport.files()` yields one generator of bytes per file, and
a new file starts before the EU limits per statement (25 MB, 10,000 producers) would be passed.
"""

from dataclasses import dataclass, field

import orjson
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from harvests.models import Delivery
from plots import geometry as geo
from plots.models import Plot

from .models import Lot, Shipment

# Limits per due-diligence statement. 25 MB is read as 25,000,000 bytes, the smaller reading.
MAX_BYTES = 25_000_000
MAX_PRODUCERS = 10_000
COUNTRY = "PE"
EU_EMPTY = "EUDR_COMMODITIES_PRODUCER_GEO_EMPTY"
EU_SIZE = "EUDR_MAXIMUM_GEO_SIZE_REACHED"

HEAD = b'{"type":"FeatureCollection","features":['
TAIL = b"]}\n"
FIELDS = [
    "id",
    "code",
    "name",
    "declared_area_ha",
    "measured_area_ha",
    "producer_id",
    "producer__code",
    "producer__first_name",
    "producer__last_name",
    "cooperative__code",
    "geometry_text",
]


# Selectors: the plots behind a cooperative, a lot or a shipment, each plot once.


def plots_for_cooperative(cooperative):
    return Plot.objects.filter(cooperative=cooperative)


def plots_for_lot(lot):
    """The plots of the deliveries allocated to `lot`."""
    origins = Delivery.plots.through.objects.filter(delivery__allocations__lot=lot).values("plot_id")
    return Plot.objects.filter(cooperative_id=lot.cooperative_id, id__in=origins)


def plots_for_shipment(shipment):
    """The plots of the deliveries allocated to the lots of `shipment`."""
    origins = Delivery.plots.through.objects.filter(
        delivery__allocations__lot__shipment_lots__shipment=shipment
    ).values("plot_id")
    return Plot.objects.filter(cooperative_id=shipment.cooperative_id, id__in=origins)


def pseudonym(cooperative_code, producer_code):
    """A stable stand-in for a family's name: the same family gets the same one in every file.

    A keyed hash (the site's SECRET_KEY) of the cooperative's and the member's codes: a plain
    hash of codes that run in sequence (S-0001, S-0002, ...) could be reversed by anyone who
    tries them all. It stays the same as long as SECRET_KEY does.
    """
    digest = salted_hmac("minka.exports.eudr.pseudonym", f"{cooperative_code}:{producer_code}", algorithm="sha256")
    return f"{cooperative_code}-{digest.hexdigest()[:16]}"


@dataclass
class PlotError:
    """A plot left out of the file, and why (each reason in the current language)."""

    plot_id: int
    code: str
    reasons: list
    eu_codes: list = field(default_factory=list)

    def __str__(self):
        return f"{self.code}: {' '.join(self.reasons)}"


@dataclass
class EudrExport:
    """The EUDR GeoJSON of `plots`, split into files within the limits.

    Iterate `files()`, and each file it yields, in order; `written`, `errors` and
    `file_count` are complete once the iteration is done.
    """

    plots: object
    pseudonymise: bool = False
    max_bytes: int = MAX_BYTES
    max_producers: int = MAX_PRODUCERS
    written: int = 0
    file_count: int = 0
    errors: list = field(default_factory=list)

    def rows(self):
        # The geometry as text: orjson parses it faster than psycopg's json module does.
        return (
            self.plots.annotate(geometry_text=Cast("geometry", output_field=TextField()))
            .order_by("producer_id", "code", "id")
            .values_list(*FIELDS, named=True)
            .iterator(chunk_size=2000)
        )

    def features(self):
        """(producer id, one Feature as bytes) for each plot that passes; errors for the others."""
        for row in self.rows():
            try:
                feature = self.feature(row)
            except ValidationError as error:
                self.errors.append(
                    PlotError(
                        row.id,
                        row.code,
                        [str(message) for message in error.messages],
                        sorted({e.code for e in error.error_list if e.code}),
                    )
                )
                continue
            yield row.producer_id, orjson.dumps(feature)

    def feature(self, row):
        if not row.geometry_text or row.geometry_text == "null":
            raise ValidationError(_("This plot has no geometry (not mapped)."), code=EU_EMPTY)
        geometry = geo.parse(orjson.loads(row.geometry_text))
        is_point = geometry.get("type") == "Point"
        if is_point and row.declared_area_ha > geo.EUDR_POINT_MAX_HA:
            raise ValidationError(
                _("A plot of %(area)s ha is more than 4 ha: it must be mapped as a polygon, not a point (EUDR)."),
                code=geo.EU_AREA,
                params={"area": f"{row.declared_area_ha.normalize():f}"},
            )
        if is_point and row.declared_area_ha < geo.EUDR_POINT_MIN_HA:
            raise ValidationError(
                _("A plot mapped as a point needs an area of at least 0.0001 ha (EUDR)."), code=geo.EU_AREA
            )
        geometry = geo.validate_for_eudr(geometry)
        area = row.declared_area_ha if is_point else row.measured_area_ha or geo.geodesic_area_ha(geometry)
        if self.pseudonymise:
            producer_name = pseudonym(row.cooperative__code, row.producer__code)
        else:
            producer_name = f"{row.producer__first_name} {row.producer__last_name}".strip()
        return {
            "type": "Feature",
            "properties": {
                "ProducerName": producer_name,
                "ProducerCountry": COUNTRY,
                "ProductionPlace": f"{row.code} {row.name}".strip(),
                "Area": float(area),
            },
            "geometry": geometry,
        }

    def files(self):
        """Yield one generator of bytes chunks per file; each must be read to its end before the next.

        No plot that fits in a file means no file, not an empty FeatureCollection.
        """
        self.written, self.file_count, self.errors = 0, 0, []
        features = self.features()
        self._next = self._fitting(features)
        while self._next is not None:
            done = self.file_count
            yield self._file(features)
            if self.file_count == done:
                raise RuntimeError("Read each EUDR file to its end before asking for the next one.")

    def _fitting(self, features):
        """The next (producer id, feature) that fits in a file of its own, or None; those that do not are reported."""
        for producer_id, chunk in features:
            if len(HEAD) + len(chunk) + len(TAIL) <= self.max_bytes:
                return producer_id, chunk
            self.errors.append(
                PlotError(
                    None,
                    orjson.loads(chunk)["properties"]["ProductionPlace"],
                    [_("This plot's geometry alone is larger than the file size limit.")],
                    [EU_SIZE],
                )
            )
        return None

    def _file(self, features):
        yield HEAD
        size, producers, count = len(HEAD) + len(TAIL), set(), 0
        while self._next is not None:
            producer_id, chunk = self._next
            extra = len(chunk) + (1 if count else 0)
            new_producer = producer_id not in producers
            if count and (size + extra > self.max_bytes or (new_producer and len(producers) >= self.max_producers)):
                break
            yield b"," + chunk if count else chunk
            size += extra
            producers.add(producer_id)
            count += 1
            self.written += 1
            self._next = self._fitting(features)
        yield TAIL
        self.file_count += 1


# The file is the plots' boundaries under the families' names: whoever downloads it must see plots.
DOWNLOAD_PERMISSIONS = ("plots.view_plot",)

# What an EUDR file is of: its plots, and the name its file goes by.
SOURCES = {
    Shipment: (plots_for_shipment, lambda shipment: str(shipment.pk)),
    Lot: (plots_for_lot, lambda lot: f"lot-{lot.pk}"),
    Cooperative: (plots_for_cooperative, lambda cooperative: cooperative.code),
}


def eudr_file(obj, *, part=1, pseudonymise=False):
    """The `part`-th EUDR file of a shipment, a lot or a cooperative, as (file name, its chunks of bytes);
    None when there is no such file.

    Where a file ends depends on the sizes of the features before it, so reaching part 2 means
    building part 1 and throwing it away. No plot that passes the EU's rules means no file at all.
    """
    plots_of, name_of = SOURCES[type(obj)]
    export = EudrExport(plots_of(obj), pseudonymise=pseudonymise)
    for number, content in enumerate(export.files(), start=1):
        if number == part:
            return f"eudr-{name_of(obj)}-{part}.geojson", content
        for _chunk in content:
            pass
    return None
