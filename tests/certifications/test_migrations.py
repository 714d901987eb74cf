"""Migrations that move data: what the old rows said is still there afterwards."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("certifications", "0007_ics_permissions")]
AFTER = [("certifications", "0008_inspection_sanctions_to_sanctions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0007():
    """The database as it was before the inspection's own sanction fields went; put back afterwards."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sanction_written_on_an_inspection_becomes_a_sanction_of_the_cooperatives_catalogue(at_0007):
    coop = factories.CooperativeFactory()
    other = factories.CooperativeFactory()
    family = factories.ProducerFactory(cooperative=coop)
    plot = factories.PlotFactory(producer=family)
    inspector = factories.UserFactory()
    Inspection = at_0007.get_model("certifications", "Inspection")
    SanctionType = at_0007.get_model("certifications", "SanctionType")

    def inspection(cooperative, producer, **fields):
        return Inspection.objects.create(
            cooperative_id=cooperative.pk,
            producer_id=producer.pk,
            inspector_id=inspector.pk,
            date=datetime.date(2025, 5, 10),
            **fields,
        )

    warning = SanctionType.objects.create(cooperative_id=coop.pk, name="Amonestación escrita", kind="warning")
    SanctionType.objects.create(cooperative_id=other.pk, name="Exclusión", kind="plot_exclusion")
    # A name the new catalogue entry would take, already given to another kind.
    SanctionType.objects.create(cooperative_id=coop.pk, name="Exclusión de una parcela", kind="withdrawal")
    warned = inspection(coop, family, sanction="warning", findings="Quema de rastrojos.")
    excluded = inspection(coop, family, sanction="plot_exclusion", sanctioned_plot_id=plot.pk, findings="")
    suspended = inspection(coop, family, sanction="suspension", findings="Cacao de terceros.")
    clean = inspection(coop, family, findings="Sin observaciones.")

    apps = migrate(AFTER)

    Sanction = apps.get_model("certifications", "Sanction")
    rows = {
        row.inspection_id: row
        for row in Sanction.objects.select_related("sanction_type").order_by("id")  # one per inspection
    }
    assert set(rows) == {warned.pk, excluded.pk, suspended.pk}
    assert clean.pk not in rows
    assert (rows[warned.pk].sanction_type_id, rows[warned.pk].reason) == (warning.pk, "Quema de rastrojos.")
    exclusion = rows[excluded.pk]
    assert (exclusion.kind, exclusion.plot_id, exclusion.producer_id, exclusion.starts_on) == (
        "plot_exclusion",
        plot.pk,
        family.pk,
        datetime.date(2025, 5, 10),
    )
    # Created in the cooperative's own catalogue (not the other's), named as the kind in Spanish.
    assert (exclusion.sanction_type.cooperative_id, exclusion.sanction_type.kind) == (coop.pk, "plot_exclusion")
    assert exclusion.sanction_type.name == "Exclusión de una parcela (2)"
    assert exclusion.reason == "Exclusión de una parcela"
    assert (rows[suspended.pk].sanction_type.name, rows[suspended.pk].cooperative_id) == ("Suspensión", coop.pk)
