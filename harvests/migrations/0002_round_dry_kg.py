"""Round a wet delivery's dry weight to the cent on every database.

PostgreSQL rounded it by the column's scale; SQLite kept the whole quotient, so
a lot could not take "all" of a wet delivery there. A generated column cannot be
altered: it is dropped and added again, with the check that reads it.
"""

import django.db.models.functions.math
from django.db import migrations, models


def _dry_kg():
    return models.GeneratedField(
        db_persist=True,
        expression=models.Case(
            models.When(
                state="wet",
                then=django.db.models.functions.math.Round(
                    models.F("net_kg") / models.F("wet_to_dry_ratio"), 2
                ),
            ),
            default=models.F("net_kg"),
        ),
        output_field=models.DecimalField(decimal_places=2, max_digits=12),
        verbose_name="dry weight (kg)",
    )


class Migration(migrations.Migration):
    dependencies = [("harvests", "0001_initial"), ("cooperatives", "0004_same_cooperative_as_parent")]

    operations = [
        migrations.RemoveConstraint(model_name="delivery", name="delivery_not_over_allocated"),
        migrations.RemoveField(model_name="delivery", name="dry_kg"),
        migrations.AddField(model_name="delivery", name="dry_kg", field=_dry_kg()),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(("allocated_kg__gte", 0), ("allocated_kg__lte", models.F("dry_kg"))),
                name="delivery_not_over_allocated",
            ),
        ),
    ]
