"""The certified ledger now belongs to harvests (harvests/0007): exports forgets the model, not the tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0006_date_bounds"),
        ("harvests", "0007_certified_balance_from_exports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalCertifiedBalance"),
                migrations.DeleteModel(name="CertifiedBalance"),
            ],
            database_operations=[],
        ),
    ]
