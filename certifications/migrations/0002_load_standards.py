from django.db import migrations

STANDARDS = [
    ("eu-organic", "EU organic (Reg. 2018/848)", True),
    ("usda-nop", "USDA NOP organic", True),
    ("fairtrade", "Fairtrade", False),
    ("rainforest-alliance", "Rainforest Alliance", False),
]


def load_standards(apps, schema_editor):
    Standard = apps.get_model("certifications", "Standard")
    for code, name, is_organic in STANDARDS:
        Standard.objects.update_or_create(code=code, defaults={"name": name, "is_organic": is_organic})


class Migration(migrations.Migration):
    dependencies = [("certifications", "0001_initial")]

    operations = [migrations.RunPython(load_standards, migrations.RunPython.noop)]
