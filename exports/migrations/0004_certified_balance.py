"""The certified mass balance's ledger, its permissions, and its rows counted from what exists.

Managers hold every permission on it as on any row of theirs (cooperatives/0003), though only
the services write it; field officers, partners and auditors read it (auditors: certification needs it).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import F, Sum
from django.db.models.functions import ExtractYear

APP = "exports"
MODEL = "certifiedbalance"


def _wanted():
    view = [f"view_{MODEL}"]
    return {
        "cooperative manager": view + [f"{action}_{MODEL}" for action in ("add", "change", "delete")],
        "field officer": view,
        "partner": view,
        "auditor": view,
    }


def grant(apps, schema_editor):
    app_config = apps.get_app_config(APP)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in _wanted().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label=APP, codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in _wanted().items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=APP, codename__in=codenames))


def count_ledger(apps, schema_editor):
    """The ledger of the purchases, lots and shipments recorded before it (as exports.selectors.ledger_figures)."""
    Delivery = apps.get_model("harvests", "Delivery")
    LotAllocation = apps.get_model("exports", "LotAllocation")
    Shipment = apps.get_model("exports", "Shipment")
    CertifiedBalance = apps.get_model("exports", "CertifiedBalance")
    rows = {}

    def add(column, queryset):
        for row in queryset.annotate(kg=Sum(column[1])).order_by():
            key = (row["cooperative_id"], row["standard_id"], row["season"])
            rows.setdefault(key, {})[column[0]] = row["kg"]

    add(
        ("bought_kg", "delivery__dry_kg"),
        Delivery.certified_standards.through.objects.values(
            "standard_id", cooperative_id=F("delivery__cooperative_id"), season=ExtractYear("delivery__date")
        ),
    )
    add(
        ("lots_claimed_kg", "kg"),
        LotAllocation.objects.filter(lot__standards__isnull=False).values(
            "cooperative_id", standard_id=F("lot__standards"), season=ExtractYear("delivery__date")
        ),
    )
    add(
        ("sold_kg", "net_kg"),
        Shipment.objects.filter(departure_date__isnull=False, certifications_claimed__isnull=False).values(
            "cooperative_id", standard_id=F("certifications_claimed"), season=ExtractYear("departure_date")
        ),
    )
    CertifiedBalance.objects.bulk_create(
        CertifiedBalance(cooperative_id=c, standard_id=s, season=season, **figures)
        for (c, s, season), figures in rows.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0007_ics_permissions"),
        ("cooperatives", "0008_api_indexes"),
        ("exports", "0003_api_indexes"),
        ("harvests", "0005_dashboard_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by lots"),
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
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
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
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CertifiedBalance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("season", models.PositiveSmallIntegerField(verbose_name="season")),
                (
                    "bought_kg",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="certified kg bought (dry)"
                    ),
                ),
                (
                    "lots_claimed_kg",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="kg claimed by lots"),
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
                "ordering": ["cooperative", "-season", "standard"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cooperative", "standard", "season"), name="certified_balance_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("bought_kg__gte", 0), ("lots_claimed_kg__gte", 0), ("sold_kg__gte", 0)),
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
        migrations.RunPython(grant, revoke),
        migrations.RunPython(count_ledger, migrations.RunPython.noop),
    ]
