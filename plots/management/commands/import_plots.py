from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cooperatives.spreadsheets import ImportFileError
from plots.geoimport import plot_geometries_import
from plots.imports import plots_import
from producers.management.commands.import_producers import Command as ImportCommand

# A GPS or GIS file gives the plots' geometries; a spreadsheet their attributes.
GEOMETRY_SUFFIXES = (".geojson", ".json", ".kml", ".kmz", ".gpx")


class Command(ImportCommand):
    help = (
        "Import a cooperative's plots: their attributes from a CSV or XLSX file, or their geometries from a "
        "GeoJSON, KML, KMZ or GPX file, matched on the plot code. Every row or feature, or none when any fails."
    )
    import_file = staticmethod(plots_import)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        geometry = parser.add_argument_group("geometry files (GeoJSON, KML, KMZ, GPX)")
        geometry.add_argument(
            "--create-missing",
            action="store_true",
            help="Create a plot for a code the cooperative does not have, for the family whose DNI the feature "
            "gives (property ProducerDni or dni).",
        )
        geometry.add_argument(
            "--code-property", default="", help="The property that holds the plot code, e.g. UID (default: found)."
        )
        geometry.add_argument(
            "--skip-rejected",
            action="store_true",
            help="Write the accepted features even when others are rejected (the command still fails).",
        )

    def handle(self, *args, file, cooperative, dry_run, create_missing, code_property, skip_rejected, **options):
        if file.suffix.lower() not in GEOMETRY_SUFFIXES:
            if create_missing or code_property or skip_rejected:
                raise CommandError(
                    _("--create-missing, --code-property and --skip-rejected are for geometry files only.")
                )
            return super().handle(*args, file=file, cooperative=cooperative, dry_run=dry_run, **options)
        coop, content = self.read_arguments(file, cooperative)
        try:
            report = plot_geometries_import(
                cooperative=coop,
                content=content,
                filename=file.name,
                dry_run=dry_run,
                create_missing=create_missing,
                code_property=code_property,
                skip_rejected=skip_rejected,
            )
        except ImportFileError as e:
            raise CommandError(str(e)) from None

        self.stdout.write(
            _("New: %(new)d. Updated: %(updated)d. Unchanged: %(unchanged)d. Rejected: %(rejected)d.")
            % {
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": len(report.errors),
            }
        )
        if options["verbosity"] >= 1:
            for feature in report.features:
                (self.stderr if feature.errors else self.stdout).write(str(feature))
        if report.errors and report.written:
            raise CommandError(
                _("The accepted features were imported; the %(count)d rejected above were left out.")
                % {"count": len(report.errors)}
            )
        if report.errors:
            raise CommandError(_("Nothing was written: correct the features above and import the file again."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
