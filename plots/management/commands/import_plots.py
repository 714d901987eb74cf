from plots.imports import plots_import
from producers.management.commands.import_producers import Command as ImportCommand


class Command(ImportCommand):
    help = (
        "Import a cooperative's plots (their attributes; geometries come from GPS files) from a CSV or XLSX file: "
        "every row, or none when any row fails."
    )
    import_file = staticmethod(plots_import)
