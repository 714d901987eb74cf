"""The 2019 Fairtrade cocoa prices, and what each role may do with the premium's records.

The prices took effect on 1 October 2019 (Fairtrade International, announced December 2018):
minimum price US$2,400/t FOB, premium US$240/t, organic differential US$300/t. Later prices
(raised for 2026) are added by staff in the admin, never here: they are data, not code.

Roles, as cooperatives/0003 decides them: managers add, change and delete; field officers and
partners read; auditors read too, since the premium's use is part of the Fairtrade audit; the
reference prices are read only for everyone.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRICES_2019 = {
    "product": "cocoa",
    "valid_from": datetime.date(2019, 10, 1),
    "minimum_price_usd_per_t": Decimal("2400.00"),
    "premium_usd_per_t": Decimal("240.00"),
    "organic_differential_usd_per_t": Decimal("300.00"),
    "source": "Fairtrade International, cocoa price review announced December 2018, in force 1 October 2019",
}
MODELS = [
    "referenceprice", "premiumaccount", "developmentplan", "project", "generalassembly", "projectapproval",
    "premiumreceipt", "premiumspending",
]  # fmt: skip
REFERENCE = {"referenceprice"}
# Kept by the services from the receipts and spendings: nobody changes it by hand.
SERVICE_ONLY = {"premiumaccount"}
ROLES = ["cooperative manager", "field officer", "partner", "auditor"]


def load_prices(apps, schema_editor):
    Standard = apps.get_model("certifications", "Standard")
    ReferencePrice = apps.get_model("fairtrade", "ReferencePrice")
    fairtrade = Standard.objects.get(code="fairtrade")
    ReferencePrice.objects.get_or_create(
        product=PRICES_2019["product"], standard=fairtrade, valid_from=PRICES_2019["valid_from"], defaults=PRICES_2019
    )


def unload_prices(apps, schema_editor):
    apps.get_model("fairtrade", "ReferencePrice").objects.filter(
        product=PRICES_2019["product"], valid_from=PRICES_2019["valid_from"]
    ).delete()


def _wanted():
    wanted = {role: [f"view_{model}" for model in MODELS] for role in ROLES}
    for model in MODELS:
        if model not in REFERENCE | SERVICE_ONLY:
            wanted["cooperative manager"] += [f"{action}_{model}" for action in ("add", "change", "delete")]
    return wanted


def grant(apps, schema_editor):
    app_config = apps.get_app_config("fairtrade")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in _wanted().items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="fairtrade", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="fairtrade")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("fairtrade", "0001_initial"),
        ("certifications", "0002_load_standards"),
        ("cooperatives", "0003_create_roles"),
    ]

    operations = [
        migrations.RunPython(load_prices, unload_prices),
        migrations.RunPython(grant, revoke),
    ]
