"""Version 1 of each standard's checklist template, from the questions once hard-coded in checklists.py.

The texts are stored in English, the source language: they are gettext message ids, so the pages
show them translated; a later version typed in Spanish is shown as typed.
"""

from django.db import migrations
from django.utils import translation


def load_templates(apps, schema_editor):
    from certifications.checklists import CHECKLISTS

    Standard = apps.get_model("certifications", "Standard")
    ChecklistTemplate = apps.get_model("certifications", "ChecklistTemplate")
    ChecklistQuestion = apps.get_model("certifications", "ChecklistQuestion")
    with translation.override("en"):
        for standard in Standard.objects.filter(code__in=CHECKLISTS):
            template, created = ChecklistTemplate.objects.get_or_create(
                standard=standard, version=1, defaults={"notes": "Version 1 (checklists.py)."}
            )
            if not created:
                continue
            ChecklistQuestion.objects.bulk_create(
                ChecklistQuestion(
                    template=template,
                    key=question.key,
                    text=str(question.text),
                    kind=question.kind,
                    order=(position + 1) * 10,
                    # A yes/no question had to be answered; numbers and texts could be left empty.
                    required=question.kind == "yes_no",
                )
                for position, question in enumerate(CHECKLISTS[standard.code])
            )


def unload_templates(apps, schema_editor):
    apps.get_model("certifications", "ChecklistTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("certifications", "0005_ics")]

    operations = [migrations.RunPython(load_templates, unload_templates)]
