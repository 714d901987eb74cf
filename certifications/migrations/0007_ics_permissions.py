"""The four roles' permissions on the internal control system's new rows (see cooperatives/0003).

Checklist templates are reference data: everyone reads them, a superuser writes them. Managers
run the campaigns, impose sanctions, decide approvals and draw the external sample; field
officers assign inspections in a campaign. Partners and auditors read what certification needs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APP = "certifications"
REFERENCE = ["checklisttemplate", "checklistquestion"]
MANAGED = [
    "inspectioncampaign",
    "campaignassignment",
    "sanctiontype",
    "sanction",
    "approvaldecision",
    "externalsample",
    "sampledmember",
]
FIELD_WORK = ["campaignassignment"]


def _wanted():
    readers = [f"view_{model}" for model in REFERENCE + MANAGED]
    return {
        "cooperative manager": readers
        + [f"{action}_{model}" for model in MANAGED for action in ("add", "change", "delete")],
        "field officer": readers + [f"{action}_{model}" for model in FIELD_WORK for action in ("add", "change")],
        "partner": readers,
        "auditor": readers,
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
    dependencies = [("certifications", "0006_load_checklist_templates"), ("cooperatives", "0003_create_roles")]

    operations = [migrations.RunPython(grant, revoke)]
