"""An assembly's ordinary or extraordinary session is its `session`: "kind" named another choice set in the API."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("fairtrade", "0002_reference_prices_and_roles")]

    operations = [
        migrations.RemoveConstraint(model_name="generalassembly", name="general_assembly_once"),
        migrations.RenameField(model_name="generalassembly", old_name="kind", new_name="session"),
        migrations.RenameField(model_name="historicalgeneralassembly", old_name="kind", new_name="session"),
        migrations.AlterField(
            model_name="generalassembly",
            name="session",
            field=models.CharField(
                choices=[("ordinary", "ordinary"), ("extraordinary", "extraordinary")],
                default="ordinary",
                max_length=13,
                verbose_name="session",
            ),
        ),
        migrations.AlterField(
            model_name="historicalgeneralassembly",
            name="session",
            field=models.CharField(
                choices=[("ordinary", "ordinary"), ("extraordinary", "extraordinary")],
                default="ordinary",
                max_length=13,
                verbose_name="session",
            ),
        ),
        migrations.AddConstraint(
            model_name="generalassembly",
            constraint=models.UniqueConstraint(fields=("cooperative", "date", "session"), name="general_assembly_once"),
        ),
    ]
