"""The demo cooperative's certified mass balance (demo/massbalance.py), seeded once for the module."""

from decimal import Decimal

from django.utils import timezone

from exports import selectors
from exports.models import Lot
from harvests.models import CertifiedBalance


def test_the_demos_ledger_agrees_with_its_rows_in_every_season(allima):
    kept = {
        (row.standard_id, row.season): {
            "bought_kg": row.bought_kg,
            "lots_claimed_kg": row.lots_claimed_kg,
            "sold_kg": row.sold_kg,
        }
        for row in CertifiedBalance.objects.filter(cooperative=allima)
    }

    assert len(kept) >= 6  # EU organic and Fairtrade, three seasons
    assert kept == selectors.ledger_figures(allima)
    for (_standard, _season), figures in kept.items():
        assert figures["sold_kg"] <= figures["bought_kg"]
        assert figures["lots_claimed_kg"] <= figures["bought_kg"]


def test_this_seasons_balance_shows_stock_downgraded_cocoa_and_sales(allima):
    season = timezone.localdate().year
    rows = {row["standard"].code: row for row in selectors.mass_balance(allima, season)}

    fairtrade, organic = rows["fairtrade"], rows["eu-organic"]
    assert organic["downgraded_kg"] == Decimal("500.00")
    assert fairtrade["downgraded_kg"] == Decimal("500.00")
    assert fairtrade["in_stock_kg"] > 0
    assert fairtrade["sold_kg"] > 0
    assert all(row["ledger_agrees"] for row in rows.values())
    assert Lot.objects.get(cooperative=allima, code=f"L-{season}-C01").standards.exists() is False
