"""The certified ledger's move from exports to harvests (harvests/0007, exports/0007): every row, its history and
the roles' permissions on it are there afterwards, under the new app; the tables did not move."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("exports", "0006_date_bounds"), ("harvests", "0006_recertification")]
AFTER = [("exports", "0007_certified_balance_to_harvests"), ("harvests", "0007_certified_balance_from_exports")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def ledger_in_exports():
    """The database as it was while exports held the ledger; put back afterwards."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_ledger_its_history_and_the_roles_permissions_move_to_harvests_with_every_row(ledger_in_exports):
    coop = factories.CooperativeFactory()
    Standard = ledger_in_exports.get_model("certifications", "Standard")
    organic, fairtrade = Standard.objects.get(code="eu-organic"), Standard.objects.get(code="fairtrade")
    Balance = ledger_in_exports.get_model("exports", "CertifiedBalance")
    History = ledger_in_exports.get_model("exports", "HistoricalCertifiedBalance")
    rows = [
        Balance.objects.create(
            cooperative_id=coop.pk, standard_id=organic.pk, season=2025, bought_kg="1200.50", lots_claimed_kg="800.00"
        ),
        Balance.objects.create(
            cooperative_id=coop.pk, standard_id=fairtrade.pk, season=2026, bought_kg="300.00", sold_kg="300.00"
        ),
    ]
    for row in rows:
        History.objects.create(
            id=row.pk,
            cooperative_id=coop.pk,
            standard_id=row.standard_id,
            season=row.season,
            bought_kg=row.bought_kg,
            lots_claimed_kg=row.lots_claimed_kg,
            sold_kg=row.sold_kg,
            modified=row.modified,
            history_date=row.modified,
            history_type="+",
        )
    content_type = ContentType.objects.get(app_label="exports", model="certifiedbalance")
    auditors_could = set(
        Group.objects.get(name="auditor")
        .permissions.filter(content_type=content_type)
        .values_list("codename", flat=True)
    )
    assert auditors_could == {"view_certifiedbalance"}

    apps = migrate(AFTER)

    Moved = apps.get_model("harvests", "CertifiedBalance")
    assert Moved._meta.db_table == "exports_certifiedbalance"
    assert sorted(
        Moved.objects.values_list("pk", "standard__code", "season", "bought_kg", "lots_claimed_kg", "sold_kg")
    ) == [
        (rows[0].pk, "eu-organic", 2025, Decimal("1200.50"), Decimal("800.00"), Decimal("0.00")),
        (rows[1].pk, "fairtrade", 2026, Decimal("300.00"), Decimal("0.00"), Decimal("300.00")),
    ]
    history = apps.get_model("harvests", "HistoricalCertifiedBalance")
    assert sorted(history.objects.values_list("id", "season")) == sorted((row.pk, row.season) for row in rows)
    # The same content type, now the harvests app's: the roles keep their permissions on the ledger.
    moved_type = ContentType.objects.get(pk=content_type.pk)
    assert (moved_type.app_label, moved_type.model) == ("harvests", "certifiedbalance")
    assert not ContentType.objects.filter(app_label="exports", model__in=["certifiedbalance"]).exists()
    auditor = factories.UserFactory()
    auditor.groups.add(Group.objects.get(name="auditor"))
    assert auditor.has_perm("harvests.view_certifiedbalance")
    assert not auditor.has_perm("harvests.change_certifiedbalance")
