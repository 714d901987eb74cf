"""The Fairtrade premium (DOMAIN.md, Fairtrade): owed per shipment from the dated prices, received,
and spent only on projects a General Assembly approved, never below zero."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction

from certifications.models import Standard
from fairtrade import selectors
from fairtrade.models import PremiumAccount, PremiumReceipt, PremiumSpending, ProjectApproval, ReferencePrice
from fairtrade.services import premium_receive, premium_spend, project_approve
from tests import factories

D = Decimal


@pytest.fixture
def shipment(coop):
    # 12,500 kg under a contract of 2026: 12.5 t x US$240 = US$3,000 of premium.
    contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    return factories.FairtradeShipmentFactory(contract=contract, net_kg=D("12500"))


@pytest.fixture
def assembly(coop):
    return factories.GeneralAssemblyFactory(cooperative=coop, date=datetime.date(2026, 1, 20), members_present=150)


@pytest.fixture
def project(coop, assembly):
    project = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop), budget_usd=D("5000"))
    project_approve(project=project, assembly=assembly, votes_for=100, votes_against=30, abstentions=5)
    return project


def balance(coop):
    return PremiumAccount.objects.get(cooperative=coop).balance_usd


# Reference prices


def test_the_2019_cocoa_prices_are_loaded_by_the_migration(db):
    price = ReferencePrice.objects.get(product="cocoa", standard__code="fairtrade")

    assert (price.valid_from, price.valid_to) == (datetime.date(2019, 10, 1), None)
    assert price.minimum_price_usd_per_t == D("2400.00")
    assert price.premium_usd_per_t == D("240.00")
    assert price.organic_differential_usd_per_t == D("300.00")


def test_it_refuses_a_price_whose_period_overlaps_another_of_the_same_product(db):
    fairtrade = Standard.objects.get(code="fairtrade")
    later = ReferencePrice(
        product="cocoa",
        standard=fairtrade,
        valid_from=datetime.date(2026, 1, 1),
        minimum_price_usd_per_t=D("1"),
        premium_usd_per_t=D("1"),
    )

    with pytest.raises(ValidationError) as error:
        later.full_clean()

    assert error.value.message_dict["valid_from"] == [
        "This period overlaps the price valid from 2019-10-01: close that one first (its valid to)."
    ]


def test_a_later_price_applies_to_contracts_signed_from_its_first_day_only(shipment):
    fairtrade = Standard.objects.get(code="fairtrade")
    ReferencePrice.objects.filter(valid_from=datetime.date(2019, 10, 1)).update(valid_to=datetime.date(2026, 2, 28))
    # Invented figures for the test only: the real 2026 prices are data for staff to enter.
    later = ReferencePrice(
        product="cocoa",
        standard=fairtrade,
        valid_from=datetime.date(2026, 3, 1),
        minimum_price_usd_per_t=D("1000"),
        premium_usd_per_t=D("100"),
    )
    later.full_clean()
    later.save()
    newer = factories.FairtradeShipmentFactory(
        contract=factories.ContractFactory(buyer=shipment.contract.buyer, signed_on=datetime.date(2026, 3, 1)),
        net_kg=D("12500"),
    )

    assert selectors.premium_owed(newer).owed_usd == D("1250.00")
    older = factories.FairtradeShipmentFactory(
        contract=factories.ContractFactory(buyer=shipment.contract.buyer, signed_on=datetime.date(2026, 2, 28)),
        net_kg=D("12500"),
    )
    assert selectors.premium_owed(older).owed_usd == D("3000.00")


# Owed


def test_a_fairtrade_shipment_owes_its_tonnes_times_the_premium_in_force_on_its_contract_date(shipment):
    due = selectors.premium_owed(shipment)

    assert due.priced_on == datetime.date(2026, 3, 1)
    assert due.premium_usd_per_t == D("240.00")
    assert due.owed_usd == D("3000.00")
    assert due.outstanding_usd == D("3000.00")


def test_a_shipment_that_does_not_claim_fairtrade_owes_nothing(coop):
    plain = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )

    assert selectors.premium_owed(plain) is None


def test_a_contract_signed_before_any_price_has_no_premium_figure_and_takes_no_receipt(shipment):
    shipment.contract.signed_on = datetime.date(2019, 9, 30)
    shipment.contract.save(update_fields=["signed_on"])

    assert selectors.premium_owed(shipment).owed_usd is None
    with pytest.raises(ValidationError) as error:
        premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="10", reference="T1")

    assert error.value.message_dict["shipment"] == [
        f"No Fairtrade reference price was in force on 2019-09-30, when the contract of shipment {shipment.number} "
        "was signed: add it under Reference prices first."
    ]
    assert PremiumReceipt.objects.count() == 0


def test_organic_cocoa_sold_below_the_minimum_plus_the_organic_differential_is_flagged(shipment):
    shipment.certifications_claimed.add(Standard.objects.get(code="eu-organic"))
    shipment.price_usd_per_t = D("2699.99")
    shipment.save(update_fields=["price_usd_per_t"])

    due = selectors.premium_owed(shipment)

    assert due.minimum_price_usd_per_t == D("2700.00")
    assert due.below_minimum_price is True


# Received


def test_receiving_premium_raises_the_balance_and_lowers_what_is_outstanding(shipment, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="2000.00", reference="T1")

    assert balance(coop) == D("2000.00")
    assert selectors.premium_owed(shipment).outstanding_usd == D("1000.00")


def test_it_refuses_more_premium_than_the_shipment_still_owes(shipment, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="2000.00", reference="T1")

    with pytest.raises(ValidationError) as error:
        premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 2), amount_usd="1000.01", reference="T2")

    assert error.value.message_dict["amount_usd"] == [
        f"Shipment {shipment.number} owes 3000.00 USD of premium and 2000.00 have been received: "
        "1000.00 USD are outstanding, 1000.01 were entered."
    ]
    assert PremiumReceipt.objects.count() == 1
    assert balance(coop) == D("2000.00")


def test_it_refuses_premium_for_a_shipment_that_does_not_claim_fairtrade(coop):
    plain = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )

    with pytest.raises(ValidationError) as error:
        premium_receive(shipment=plain, received_on=datetime.date(2026, 4, 1), amount_usd="10", reference="T1")

    assert error.value.message_dict["shipment"] == [f"Shipment {plain.number} does not claim Fairtrade."]
    assert PremiumReceipt.objects.count() == 0


# Approved


def test_a_project_is_approved_by_a_majority_of_the_votes_cast(project):
    approval = ProjectApproval.objects.get(project=project)

    assert (approval.votes_for, approval.votes_against, approval.abstentions) == (100, 30, 5)
    assert list(type(project).objects.approved()) == [project]


def test_a_vote_without_a_majority_approves_nothing(coop, assembly):
    project = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop))

    with pytest.raises(ValidationError) as error:
        project_approve(project=project, assembly=assembly, votes_for=40, votes_against=40, abstentions=70)

    assert error.value.message_dict["votes_for"] == [
        "A project is approved only by a majority: 40 votes for and 40 against is none."
    ]
    assert ProjectApproval.objects.count() == 0


def test_it_refuses_more_votes_than_members_present(coop, assembly):
    project = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop))

    with pytest.raises(ValidationError) as error:
        project_approve(project=project, assembly=assembly, votes_for=140, votes_against=10, abstentions=1)

    assert error.value.message_dict["votes_for"] == ["151 votes, but only 150 members were present at the assembly."]


def test_an_assembly_of_another_cooperative_cannot_approve_a_project(coop, other_coop):
    project = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop))
    theirs = factories.GeneralAssemblyFactory(cooperative=other_coop, date=datetime.date(2026, 1, 5))

    with pytest.raises(ValidationError) as error:
        project_approve(project=project, assembly=theirs, votes_for=50)

    assert error.value.message_dict["assembly"] == [f"{theirs} belongs to another cooperative."]


def test_the_database_refuses_an_approval_without_a_majority(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectApproval.objects.filter(project=project).update(votes_against=100)


# Spent


def test_spending_on_an_approved_project_lowers_the_balance(shipment, project, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="3000", reference="T1")

    premium_spend(
        project=project, date=datetime.date(2026, 4, 10), amount_usd="1200", description="Secador", receipt_number="F1"
    )

    assert balance(coop) == D("1800.00")


def test_it_refuses_spending_on_a_project_no_assembly_approved(shipment, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="3000", reference="T1")
    unapproved = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop), name="Camioneta")

    with pytest.raises(ValidationError) as error:
        premium_spend(
            project=unapproved, date=datetime.date(2026, 4, 10), amount_usd="10", description="x", receipt_number="F1"
        )

    assert error.value.message_dict["project"] == [
        "Camioneta has not been approved by a General Assembly: no premium may be spent on it."
    ]
    assert PremiumSpending.objects.count() == 0
    assert balance(coop) == D("3000.00")


def test_it_refuses_spending_that_would_take_the_balance_below_zero(shipment, project, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="1000", reference="T1")
    premium_spend(
        project=project, date=datetime.date(2026, 4, 10), amount_usd="600", description="x", receipt_number="F1"
    )

    with pytest.raises(ValidationError) as error:
        premium_spend(
            project=project, date=datetime.date(2026, 4, 11), amount_usd="400.01", description="y", receipt_number="F2"
        )

    assert error.value.message_dict["amount_usd"] == [
        "The cooperative holds 400.00 USD of premium for spending on 2026-04-11; 400.01 were asked for."
    ]
    assert PremiumSpending.objects.count() == 1
    assert balance(coop) == D("400.00")


def test_it_refuses_spending_premium_on_a_day_before_it_arrived(shipment, project, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="1000", reference="T1")

    with pytest.raises(ValidationError) as error:
        premium_spend(
            project=project, date=datetime.date(2026, 3, 31), amount_usd="1", description="x", receipt_number="F1"
        )

    assert error.value.message_dict["amount_usd"] == [
        "The cooperative holds 0.00 USD of premium for spending on 2026-03-31; 1 were asked for."
    ]


def test_it_refuses_spending_before_the_assembly_approved_the_project(shipment, project):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 1, 2), amount_usd="1000", reference="T1")

    with pytest.raises(ValidationError) as error:
        premium_spend(
            project=project, date=datetime.date(2026, 1, 19), amount_usd="1", description="x", receipt_number="F1"
        )

    assert error.value.message_dict["date"] == [
        f"{project.name} was approved on 2026-01-20: it cannot be spent on before."
    ]


def test_it_refuses_spending_beyond_the_projects_budget(coop, assembly):
    for _ in range(3):
        contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
        premium_receive(
            shipment=factories.FairtradeShipmentFactory(contract=contract),
            received_on=datetime.date(2026, 4, 1),
            amount_usd="3000",
            reference="T",
        )
    project = factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop), budget_usd=D("5000"))
    project_approve(project=project, assembly=assembly, votes_for=80)
    premium_spend(
        project=project, date=datetime.date(2026, 4, 2), amount_usd="4000", description="x", receipt_number="1"
    )

    with pytest.raises(ValidationError) as error:
        premium_spend(
            project=project, date=datetime.date(2026, 4, 3), amount_usd="1000.01", description="y", receipt_number="2"
        )

    assert error.value.message_dict["amount_usd"] == [
        f"{project.name} has 1000.00 USD of its budget left; 1000.01 were asked for."
    ]


def test_the_database_refuses_a_negative_balance(shipment, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="10", reference="T1")

    with pytest.raises(IntegrityError), transaction.atomic():
        PremiumAccount.objects.filter(cooperative=coop).update(balance_usd=D("-0.01"))


def test_the_balance_is_what_was_received_less_what_was_spent(shipment, project, coop):
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="2500", reference="T1")
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 5, 1), amount_usd="500", reference="T2")
    for number, amount in enumerate(["700", "800.50", "99.50"]):
        premium_spend(
            project=project, date=datetime.date(2026, 5, 2), amount_usd=amount, description="x", receipt_number=number
        )

    assert balance(coop) == D("1400.00")


@pytest.mark.postgresql  # needs concurrent transactions (PostgreSQL)
# Committed transactions; the migrations' rows (districts, roles, prices) come back after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_spendings_at_once_never_take_the_balance_below_zero():
    coop = factories.CooperativeFactory()
    contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    shipment = factories.FairtradeShipmentFactory(contract=contract, net_kg=D("12500"))
    premium_receive(shipment=shipment, received_on=datetime.date(2026, 4, 1), amount_usd="1000", reference="T1")
    assembly = factories.GeneralAssemblyFactory(cooperative=coop, date=datetime.date(2026, 1, 20))
    projects = [
        factories.ProjectFactory(plan=factories.DevelopmentPlanFactory(cooperative=coop, year=y)) for y in (2026, 2027)
    ]
    for project in projects:
        project_approve(project=project, assembly=assembly, votes_for=90)
    barrier = threading.Barrier(2)
    outcomes = []

    def spend(project, number):
        try:
            barrier.wait()
            premium_spend(
                project=project,
                date=datetime.date(2026, 4, 2),
                amount_usd="600",
                description="x",
                receipt_number=number,
            )
            outcomes.append("spent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=spend, args=(p, f"F{i}")) for i, p in enumerate(projects)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "spent"]
    assert balance(coop) == D("400.00")
    assert PremiumSpending.objects.count() == 1
