import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "ubigeo_distrito.csv"


def _decimal(text):
    try:
        return Decimal(text).quantize(Decimal("0.000001"))
    except InvalidOperation:  # "NA" in the source
        return None


def load_districts(apps, schema_editor):
    District = apps.get_model("cooperatives", "District")
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["inei"].isdigit()]
    District.objects.bulk_create(
        [
            District(
                inei=row["inei"],
                reniec=row["reniec"] if row["reniec"].isdigit() else "",
                name=row["distrito"],
                province=row["provincia"],
                department=row["departamento"],
                latitude=_decimal(row["latitude"]),
                longitude=_decimal(row["longitude"]),
            )
            for row in rows
        ],
        batch_size=500,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_initial")]

    operations = [migrations.RunPython(load_districts, migrations.RunPython.noop)]
