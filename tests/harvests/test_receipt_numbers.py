"""The receipt number the purchase form suggests: the next free one of the chosen centre's sequence."""

import datetime

import pytest

from harvests.services import receipt_number_suggest
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 1)


@pytest.fixture
def chazuta(coop):
    return factories.CollectionCentreFactory(cooperative=coop, name="Chazuta")


@pytest.fixture
def achinamiza(coop):
    return factories.CollectionCentreFactory(cooperative=coop, name="Achinamiza")


def bought(centre, *numbers, date=datetime.date(2026, 6, 15)):
    family = factories.ProducerFactory(cooperative=centre.cooperative)
    for number in numbers:
        factories.DeliveryFactory(producer=family, collection_centre=centre, receipt_number=number, date=date)


def test_it_follows_the_highest_number_in_use_not_the_latest_row(coop, chazuta):
    bought(chazuta, "CHZ-2026-00050", "CHZ-2026-00012")  # an old receipt book typed in last

    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-2026-00051"


def test_it_compares_numbers_as_numbers(coop, chazuta):
    bought(chazuta, "CHZ-1000", "CHZ-999")

    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-1001"


def test_each_centre_follows_its_own_prefix(coop, chazuta, achinamiza):
    bought(chazuta, "CHZ-2026-00040")
    bought(achinamiza, "ACH-2026-00007")
    bought(chazuta, "CHZ-2026-00041")

    assert receipt_number_suggest(cooperative=coop, collection_centre=achinamiza, today=TODAY) == "ACH-2026-00008"
    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-2026-00042"


def test_before_a_centre_is_chosen_it_follows_the_latest_receipt_of_the_cooperative(coop, chazuta, achinamiza):
    bought(chazuta, "CHZ-2026-00040")
    bought(achinamiza, "ACH-2026-00007")

    assert receipt_number_suggest(cooperative=coop, today=TODAY) == "ACH-2026-00008"


def test_a_number_typed_at_another_centre_with_this_prefix_is_not_suggested_again(coop, chazuta, achinamiza):
    bought(chazuta, "CHZ-2026-00040")
    bought(achinamiza, "CHZ-2026-00041")  # the wrong receipt book taken to Achinamiza one day

    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-2026-00042"


def test_a_year_in_the_prefix_moves_on_with_the_calendar(coop, chazuta):
    bought(chazuta, "CHZ-2025-00812", date=datetime.date(2025, 12, 20))

    suggested = receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=datetime.date(2026, 1, 5))

    assert suggested == "CHZ-2026-00001"


def test_another_cooperatives_numbers_do_not_count(coop, other_coop, chazuta):
    bought(chazuta, "CHZ-2026-00040")
    bought(factories.CollectionCentreFactory(cooperative=other_coop), "CHZ-2026-00900")

    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-2026-00041"


def test_a_centre_without_receipts_gets_no_suggestion(coop, chazuta, achinamiza):
    bought(chazuta, "CHZ-2026-00040")

    assert receipt_number_suggest(cooperative=coop, collection_centre=achinamiza, today=TODAY) == ""


def test_a_receipt_without_a_number_is_skipped(coop, chazuta):
    bought(chazuta, "CHZ-2026-00040", "sin número")

    assert receipt_number_suggest(cooperative=coop, collection_centre=chazuta, today=TODAY) == "CHZ-2026-00041"
