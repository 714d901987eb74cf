"""The certified ledger (CertifiedBalance and its history) moves from exports to harvests: below the lots and
shipments that claim from it, beside the purchases that fill it (ARCHITECTURE.md).

Only Django's record of which app holds the model changes: the tables keep their names
(exports_certifiedbalance, exports_historicalcertifiedbalance) and every row stays where it is. The content
types follow the model, so the permissions the roles hold on the ledger stay theirs, and the history's rows
still name it.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["certifiedbalance", "historicalcertifiedbalance"]


def content_types_to(app_label, old_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=old_label, model__in=MODELS).update(app_label=app_label)

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0011_date_bounds"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperatives", "0009_plausibility_tolerance_and_district_boundaries"),
        ("exports", "0006_date_bounds"),
        ("harvests", "0006_recertification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalCertifiedBalance",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("season", models.PositiveSmallIntegerField(verbose_name="season")),
                        (
                            "bought_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="certified kg bought (dry)"
                            ),
                        ),
                        (
                            "lots_claimed_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by lots"
                            ),
                        ),
                        (
                            "sold_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by shipments"
                            ),
                        ),
                        ("modified", models.DateTimeField(blank=True, editable=False, verbose_name="modified")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "cooperative",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="cooperatives.cooperative",
                                verbose_name="cooperative",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "standard",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="certifications.standard",
                                verbose_name="standard",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical certified balance",
                        "verbose_name_plural": "historical certified balances",
                        "db_table": "exports_historicalcertifiedbalance",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="CertifiedBalance",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("season", models.PositiveSmallIntegerField(verbose_name="season")),
                        (
                            "bought_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="certified kg bought (dry)"
                            ),
                        ),
                        (
                            "lots_claimed_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by lots"
                            ),
                        ),
                        (
                            "sold_kg",
                            models.DecimalField(
                                decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by shipments"
                            ),
                        ),
                        ("modified", models.DateTimeField(auto_now=True, verbose_name="modified")),
                        (
                            "cooperative",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cooperatives.cooperative",
                                verbose_name="cooperative",
                            ),
                        ),
                        (
                            "standard",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="certifications.standard",
                                verbose_name="standard",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "certified balance",
                        "verbose_name_plural": "certified balances",
                        "db_table": "exports_certifiedbalance",
                        "ordering": ["cooperative", "-season", "standard"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("cooperative", "standard", "season"), name="certified_balance_once"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("bought_kg__gte", 0), ("lots_claimed_kg__gte", 0), ("sold_kg__gte", 0)
                                ),
                                name="certified_balance_not_negative",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("lots_claimed_kg__lte", models.F("bought_kg"))),
                                name="certified_balance_lots_within_bought",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("sold_kg__lte", models.F("bought_kg"))),
                                name="certified_balance_sold_within_bought",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to("harvests", "exports"), content_types_to("exports", "harvests")),
    ]
