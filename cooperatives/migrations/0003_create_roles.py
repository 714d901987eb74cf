"""The four roles as groups with their model permissions.

Permissions are frozen here, as migrations should be: a later model gets its
permissions in the migration that adds it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAIN = {
    "cooperatives": ["cooperative", "collectioncentre", "membership", "district"],
    "producers": ["producer", "householdmember", "producerstatuschange"],
    "plots": ["plot"],
    "certifications": ["standard", "certificate", "coveredproducer", "coveredplot", "inspection", "nonconformity"],
    "harvests": ["delivery", "qualityanalysis"],
    "exports": ["buyer", "contract", "lot", "lotallocation", "shipment", "shipmentlot", "container"],
}
REFERENCE = {"district", "standard"}  # shared by all cooperatives: read only for everyone
STAFF_ONLY = {"membership"}  # who works where is the managers' business (a superuser grants it)
FIELD_WORK = {
    "producer", "householdmember", "producerstatuschange", "plot", "inspection", "nonconformity",
    "delivery", "qualityanalysis",
}
CERTIFICATION_DATA = {
    "cooperative", "producer", "householdmember", "producerstatuschange", "plot", "standard", "certificate",
    "coveredproducer", "coveredplot", "inspection", "nonconformity", "delivery", "qualityanalysis", "district",
}


def _roles():
    roles = {"cooperative manager": [], "field officer": [], "partner": [], "auditor": []}
    for app, models in DOMAIN.items():
        for model in models:
            view = (app, f"view_{model}")
            if model in STAFF_ONLY:
                roles["cooperative manager"].append(view)
                continue
            for role in ("cooperative manager", "field officer", "partner"):
                roles[role].append(view)
            if model in CERTIFICATION_DATA:
                roles["auditor"].append(view)
            if model in REFERENCE:
                continue
            if model == "cooperative":
                roles["cooperative manager"].append((app, "change_cooperative"))
                continue
            roles["cooperative manager"] += [(app, f"{action}_{model}") for action in ("add", "change", "delete")]
            if model in FIELD_WORK:
                roles["field officer"] += [(app, f"{action}_{model}") for action in ("add", "change")]
    return roles


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in _roles().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted
        ]
        group.permissions.set(permissions)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["cooperative manager", "field officer", "partner", "auditor"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperatives", "0002_load_districts"),
        ("producers", "0001_initial"),
        ("plots", "0001_initial"),
        ("certifications", "0002_load_standards"),
        ("harvests", "0001_initial"),
        ("exports", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
