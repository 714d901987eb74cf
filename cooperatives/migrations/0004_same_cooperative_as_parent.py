"""On PostgreSQL, make every row's cooperative equal its parent's, in the database itself.

Rows carry `cooperative` even where a parent already leads to it (STYLE.md), so
that scoping is one indexed filter. The copy must never disagree with the
parent: a composite foreign key (parent_id, cooperative_id) → parent (id,
cooperative_id) makes a disagreeing row impossible, whoever writes it. SQLite
cannot add constraints to existing tables; there the models' clean() keeps it.
"""

from django.db import migrations

# (child table, column pointing at the parent, parent table)
PAIRS = [
    ("producers_householdmember", "producer_id", "producers_producer"),
    ("producers_producerstatuschange", "producer_id", "producers_producer"),
    ("plots_plot", "producer_id", "producers_producer"),
    ("certifications_coveredproducer", "certificate_id", "certifications_certificate"),
    ("certifications_coveredproducer", "producer_id", "producers_producer"),
    ("certifications_coveredplot", "certificate_id", "certifications_certificate"),
    ("certifications_coveredplot", "plot_id", "plots_plot"),
    ("certifications_inspection", "producer_id", "producers_producer"),
    ("certifications_nonconformity", "inspection_id", "certifications_inspection"),
    ("harvests_delivery", "producer_id", "producers_producer"),
    ("harvests_delivery", "collection_centre_id", "cooperatives_collectioncentre"),
    ("harvests_qualityanalysis", "delivery_id", "harvests_delivery"),
    ("exports_contract", "buyer_id", "exports_buyer"),
    ("exports_lotallocation", "lot_id", "exports_lot"),
    ("exports_lotallocation", "delivery_id", "harvests_delivery"),
    ("exports_shipment", "contract_id", "exports_contract"),
    ("exports_shipmentlot", "shipment_id", "exports_shipment"),
    ("exports_shipmentlot", "lot_id", "exports_lot"),
    ("exports_container", "shipment_id", "exports_shipment"),
]


def _parents():
    return sorted({parent for _, _, parent in PAIRS})


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for parent in _parents():
        schema_editor.execute(
            f'ALTER TABLE "{parent}" ADD CONSTRAINT "{parent}_id_cooperative_key" UNIQUE ("id", "cooperative_id")'
        )
    for child, column, parent in PAIRS:
        schema_editor.execute(
            f'ALTER TABLE "{child}" ADD CONSTRAINT "{child}_{column}_same_cooperative" '
            f'FOREIGN KEY ("{column}", "cooperative_id") REFERENCES "{parent}" ("id", "cooperative_id") '
            f"DEFERRABLE INITIALLY DEFERRED"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for child, column, _ in PAIRS:
        schema_editor.execute(f'ALTER TABLE "{child}" DROP CONSTRAINT "{child}_{column}_same_cooperative"')
    for parent in _parents():
        schema_editor.execute(f'ALTER TABLE "{parent}" DROP CONSTRAINT "{parent}_id_cooperative_key"')


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0003_create_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
