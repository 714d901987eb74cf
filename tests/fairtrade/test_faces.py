"""The premium through its three faces: the pages, the API and the admin show the same figures, from
fairtrade.selectors.premium_report, and refuse the same writes through the same services."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fairtrade import selectors
from fairtrade.models import PremiumAccount, PremiumReceipt, PremiumSpending, ProjectApproval
from fairtrade.services import premium_receive, premium_spend, project_approve
from tests import factories

D = Decimal
YEAR = 2026


def fairtrade_shipment(coop, net_kg="12500", departure=datetime.date(YEAR, 3, 10)):
    contract = factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    return factories.FairtradeShipmentFactory(contract=contract, net_kg=D(net_kg), departure_date=departure)


@pytest.fixture
def premium(coop):
    """Premium of 2025 brought forward, 2026's shipments partly paid, two projects of which one approved."""
    old = fairtrade_shipment(coop, net_kg="5000", departure=datetime.date(2025, 6, 1))
    premium_receive(shipment=old, received_on=datetime.date(2025, 7, 1), amount_usd="1200", reference="T0")
    first = fairtrade_shipment(coop)
    second = fairtrade_shipment(coop, net_kg="20000.50", departure=datetime.date(YEAR, 5, 2))
    premium_receive(shipment=first, received_on=datetime.date(YEAR, 4, 1), amount_usd="3000", reference="T1")
    premium_receive(shipment=second, received_on=datetime.date(YEAR, 6, 1), amount_usd="1000", reference="T2")
    plan = factories.DevelopmentPlanFactory(cooperative=coop, year=YEAR)
    assembly = factories.GeneralAssemblyFactory(cooperative=coop, date=datetime.date(YEAR, 1, 20))
    approved = factories.ProjectFactory(plan=plan, name="Secadores solares", budget_usd=D("4000"))
    factories.ProjectFactory(plan=plan, name="Camioneta", budget_usd=D("30000"))
    project_approve(project=approved, assembly=assembly, votes_for=100, votes_against=20)
    premium_spend(
        project=approved, date=datetime.date(YEAR, 6, 5), amount_usd="1500.25", description="x", receipt_number="F1"
    )
    return plan


def values(html, attribute):
    """{figure name: value} of the elements that carry data-<attribute> and data-value."""
    found = re.findall(rf'data-{attribute}="([^"]+)" data-value="([^"]*)"', html)
    return {name: D(value) for name, value in found}


def test_the_report_counts_the_year_from_what_was_brought_forward(premium, coop):
    report = selectors.premium_report(coop, YEAR)

    assert report.brought_forward_usd == D("1200.00")
    assert report.received_in_year_usd == D("4000.00")
    assert report.spent_in_year_usd == D("1500.25")
    assert report.carried_forward_usd == D("3699.75")
    assert report.balance_usd == D("3699.75")
    # 12.5 t and 20.0005 t at US$240/t.
    assert [line.owed_usd for line in report.shipments] == [D("3000.00"), D("4800.12")]
    assert report.outstanding_usd == D("3800.12")
    assert [(line.project.name, line.project.approved_on, line.spent_in_year_usd) for line in report.projects] == [
        ("Camioneta", None, D("0.00")),
        ("Secadores solares", datetime.date(YEAR, 1, 20), D("1500.25")),
    ]


def test_the_page_the_api_the_admin_and_the_spreadsheet_agree_on_every_figure(premium, coop, manager, client):
    report = selectors.premium_report(coop, YEAR)
    figures = {
        "brought_forward": report.brought_forward_usd,
        "received_in_year": report.received_in_year_usd,
        "spent_in_year": report.spent_in_year_usd,
        "carried_forward": report.carried_forward_usd,
        "owed": report.owed_usd,
        "outstanding": report.outstanding_usd,
        "balance": report.balance_usd,
    }
    client.force_login(manager)

    page = client.get(reverse("fairtrade:report", args=[coop.code]), {"year": YEAR}).content.decode()
    api = client.get(reverse("api:development-plan-premium-report", args=[premium.pk])).json()
    admin = client.get(reverse("admin:fairtrade_developmentplan_change", args=[premium.pk])).content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("fairtrade:report_xlsx", args=[coop.code]), {"year": YEAR}).content)
    ).active

    assert values(page, "figure") == figures
    assert values(admin, "figure") == figures
    assert {name: D(api[f"{name}_usd"]) for name in figures} == figures
    assert [row[1].value for row in sheet.iter_rows(min_row=2, max_row=5)] == [
        float(report.brought_forward_usd),
        float(report.received_in_year_usd),
        float(report.spent_in_year_usd),
        float(report.carried_forward_usd),
    ]
    assert [(line["number"], D(line["owed_usd"]), D(line["outstanding_usd"])) for line in api["shipments"]] == [
        (line.shipment.number, line.owed_usd, line.outstanding_usd) for line in report.shipments
    ]
    assert [D(line["spent_usd"]) for line in api["projects"]] == [D("0.00"), D("1500.25")]


def test_the_page_the_api_and_the_admin_give_the_same_spreadsheet_to_download(premium, coop, manager, client):
    client.force_login(manager)

    responses = [
        client.get(reverse("fairtrade:report_xlsx", args=[coop.code]), {"year": YEAR}),
        client.get(reverse("api:development-plan-premium-report", args=[premium.pk]), {"format": "xlsx"}),
        client.get(reverse("admin:fairtrade_developmentplan_premium_report", args=[premium.pk])),
    ]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert {response["Content-Disposition"] for response in responses} == {
        f'attachment; filename="fairtrade-premium-{coop.code}-{YEAR}.xlsx"'
    }
    page, api, admin = (list(load_workbook(io.BytesIO(response.content)).active.values) for response in responses)
    assert page[0][:3] == ("Fairtrade premium report", coop.name, YEAR)
    assert api == page
    assert admin == page


# Refusals, the same on every face


def test_the_api_refuses_spending_on_a_project_no_assembly_approved(premium, coop, manager, client):
    unapproved = premium.projects.get(name="Camioneta")
    client.force_login(manager)

    response = client.post(
        reverse("api:premium-spending-list"),
        {
            "project": unapproved.pk,
            "date": "2026-06-10",
            "amount_usd": "10.00",
            "description": "x",
            "receipt_number": "F9",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Camioneta has not been approved by a General Assembly: no premium may be spent on it.",
            "attr": "project",
        }
    ]
    assert PremiumSpending.objects.count() == 1


def test_the_page_refuses_spending_on_a_project_no_assembly_approved(premium, coop, manager, client):
    unapproved = premium.projects.get(name="Camioneta")
    client.force_login(manager)

    response = client.post(
        reverse("fairtrade:spending_create", args=[coop.code]),
        {
            "project": unapproved.pk,
            "date": "2026-06-10",
            "amount_usd": "10.00",
            "description": "x",
            "receipt_number": "F9",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "project": ["Camioneta has not been approved by a General Assembly: no premium may be spent on it."]
    }
    assert PremiumSpending.objects.count() == 1


def test_the_admin_refuses_spending_on_a_project_no_assembly_approved(premium, coop, manager, client):
    unapproved = premium.projects.get(name="Camioneta")
    client.force_login(manager)

    response = client.post(
        reverse("admin:fairtrade_premiumspending_add"),
        {
            "project": unapproved.pk,
            "date": "2026-06-10",
            "amount_usd": "10.00",
            "description": "x",
            "receipt_number": "F9",
        },
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Nothing was saved: Camioneta has not been approved by a General Assembly: no premium may be spent on it."
    ]
    assert PremiumSpending.objects.count() == 1


def test_the_api_refuses_premium_beyond_what_a_shipment_owes(premium, coop, manager, client):
    shipment = PremiumReceipt.objects.get(reference="T1").shipment
    client.force_login(manager)

    response = client.post(
        reverse("api:premium-receipt-list"),
        {"shipment": shipment.pk, "received_on": "2026-06-10", "amount_usd": "0.01", "reference": "T9"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "amount_usd"
    assert PremiumReceipt.objects.count() == 3


def test_a_manager_records_premium_on_the_page_and_lands_on_the_years_report(premium, coop, manager, client):
    shipment = PremiumReceipt.objects.get(reference="T2").shipment
    client.force_login(manager)

    response = client.post(
        reverse("fairtrade:receipt_create", args=[coop.code]),
        {"shipment": shipment.pk, "received_on": "2026-07-01", "amount_usd": "3800.12", "reference": "T3"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("fairtrade:report", args=[coop.code]) + "?year=2026"
    assert selectors.premium_report(coop, YEAR).outstanding_usd == D("0.00")


def test_the_api_approves_a_project_by_the_assemblys_vote(premium, coop, manager, client):
    project = premium.projects.get(name="Camioneta")
    assembly = factories.GeneralAssemblyFactory(cooperative=coop, date=datetime.date(YEAR, 8, 1), members_present=80)
    client.force_login(manager)

    response = client.post(
        reverse("api:project-approve", args=[project.pk]),
        {"assembly": assembly.pk, "votes_for": 40, "votes_against": 30, "abstentions": 10},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert client.get(reverse("api:project-detail", args=[project.pk])).json()["approved_on"] == "2026-08-01"


# Who sees what


def test_another_cooperatives_manager_gets_404_on_the_page_and_the_report(premium, coop, other_manager, client):
    client.force_login(other_manager)

    assert client.get(reverse("fairtrade:report", args=[coop.code])).status_code == 404
    assert client.get(reverse("api:development-plan-premium-report", args=[premium.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "report", "record"),
    [("manager", 200, 200), ("auditor", 200, 403), ("field_officer", 200, 403), ("partner", 403, 403)],
)
def test_each_role_opens_the_pages_it_may(premium, coop, client, request, role, report, record):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("fairtrade:report", args=[coop.code])).status_code == report
    assert client.get(reverse("fairtrade:spending_create", args=[coop.code])).status_code == record
    assert client.get(reverse("fairtrade:receipt_create", args=[coop.code])).status_code == record


def test_the_report_page_reads_in_spanish(premium, coop, manager, client):
    client.force_login(manager)

    response = client.get(reverse("fairtrade:report", args=[coop.code]), HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"


# A constant number of queries, however many rows


def grow(coop, plan, count):
    assembly = plan.projects.get(name="Secadores solares").approval.assembly
    for _ in range(count):
        shipment = fairtrade_shipment(coop, departure=datetime.date(YEAR, 9, 1))
        premium_receive(shipment=shipment, received_on=datetime.date(YEAR, 10, 1), amount_usd="100", reference="R")
        project = factories.ProjectFactory(plan=plan, budget_usd=D("100"))
        project_approve(project=project, assembly=assembly, votes_for=60)
        premium_spend(
            project=project,
            date=datetime.date(YEAR, 10, 2),
            amount_usd="10",
            description="x",
            receipt_number=f"G{project.pk}",
        )


@pytest.mark.parametrize(
    "url",
    [
        lambda coop, plan: reverse("fairtrade:report", args=[coop.code]) + "?year=2026",
        lambda coop, plan: reverse("api:development-plan-premium-report", args=[plan.pk]),
        lambda coop, plan: reverse("admin:fairtrade_developmentplan_change", args=[plan.pk]),
        lambda coop, plan: reverse("api:project-list"),
        lambda coop, plan: reverse("api:premium-receipt-list"),
        lambda coop, plan: reverse("api:premium-spending-list"),
        lambda coop, plan: reverse("admin:fairtrade_project_changelist"),
    ],
    ids=["page", "api-report", "admin-plan", "api-projects", "api-receipts", "api-spendings", "admin-projects"],
)
def test_a_page_costs_the_same_queries_for_two_rows_or_twenty(
    premium, coop, manager, client, url, django_assert_max_num_queries
):
    client.force_login(manager)
    address = url(coop, premium)
    client.get(address)  # sessions, role permissions and the like, read once
    grow(coop, premium, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    grow(coop, premium, 18)

    with django_assert_max_num_queries(len(few)):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    "model", ["referenceprice", "premiumaccount", "developmentplan", "project", "generalassembly", "projectapproval",
              "premiumreceipt", "premiumspending"],
)  # fmt: skip
def test_every_model_has_an_admin_list_a_manager_reads(premium, manager, client, model):
    client.force_login(manager)

    assert client.get(reverse(f"admin:fairtrade_{model}_changelist")).status_code == 200


def test_reference_prices_are_read_only_for_a_manager_and_added_by_staff(manager, superuser, client):
    client.force_login(manager)
    assert client.get(reverse("admin:fairtrade_referenceprice_add")).status_code == 403

    client.force_login(superuser)
    assert client.get(reverse("admin:fairtrade_referenceprice_add")).status_code == 200


@pytest.mark.parametrize("model", ["premiumreceipt", "premiumspending", "projectapproval"])
def test_the_admin_never_deletes_a_record_of_money_or_of_a_vote(premium, manager, client, model):
    row = {"premiumreceipt": PremiumReceipt, "premiumspending": PremiumSpending, "projectapproval": ProjectApproval}[
        model
    ].objects.first()
    balance = PremiumAccount.objects.get().balance_usd
    client.force_login(manager)

    response = client.post(reverse(f"admin:fairtrade_{model}_delete", args=[row.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists() is True
    assert PremiumAccount.objects.get().balance_usd == balance
