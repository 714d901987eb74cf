"""Recertifications of deliveries, and the roles' permissions on them: managers recertify, everyone else reads."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

APP = "harvests"
MODEL = "recertification"


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


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0008_api_indexes"),
        ("harvests", "0005_dashboard_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalRecertification",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at")),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "old_organic_status",
                    models.CharField(
                        choices=[
                            ("conventional", "conventional"),
                            ("conversion_1", "in conversion, year 1"),
                            ("conversion_2", "in conversion, year 2"),
                            ("conversion_3", "in conversion, year 3"),
                            ("organic", "organic"),
                        ],
                        max_length=16,
                        verbose_name="organic status before",
                    ),
                ),
                (
                    "new_organic_status",
                    models.CharField(
                        choices=[
                            ("conventional", "conventional"),
                            ("conversion_1", "in conversion, year 1"),
                            ("conversion_2", "in conversion, year 2"),
                            ("conversion_3", "in conversion, year 3"),
                            ("organic", "organic"),
                        ],
                        max_length=16,
                        verbose_name="organic status after",
                    ),
                ),
                (
                    "old_standards",
                    models.JSONField(default=list, help_text="Standard codes.", verbose_name="certified as before"),
                ),
                (
                    "new_standards",
                    models.JSONField(default=list, help_text="Standard codes.", verbose_name="certified as after"),
                ),
                ("corrections", models.JSONField(blank=True, default=dict, verbose_name="corrections")),
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
                    "delivery",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="harvests.delivery",
                        verbose_name="delivery",
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
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical recertification",
                "verbose_name_plural": "historical recertifications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Recertification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded at")),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "old_organic_status",
                    models.CharField(
                        choices=[
                            ("conventional", "conventional"),
                            ("conversion_1", "in conversion, year 1"),
                            ("conversion_2", "in conversion, year 2"),
                            ("conversion_3", "in conversion, year 3"),
                            ("organic", "organic"),
                        ],
                        max_length=16,
                        verbose_name="organic status before",
                    ),
                ),
                (
                    "new_organic_status",
                    models.CharField(
                        choices=[
                            ("conventional", "conventional"),
                            ("conversion_1", "in conversion, year 1"),
                            ("conversion_2", "in conversion, year 2"),
                            ("conversion_3", "in conversion, year 3"),
                            ("organic", "organic"),
                        ],
                        max_length=16,
                        verbose_name="organic status after",
                    ),
                ),
                (
                    "old_standards",
                    models.JSONField(default=list, help_text="Standard codes.", verbose_name="certified as before"),
                ),
                (
                    "new_standards",
                    models.JSONField(default=list, help_text="Standard codes.", verbose_name="certified as after"),
                ),
                ("corrections", models.JSONField(blank=True, default=dict, verbose_name="corrections")),
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
                    "delivery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recertifications",
                        to="harvests.delivery",
                        verbose_name="delivery",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "recertification",
                "verbose_name_plural": "recertifications",
                "ordering": ["cooperative", "-recorded_at"],
                "indexes": [models.Index(fields=["cooperative", "delivery"], name="recertification_coop_delivery")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True), name="recertification_reason_given"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
