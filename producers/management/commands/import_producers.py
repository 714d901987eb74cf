from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.spreadsheets import ImportFileError
from producers.imports import producers_import


class Command(BaseCommand):
    help = "Import a cooperative's families from a CSV or XLSX file: every row, or none when any row fails."
    import_file = staticmethod(producers_import)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--cooperative", required=True, help="The cooperative's code, e.g. allima.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and write nothing.")

    def handle(self, *args, file, cooperative, dry_run, **options):
        coop, content = self.read_arguments(file, cooperative)
        try:
            report = self.import_file(
                cooperative=coop,
                content=content,
                filename=file.name,
                dry_run=dry_run,
                progress=self.progress if options["verbosity"] >= 1 else None,
            )
        except ImportFileError as e:
            raise CommandError(str(e)) from None

        counts = {"new": report.new, "updated": report.updated, "unchanged": report.unchanged}
        self.stdout.write(
            _("New: %(new)d. Updated: %(updated)d. Unchanged: %(unchanged)d. Errors: %(errors)d.")
            % {**counts, "errors": len(report.errors)}
        )
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(_("Nothing was written: correct the rows above and import the file again."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def read_arguments(self, file, code):
        """The cooperative named by `code` and the file's bytes, or a CommandError saying which is wrong."""
        try:
            cooperative = Cooperative.objects.get(code=code)
        except Cooperative.DoesNotExist:
            raise CommandError(_('No cooperative has the code "%(code)s".') % {"code": code}) from None
        try:
            return cooperative, file.read_bytes()
        except OSError as e:
            raise CommandError(_("The file could not be opened: %(error)s") % {"error": e.strerror}) from None

    def progress(self, done, total):
        # On stderr, so that a scheduled job's output keeps only the summary.
        self.stderr.write(_("%(done)d of %(total)d rows…") % {"done": done, "total": total})
