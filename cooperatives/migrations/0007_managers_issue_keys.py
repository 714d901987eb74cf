"""Cooperative managers issue, change and revoke their partners' API keys."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER_CAN = ["add_partnerkey", "change_partnerkey", "view_partnerkey"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("cooperatives")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="cooperatives", codename__in=MANAGER_CAN)
    Group.objects.get(name="cooperative manager").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="cooperatives", codename__in=MANAGER_CAN)
    Group.objects.get(name="cooperative manager").permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0006_partner_keys_and_modified")]

    operations = [migrations.RunPython(grant, revoke)]
