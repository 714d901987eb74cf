"""The demo cooperative's plausibility flags: the families it means to flag, and no false ones."""

import pytest
from django.utils import timezone

from cooperatives import seasons
from cooperatives.models import Cooperative
from harvests import plausibility


@pytest.fixture
def flags(seeded, db):
    allima = Cooperative.objects.get(code="allima")
    return plausibility.cooperative_flags(allima, seasons.season_of(timezone.localdate()))


def test_the_demo_flags_families_buying_far_above_their_plots_yield(flags):
    assert 1 <= len(flags.over_yield) <= 5
    assert all(flag.ratio is not None and flag.ratio > 1 + flags.tolerance_pct / 100 for flag in flags.over_yield)


def test_the_demos_plots_neither_overlap_nor_leave_chazuta(flags):
    assert flags.overlaps == []
    assert flags.outside_district == []
    assert flags.districts_not_checked == []


def test_the_demos_large_holdings_are_those_over_5_ha(flags):
    assert all(flag.hectares > 5 for flag in flags.over_holding)
