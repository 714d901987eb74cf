from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0009_remove_inspection_sanction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalinspection",
            name="decision",
            field=models.CharField(
                choices=[
                    ("pending", "pending"),
                    ("approved", "approved"),
                    ("conditional", "approved with conditions"),
                    ("rejected", "not approved"),
                ],
                default="pending",
                help_text="The ICS committee decides on it: the approval decision is what the approved member list reads.",
                max_length=12,
                verbose_name="inspector's recommendation",
            ),
        ),
        migrations.AlterField(
            model_name="inspection",
            name="decision",
            field=models.CharField(
                choices=[
                    ("pending", "pending"),
                    ("approved", "approved"),
                    ("conditional", "approved with conditions"),
                    ("rejected", "not approved"),
                ],
                default="pending",
                help_text="The ICS committee decides on it: the approval decision is what the approved member list reads.",
                max_length=12,
                verbose_name="inspector's recommendation",
            ),
        ),
    ]
