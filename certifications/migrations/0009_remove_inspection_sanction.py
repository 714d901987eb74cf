from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0008_inspection_sanctions_to_sanctions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="inspection",
            name="inspection_plot_exclusion_names_plot",
        ),
        migrations.RemoveField(
            model_name="historicalinspection",
            name="sanction",
        ),
        migrations.RemoveField(
            model_name="historicalinspection",
            name="sanctioned_plot",
        ),
        migrations.RemoveField(
            model_name="inspection",
            name="sanction",
        ),
        migrations.RemoveField(
            model_name="inspection",
            name="sanctioned_plot",
        ),
    ]
