"""Lots and shipments never claim more certified kg than certified purchases supplied (DOMAIN.md, shipments)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from exports import selectors
from exports.models import Lot, LotAllocation
from exports.services import (
    allocation_change,
    allocation_remove,
    balance_rebuild,
    lot_allocate,
    lot_delete,
    lot_set_claims,
    shipment_delete,
    shipment_set_claims,
)
from harvests.models import CertifiedBalance, Recertification
from harvests.services import delivery_change, delivery_delete, delivery_recertify
from producers.models import Producer
from producers.services import producer_change_status
from tests.exports.certified import buy, certified_plot, conventional_plot, standard
from tests.factories import (
    BuyerFactory,
    CertificateFactory,
    ContractFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    LotFactory,
    ShipmentFactory,
    ShipmentLotFactory,
)

pytestmark = pytest.mark.django_db


def ledger(coop, code, season=2026):
    row = CertifiedBalance.objects.filter(cooperative=coop, standard__code=code, season=season).first()
    return (row.bought_kg, row.lots_claimed_kg, row.sold_kg) if row else None


def lot(coop, *codes, mode=Lot.FairtradeMode.NONE, **fields):
    made = LotFactory(cooperative=coop, fairtrade_mode=mode, **fields)
    made.standards.set([standard(code) for code in codes])
    return made


def shipment(coop, lots, net_kg, *codes, departure=datetime.date(2026, 9, 1)):
    made = ShipmentFactory(
        contract=ContractFactory(buyer=BuyerFactory(cooperative=coop)), net_kg=Decimal(net_kg), departure_date=departure
    )
    for each in lots:
        ShipmentLotFactory(shipment=made, lot=each, kg=Decimal(net_kg))
    if codes:
        shipment_set_claims(shipment=made, standards=[standard(code) for code in codes])
    return made


# What a purchase brings


def test_it_counts_a_certified_purchase_as_bought_under_each_of_its_standards(coop):
    buy(certified_plot(coop), "300")
    buy(conventional_plot(coop), "500")

    assert ledger(coop, "eu-organic") == (Decimal("300.00"), 0, 0)
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), 0, 0)


def test_a_lighter_purchase_gives_back_certified_kg_and_a_heavier_adds(coop):
    delivery = buy(certified_plot(coop), "300")

    delivery_change(delivery=delivery, net_kg=Decimal("280"))
    assert ledger(coop, "fairtrade")[0] == Decimal("280.00")
    delivery_change(delivery=delivery, net_kg=Decimal("310"), notes="Pesada de nuevo")
    assert ledger(coop, "fairtrade")[0] == Decimal("310.00")


def test_a_purchase_cannot_get_lighter_than_what_mass_balance_lots_already_claim(coop):
    certified = buy(certified_plot(coop), "300")
    claimed = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)
    lot_allocate(lot=claimed, delivery=buy(conventional_plot(coop), "300"), kg="300")

    with pytest.raises(ValidationError) as error:
        delivery_change(delivery=certified, net_kg=Decimal("250"))

    assert error.value.message_dict == {
        "net_kg": [
            "Fairtrade, season 2026: lots and shipments already claim 300.00 kg, so the certified kg bought "
            "cannot fall to 250.00."
        ]
    }
    certified.refresh_from_db()
    assert certified.net_kg == Decimal("300.00")
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("300.00"), 0)


def test_a_purchases_family_plots_and_date_are_refused_as_a_plain_change(coop):
    delivery = buy(certified_plot(coop), "300")

    with pytest.raises(ValidationError) as error:
        delivery_change(delivery=delivery, date=datetime.date(2026, 6, 1))

    assert error.value.message_dict == {
        "date": ["This decided the purchase's certification: correct it as a recertification, with a reason."]
    }


def test_deleting_a_purchase_takes_its_kg_out_of_the_balance(coop):
    delivery = buy(certified_plot(coop), "300")

    delivery_delete(delivery=delivery)

    assert ledger(coop, "fairtrade") == (Decimal("0.00"), 0, 0)


# Lots


def test_a_lot_that_keeps_a_standard_apart_refuses_cocoa_not_certified_so(coop):
    organic = lot(coop, "eu-organic")
    delivery = buy(conventional_plot(coop), "300")

    with pytest.raises(ValidationError) as error:
        lot_allocate(lot=organic, delivery=delivery, kg="100")

    assert error.value.message_dict == {
        "delivery": [
            f"Lot {organic.code} claims EU organic (Reg. 2018/848) and delivery {delivery.receipt_number} was not "
            "certified so on its date: only certified cocoa enters a lot that keeps it apart."
        ]
    }
    assert LotAllocation.objects.exists() is False
    delivery.refresh_from_db()
    assert delivery.allocated_kg == Decimal("0.00")


def test_a_lot_claims_its_allocated_kg_in_the_season_of_the_purchases(coop):
    plot = certified_plot(coop)
    organic = lot(coop, "eu-organic", "fairtrade")

    allocation = lot_allocate(lot=organic, delivery=buy(plot, "300"), kg="200")
    assert ledger(coop, "eu-organic") == (Decimal("300.00"), Decimal("200.00"), 0)
    allocation_change(allocation=allocation, kg="250")
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("250.00"), 0)
    allocation_remove(allocation=allocation)
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("0.00"), 0)


def test_a_mass_balance_lot_takes_any_cocoa_but_never_more_than_the_certified_kg_bought(coop):
    buy(certified_plot(coop, ["fairtrade"]), "300")
    mass_balance = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)
    conventional = conventional_plot(coop)
    lot_allocate(lot=mass_balance, delivery=buy(conventional, "250"), kg="250")
    second = buy(conventional, "100", day=datetime.date(2026, 6, 16))

    with pytest.raises(ValidationError) as error:
        lot_allocate(lot=mass_balance, delivery=second, kg="100")

    assert error.value.message_dict == {
        "kg": [
            "Fairtrade, season 2026: lots would claim 350.00 kg but only 300.00 certified kg were bought "
            "(50.00 kg left to claim)."
        ]
    }
    second.refresh_from_db()
    assert second.allocated_kg == Decimal("0.00")
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("250.00"), 0)


def test_a_segregated_and_a_mass_balance_lot_cannot_both_claim_the_same_certified_kg(coop):
    certified = buy(certified_plot(coop, ["fairtrade"]), "300")
    lot_allocate(lot=lot(coop, "fairtrade", mode=Lot.FairtradeMode.SEGREGATED), delivery=certified, kg="300")
    mass_balance = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)

    with pytest.raises(ValidationError):
        lot_allocate(lot=mass_balance, delivery=buy(conventional_plot(coop), "10"), kg="10")

    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("300.00"), 0)


def test_a_lot_cannot_start_claiming_a_standard_its_cocoa_was_not_certified_under(coop):
    mixed = lot(coop)
    delivery = buy(conventional_plot(coop), "300")
    lot_allocate(lot=mixed, delivery=delivery, kg="100")

    with pytest.raises(ValidationError) as error:
        lot_set_claims(lot=mixed, standards=[standard("eu-organic")], fairtrade_mode="")

    assert error.value.message_dict == {
        "standards": [
            f"Lot {mixed.code} cannot claim EU organic (Reg. 2018/848): it holds cocoa of deliveries not certified "
            f"so ({delivery.receipt_number}). Claim it under mass balance, or take them out first."
        ]
    }
    assert list(mixed.standards.all()) == []


def test_a_lot_claiming_a_standard_later_claims_its_kg_then(coop):
    plot = certified_plot(coop)
    plain = lot(coop)
    lot_allocate(lot=plain, delivery=buy(plot, "300"), kg="300")
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), 0, 0)

    lot_set_claims(lot=plain, standards=[standard("fairtrade")], fairtrade_mode=Lot.FairtradeMode.SEGREGATED)

    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("300.00"), 0)
    lot_delete(lot=plain)
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("0.00"), 0)


# Shipments


def test_shipments_cannot_sell_more_certified_kg_than_were_bought_in_their_season(coop):
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=buy(certified_plot(coop), "1000"), kg="1000")
    shipment(coop, [organic], "600", "eu-organic")
    second = shipment(coop, [organic], "500")

    with pytest.raises(ValidationError) as error:
        shipment_set_claims(shipment=second, standards=[standard("eu-organic")])

    assert error.value.message_dict == {
        "certifications_claimed": [
            "EU organic (Reg. 2018/848), season 2026: shipments would claim 1100.00 kg but only 1000.00 certified kg "
            "were bought (400.00 kg left to sell)."
        ]
    }
    assert list(second.certifications_claimed.all()) == []
    assert ledger(coop, "eu-organic") == (Decimal("1000.00"), Decimal("1000.00"), Decimal("600.00"))


def test_a_shipment_claims_only_what_its_lots_claim(coop):
    buy(certified_plot(coop), "1000")
    conventional = lot(coop)
    lot_allocate(lot=conventional, delivery=buy(conventional_plot(coop), "500"), kg="500")
    sent = shipment(coop, [conventional], "500")

    with pytest.raises(ValidationError) as error:
        shipment_set_claims(shipment=sent, standards=[standard("eu-organic")])

    assert error.value.message_dict == {
        "certifications_claimed": [
            f"Shipment {sent.number} claims EU organic (Reg. 2018/848) but its lots {conventional.code} do not: a "
            "shipment claims only what its lots claim."
        ]
    }


def test_a_shipment_of_a_fairtrade_mass_balance_lot_may_claim_fairtrade(coop):
    buy(certified_plot(coop, ["fairtrade"]), "1000")
    mass_balance = lot(coop, mode=Lot.FairtradeMode.MASS_BALANCE)
    lot_allocate(lot=mass_balance, delivery=buy(conventional_plot(coop), "500"), kg="500")

    sent = shipment(coop, [mass_balance], "480", "fairtrade")

    assert ledger(coop, "fairtrade") == (Decimal("1000.00"), Decimal("0.00"), Decimal("480.00"))
    shipment_delete(shipment=sent)
    assert ledger(coop, "fairtrade") == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_a_shipment_without_lots_that_claims_needs_its_departure_date(coop):
    buy(certified_plot(coop), "1000")

    with pytest.raises(ValidationError) as error:
        shipment(coop, [], "500", "eu-organic", departure=None)

    assert error.value.message_dict == {
        "departure_date": [
            "A shipment without lots sells its certified kg in the season it departs: give its (planned) "
            "departure date."
        ]
    }


def test_a_shipment_sells_from_the_seasons_its_lots_cocoa_was_bought_in(coop):
    plot = certified_plot(coop, ["fairtrade"])
    december = buy(plot, "600", day=datetime.date(2025, 12, 10))
    earlier = CertificateFactory(
        cooperative=coop,
        standard=standard("fairtrade"),
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    CoveredProducerFactory(certificate=earlier, producer=plot.producer)
    CoveredPlotFactory(certificate=earlier, plot=plot)
    assert ledger(coop, "fairtrade", 2025) is None  # bought before its certificate was recorded
    delivery_recertify(delivery=december, reason="Certificado 2025 registrado tarde.", user=None)
    june = buy(plot, "300")
    mixed = lot(coop, "fairtrade", mode=Lot.FairtradeMode.SEGREGATED)
    lot_allocate(lot=mixed, delivery=december, kg="600")
    lot_allocate(lot=mixed, delivery=june, kg="300")

    sent = shipment(coop, [mixed], "870", "fairtrade", departure=datetime.date(2026, 1, 20))

    assert ledger(coop, "fairtrade", 2025) == (Decimal("600.00"), Decimal("600.00"), Decimal("580.00"))
    assert ledger(coop, "fairtrade", 2026) == (Decimal("300.00"), Decimal("300.00"), Decimal("290.00"))
    assert sent.certifications_claimed.count() == 1
    # Cocoa taken out of a shipped lot moves what its shipment sells from each season: not beyond what was bought.
    with pytest.raises(ValidationError) as error:
        allocation_remove(allocation=LotAllocation.objects.get(delivery=june))

    assert error.value.message_dict == {
        "kg": [
            "Fairtrade, season 2025: shipments would claim 870.00 kg but only 600.00 certified kg were bought "
            "(20.00 kg left to sell)."
        ]
    }


# Recertification


def test_recertifying_records_the_old_and_new_status_and_moves_the_balance(coop, manager):
    plot = certified_plot(coop)
    delivery = buy(plot, "300")
    # The family's suspension, recorded late, dates back before the purchase.
    producer_change_status(
        producer=plot.producer, to_status=Producer.Status.SUSPENDED, effective_date=datetime.date(2026, 6, 1)
    )

    record = delivery_recertify(delivery=delivery, reason="Suspensión del 1 de junio registrada tarde.", user=manager)

    assert Recertification.objects.get() == record
    assert (record.old_standards, record.new_standards) == (["eu-organic", "fairtrade"], [])
    assert (record.old_organic_status, record.new_organic_status) == ("organic", "organic")
    assert record.recorded_by == manager
    assert list(delivery.certified_standards.all()) == []
    assert ledger(coop, "fairtrade") == (Decimal("0.00"), 0, 0)


def test_a_delivery_is_not_recertified_without_a_reason(coop, manager):
    delivery = buy(certified_plot(coop), "300")

    with pytest.raises(ValidationError) as error:
        delivery_recertify(delivery=delivery, reason="  ", user=manager)

    assert error.value.message_dict == {"reason": ["Say why the certification is derived again."]}
    assert Recertification.objects.exists() is False


def test_a_delivery_kept_apart_in_a_certified_lot_cannot_lose_that_certification(coop, manager):
    plot = certified_plot(coop)
    delivery = buy(plot, "300")
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=delivery, kg="100")
    producer_change_status(
        producer=plot.producer, to_status=Producer.Status.SUSPENDED, effective_date=datetime.date(2026, 6, 1)
    )

    with pytest.raises(ValidationError) as error:
        delivery_recertify(delivery=delivery, reason="Suspensión registrada tarde.", user=manager)

    assert error.value.message_dict == {
        "reason": [
            f"Lot {organic.code} holds 100.00 kg of this purchase as EU organic (Reg. 2018/848): take them out of "
            "the lot before the purchase loses that certification."
        ]
    }
    assert sorted(delivery.certified_standards.values_list("code", flat=True)) == ["eu-organic", "fairtrade"]


def test_correcting_a_purchases_date_is_refused_once_its_cocoa_is_in_a_lot(coop, manager):
    delivery = buy(certified_plot(coop), "300")
    lot_allocate(lot=lot(coop), delivery=delivery, kg="100")

    with pytest.raises(ValidationError) as error:
        delivery_recertify(
            delivery=delivery, reason="Fecha mal escrita.", user=manager, date=datetime.date(2025, 12, 1)
        )

    assert error.value.message_dict == {
        "date": [
            "100.00 kg of this purchase are already in lots: take them out before correcting its family, plots or date."
        ]
    }


def test_correcting_a_purchases_date_derives_its_certification_for_the_new_date_and_season(coop, manager):
    delivery = buy(certified_plot(coop), "300")

    record = delivery_recertify(
        delivery=delivery, reason="Fecha mal escrita.", user=manager, date=datetime.date(2025, 12, 1)
    )

    # The certificates are valid in 2026 only.
    assert record.corrections == {"date": ["2026-06-15", "2025-12-01"]}
    assert record.new_standards == []
    assert ledger(coop, "fairtrade") == (Decimal("0.00"), 0, 0)
    assert ledger(coop, "fairtrade", 2025) is None


# The report and the ledger


def test_the_report_explains_the_gap_between_bought_and_sold(coop):
    plot = certified_plot(coop, ["fairtrade"])
    first, second = buy(plot, "1000"), buy(plot, "400", day=datetime.date(2026, 7, 1))
    segregated = lot(coop, "fairtrade", mode=Lot.FairtradeMode.SEGREGATED)
    lot_allocate(lot=segregated, delivery=first, kg="900")
    lot_allocate(lot=lot(coop), delivery=second, kg="100")  # downgraded: sold as conventional
    mass_balance = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)
    lot_allocate(lot=mass_balance, delivery=buy(conventional_plot(coop), "200"), kg="200")
    shipment(coop, [segregated], "880", "fairtrade")  # 20 kg lost in drying

    [row] = selectors.mass_balance(coop, 2026, [standard("fairtrade")])

    assert {key: row[key] for key, _label, _help in selectors.MASS_BALANCE_FIGURES} == {
        "bought_kg": Decimal("1400.00"),
        "in_stock_kg": Decimal("400.00"),
        "in_lots_kg": Decimal("900.00"),
        "downgraded_kg": Decimal("100.00"),
        "mass_balance_kg": Decimal("200.00"),
        "lots_claimed_kg": Decimal("1100.00"),
        "in_unshipped_lots_kg": Decimal("200.00"),
        "in_shipped_lots_kg": Decimal("900.00"),
        "sold_kg": Decimal("880.00"),
        "losses_kg": Decimal("20.00"),
        "gap_kg": Decimal("520.00"),
        "left_to_claim_kg": Decimal("300.00"),
        "left_to_sell_kg": Decimal("520.00"),
    }
    explained = row["in_stock_kg"] + row["downgraded_kg"] + row["in_unshipped_lots_kg"] + row["losses_kg"]
    assert row["gap_kg"] == explained - row["mass_balance_kg"]
    assert row["ledger_agrees"] is True


def test_the_report_costs_five_queries_however_many_standards(coop, django_assert_max_num_queries):
    buy(certified_plot(coop), "300")
    standards = list(selectors.mass_balance_standards(coop))

    with django_assert_max_num_queries(5):
        rows = selectors.mass_balance(coop, 2026, standards)

    assert [row["standard"].code for row in rows] == ["eu-organic", "fairtrade"]


def test_the_report_says_when_the_ledger_disagrees_and_a_rebuild_mends_it(coop):
    delivery = buy(certified_plot(coop), "300")
    # A purchase written around the services (an import in bulk): the ledger does not know it.
    delivery.pk = None
    delivery.receipt_number = "R-BULK-1"
    delivery.save()
    delivery.certified_standards.set([standard("fairtrade")])
    [row] = selectors.mass_balance(coop, 2026, [standard("fairtrade")])
    assert (row["bought_kg"], row["ledger_agrees"]) == (Decimal("600.00"), False)

    balance_rebuild(cooperative=coop)

    [row] = selectors.mass_balance(coop, 2026, [standard("fairtrade")])
    assert row["ledger_agrees"] is True
    assert ledger(coop, "fairtrade") == (Decimal("600.00"), Decimal("0.00"), Decimal("0.00"))


# Two officers at once


def run_at_once(*actions):
    """Run each action in its own thread and transaction, all released together; returns their outcomes."""
    barrier = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgresql  # needs concurrent transactions (PostgreSQL)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_claiming_shipments_at_once_never_sell_more_than_was_bought(coop):
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=buy(certified_plot(coop), "1000"), kg="1000")
    shipments = [shipment(coop, [organic], "600") for _ in range(2)]

    outcomes = run_at_once(
        *(lambda s=s: shipment_set_claims(shipment=s, standards=[standard("eu-organic")]) for s in shipments)
    )

    assert outcomes == ["done", "refused"]
    assert ledger(coop, "eu-organic") == (Decimal("1000.00"), Decimal("1000.00"), Decimal("600.00"))
    assert sum(s.certifications_claimed.count() for s in shipments) == 1


@pytest.mark.postgresql  # needs concurrent transactions (PostgreSQL)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_filling_mass_balance_lots_at_once_never_claim_more_than_was_bought(coop):
    buy(certified_plot(coop, ["fairtrade"]), "300")
    conventional = conventional_plot(coop)
    deliveries = [buy(conventional, "200", day=datetime.date(2026, 6, day)) for day in (15, 16)]
    lots = [lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE) for _ in range(2)]

    outcomes = run_at_once(
        *(lambda a=a, d=d: lot_allocate(lot=a, delivery=d, kg="200") for a, d in zip(lots, deliveries, strict=True))
    )

    assert outcomes == ["done", "refused"]
    assert ledger(coop, "fairtrade") == (Decimal("300.00"), Decimal("200.00"), Decimal("0.00"))
    assert LotAllocation.objects.count() == 1
