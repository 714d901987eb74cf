import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from exports import eudr
from exports.models import Lot, Shipment


def split_path(path, number):
    """PATH-1.geojson, PATH-2.geojson, ...: the name of part `number` of a split export."""
    stem = path.with_suffix("") if path.suffix.lower() == ".geojson" else path
    return stem.with_name(f"{stem.name}-{number}.geojson")


class Command(BaseCommand):
    help = _(
        "Write the EUDR geolocation GeoJSON of a cooperative, a shipment or a lot. When the EU limits "
        "(25 MB, 10,000 producers per file) would be passed, write PATH-1.geojson, PATH-2.geojson, ..."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cooperative", help=_("cooperative code; with --lot, the cooperative of the lot code"))
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--shipment", help=_("shipment id or number"))
        which.add_argument("--lot", help=_("lot code or id"))
        parser.add_argument("--output", required=True, help=_("the file to write"))
        parser.add_argument("--pseudonymise", action="store_true", help=_("replace producer names by pseudonyms"))
        parser.add_argument("--max-bytes", type=int, default=eudr.MAX_BYTES, help=_("size limit per file"))
        parser.add_argument("--max-producers", type=int, default=eudr.MAX_PRODUCERS, help=_("producers limit per file"))

    def handle(self, *args, **options):
        plots = self.plots(options)
        export = eudr.EudrExport(
            plots,
            pseudonymise=options["pseudonymise"],
            max_bytes=options["max_bytes"],
            max_producers=options["max_producers"],
        )
        output = Path(options["output"])
        parts = []
        try:
            for number, chunks in enumerate(export.files(), start=1):
                part = output.with_name(f".{output.name}.part{number}")
                parts.append(part)
                with part.open("wb") as file:
                    for chunk in chunks:
                        file.write(chunk)
        except BaseException:
            for part in parts:
                part.unlink(missing_ok=True)
            raise
        written = [output] if len(parts) == 1 else [split_path(output, number) for number in range(1, len(parts) + 1)]
        for part, path in zip(parts, written, strict=True):
            os.replace(part, path)

        for path in written:
            self.stdout.write(_("Wrote %(path)s") % {"path": path})
        self.stdout.write(
            _("%(written)d plots written in %(files)d file(s); %(left)d left out.")
            % {"written": export.written, "files": len(written), "left": len(export.errors)}
        )
        for error in export.errors:
            self.stdout.write(
                _("Left out %(plot)s: %(reason)s") % {"plot": error.code, "reason": " ".join(error.reasons)}
            )
        if not export.written:
            raise CommandError(_("No plot could be exported."))

    def plots(self, options):
        cooperative = None
        if options["cooperative"]:
            cooperative = Cooperative.objects.filter(code=options["cooperative"]).first()
            if cooperative is None:
                raise CommandError(_("No cooperative has the code %(code)r.") % {"code": options["cooperative"]})
        if options["shipment"]:
            shipment = self.find(
                Shipment.objects.filter(number=options["shipment"]),
                options["shipment"],
                cooperative,
                _("No shipment has the id or number %(given)r."),
                _("Several cooperatives have a shipment %(given)r: add --cooperative."),
            )
            return eudr.plots_for_shipment(shipment)
        if options["lot"]:
            lot = self.find(
                Lot.objects.filter(code=options["lot"]),
                options["lot"],
                cooperative,
                _("No lot has the id or code %(given)r."),
                _("Several cooperatives have a lot %(given)r: add --cooperative."),
            )
            return eudr.plots_for_lot(lot)
        if cooperative is None:
            raise CommandError(_("Say what to export: --cooperative, --shipment or --lot."))
        return eudr.plots_for_cooperative(cooperative)

    def find(self, by_name, given, cooperative, missing, ambiguous):
        """The one object named `given`, or whose id is `given` (within `cooperative` when one is given)."""
        if cooperative is not None:
            by_name = by_name.filter(cooperative=cooperative)
        found = list(by_name[:2])
        if not found and given.isdigit():
            by_id = by_name.model.objects.filter(pk=int(given))
            found = list(by_id if cooperative is None else by_id.filter(cooperative=cooperative))
        if not found:
            raise CommandError(missing % {"given": given})
        if len(found) > 1:
            raise CommandError(ambiguous % {"given": given})
        return found[0]
