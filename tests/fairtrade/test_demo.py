"""The demo cooperative shows a Development Plan with its premium received and spent."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from exports.models import Shipment
from fairtrade import selectors
from fairtrade.models import DevelopmentPlan, PremiumAccount, PremiumReceipt, PremiumSpending


def test_this_years_plan_has_three_projects_the_assembly_approved_and_one_it_did_not(allima):
    plan = DevelopmentPlan.objects.get(cooperative=allima, year=timezone.localdate().year)

    projects = {project.name: project.approved_on for project in plan.projects.with_figures()}

    assert len(projects) == 4
    assert [name for name, approved_on in projects.items() if approved_on is None] == ["Camioneta para el acopio"]


def test_premium_arrived_for_the_older_fairtrade_shipments_and_is_outstanding_for_the_latest(allima):
    lines = selectors.shipment_premiums(selectors.fairtrade_shipments(Shipment.objects.for_cooperative(allima)))

    paid = [line for line in lines if line.outstanding_usd == 0]
    owing = [line for line in lines if line.outstanding_usd > 0]
    assert len(paid) > 10
    assert len(owing) >= 1
    assert max(line.shipment.departure_date for line in paid) < min(line.shipment.departure_date for line in owing)


def test_each_demo_shipment_owes_its_tonnes_at_the_2019_premium_in_force_when_its_contract_was_signed(allima):
    lines = selectors.shipment_premiums(selectors.fairtrade_shipments(Shipment.objects.for_cooperative(allima)))

    assert {(line.price.valid_from, line.premium_usd_per_t) for line in lines} == {
        (datetime.date(2019, 10, 1), Decimal("240.00"))
    }
    assert [line.owed_usd for line in lines] == [
        (line.shipment.net_kg * Decimal("0.24")).quantize(Decimal("0.01")) for line in lines
    ]


def test_the_premium_held_is_what_arrived_less_what_was_spent_and_the_report_carries_it(allima):
    received = PremiumReceipt.objects.for_cooperative(allima).aggregate(total=Sum("amount_usd"))["total"]
    spent = PremiumSpending.objects.for_cooperative(allima).aggregate(total=Sum("amount_usd"))["total"]
    report = selectors.premium_report(allima, timezone.localdate().year)

    assert spent > Decimal(0)
    assert PremiumAccount.objects.get(cooperative=allima).balance_usd == received - spent
    assert report.carried_forward_usd == received - spent
    assert report.spent_in_year_usd == spent
