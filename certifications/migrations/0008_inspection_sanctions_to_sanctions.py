"""Sanctions written on an inspection's own fields become Sanction rows, before 0009 drops those fields.

Each inspection's sanction becomes a Sanction of a catalogue entry of the same kind of its
cooperative (the first active one; one is added, named as the kind, where there is none),
dated the inspection's day, linked to the inspection, with its findings as the reason. An
inspection that already has a Sanction of that kind (and plot) is left as it is.

The effects are not applied here: those sanctions never had any (that was the fault of the old
fields), and applying them now would change, behind everyone's back, the status of a family or
the scope of a plot from a past day. The ICS manager sees them in the lists and can act.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.text import capfirst

# The kinds' labels as certifications.models.SanctionKind has them: message ids in the catalogue.
KIND_NAMES = {
    "warning": "warning",
    "plot_exclusion": "exclusion of a plot",
    "suspension": "suspension",
    "withdrawal": "withdrawal",
}


def catalogue_entry(SanctionType, cooperative_id, kind):
    entries = SanctionType.objects.filter(cooperative_id=cooperative_id, kind=kind).order_by("-active", "id")
    entry = entries.first()
    if entry is not None:
        return entry
    with translation.override(settings.LANGUAGE_CODE):
        name = capfirst(translation.gettext(KIND_NAMES[kind]))
    taken = set(SanctionType.objects.filter(cooperative_id=cooperative_id).values_list("name", flat=True))
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name} ({number})", number + 1
    return SanctionType.objects.create(cooperative_id=cooperative_id, name=unique, kind=kind)


def forward(apps, schema_editor):
    Inspection = apps.get_model("certifications", "Inspection")
    Sanction = apps.get_model("certifications", "Sanction")
    SanctionType = apps.get_model("certifications", "SanctionType")
    for inspection in Inspection.objects.exclude(sanction="").order_by("id").iterator():
        plot_id = inspection.sanctioned_plot_id if inspection.sanction == "plot_exclusion" else None
        if Sanction.objects.filter(inspection=inspection, kind=inspection.sanction, plot_id=plot_id).exists():
            continue
        entry = catalogue_entry(SanctionType, inspection.cooperative_id, inspection.sanction)
        with translation.override(settings.LANGUAGE_CODE):
            label = capfirst(translation.gettext(KIND_NAMES[inspection.sanction]))
        Sanction.objects.create(
            cooperative_id=inspection.cooperative_id,
            sanction_type=entry,
            kind=inspection.sanction,
            producer_id=inspection.producer_id,
            plot_id=plot_id,
            starts_on=inspection.date,
            reason=inspection.findings.strip() or label,
            inspection=inspection,
        )


class Migration(migrations.Migration):
    dependencies = [("certifications", "0007_ics_permissions")]

    # Going back keeps the Sanction rows: 0009 going back restores empty fields, and nothing is lost.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
