"""The certified mass balance page (/c/<code>/mass-balance/), beside the API's and the admin's report of it."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exports import selectors
from exports.models import Lot
from exports.services import lot_allocate
from tests.exports.certified import buy, certified_plot, conventional_plot, standard
from tests.exports.test_mass_balance import lot, shipment

FIGURE = re.compile(r'data-figure="(\w+)" data-standard="([\w-]+)" data-kg="([-\d.]+)"')


@pytest.fixture
def season(coop):
    """A season with certified cocoa in stock, in lots, downgraded, under mass balance and shipped."""
    plot = certified_plot(coop)
    first, second = buy(plot, "1000"), buy(plot, "400", day=datetime.date(2026, 7, 1))
    organic = lot(coop, "eu-organic", "fairtrade", mode=Lot.FairtradeMode.SEGREGATED)
    lot_allocate(lot=organic, delivery=first, kg="900")
    lot_allocate(lot=lot(coop), delivery=second, kg="100")
    mass_balance = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)
    lot_allocate(lot=mass_balance, delivery=buy(conventional_plot(coop), "200"), kg="200")
    shipment(coop, [organic], "880", "eu-organic", "fairtrade")
    return 2026


def figures_of_page(response):
    return {(key, code): Decimal(kg) for key, code, kg in FIGURE.findall(response.content.decode())}


def expected(coop, year):
    return {
        (key, row["standard"].code): row[key]
        for row in selectors.mass_balance(coop, year)
        for key, _label, _help in selectors.MASS_BALANCE_FIGURES
    }


def test_the_page_the_api_the_admin_and_the_spreadsheet_show_the_same_figures(client, coop, manager, season):
    client.force_login(manager)
    wanted = expected(coop, season)

    page = client.get(reverse("mass_balance", args=[coop.code]), {"season": season})
    admin = client.get(reverse("admin:exports_certifiedbalance_mass_balance"), {"season": season})
    api = client.get("/api/v1/certified-balances/mass-balance/", {"season": season})
    sheet = client.get(reverse("mass_balance", args=[coop.code]), {"season": season, "format": "xlsx"})

    assert (page.status_code, admin.status_code, api.status_code, sheet.status_code) == (200, 200, 200, 200)
    assert len(wanted) == 26  # 13 figures of EU organic and Fairtrade
    assert wanted[("sold_kg", "fairtrade")] == Decimal("880.00")
    assert wanted[("mass_balance_kg", "fairtrade")] == Decimal("200.00")
    assert figures_of_page(page) == wanted
    assert figures_of_page(admin) == wanted
    assert {
        (key, row["standard"]): Decimal(row[key])
        for row in api.json()["standards"]
        for key, _label, _help in selectors.MASS_BALANCE_FIGURES
    } == wanted
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    codes = {str(standard(code)): code for code in ("eu-organic", "fairtrade")}
    columns = [codes[name] for name in rows[3][1:3]]
    labels = {str(label): key for key, label, _help in selectors.MASS_BALANCE_FIGURES}
    assert {
        (labels[row[0]], code): Decimal(str(value)).quantize(Decimal("0.01"))
        for row in rows[4:]
        for code, value in zip(columns, row[1:3], strict=True)
    } == wanted


def test_the_page_shows_one_standard_when_asked(client, coop, manager, season):
    client.force_login(manager)

    response = client.get(reverse("mass_balance", args=[coop.code]), {"season": season, "standard": "fairtrade"})

    assert {code for _key, code in figures_of_page(response)} == {"fairtrade"}
    assert 'data-figure="ledger_agrees" data-standard="fairtrade">yes</td>' in response.content.decode()


def test_an_auditor_reads_the_page_and_a_field_officer_may_not(client, coop, auditor, field_officer, season):
    url = reverse("mass_balance", args=[coop.code])
    client.force_login(auditor)
    assert client.get(url).status_code == 200
    client.force_login(field_officer)
    assert client.get(url).status_code == 403


def test_the_menu_links_the_report_for_those_who_may_read_it(client, coop, manager, auditor, field_officer):
    dashboard = reverse("dashboard", args=[coop.code])
    link = f'href="{reverse("mass_balance", args=[coop.code])}"'
    shown = {}
    for person in (manager, auditor, field_officer):
        client.force_login(person)
        shown[person.username] = link in client.get(dashboard).content.decode()

    assert shown == {manager.username: True, auditor.username: True, field_officer.username: False}


def test_another_cooperatives_manager_gets_404(client, coop, other_manager, season):
    client.force_login(other_manager)

    assert client.get(reverse("mass_balance", args=[coop.code])).status_code == 404


def test_the_api_report_of_another_cooperative_is_refused(client, coop, other_coop, other_manager, season):
    client.force_login(other_manager)

    response = client.get("/api/v1/certified-balances/mass-balance/", {"cooperative": coop.pk})

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cooperative"


def test_the_page_costs_the_same_queries_however_many_purchases(
    client, coop, manager, season, django_assert_max_num_queries
):
    client.force_login(manager)
    url = reverse("mass_balance", args=[coop.code])
    client.get(url, {"season": season})
    plot = certified_plot(coop)
    for day in range(1, 21):
        buy(plot, "50", day=datetime.date(2026, 8, day))

    with django_assert_max_num_queries(12):
        response = client.get(url, {"season": season})

    assert response.status_code == 200


def test_a_manager_sees_a_link_to_the_report_from_each_ledger_row(client, coop, manager, season):
    client.force_login(manager)

    response = client.get(reverse("admin:harvests_certifiedbalance_changelist"))

    assert response.status_code == 200
    link = reverse("admin:exports_certifiedbalance_mass_balance")
    assert f"{link}?cooperative={coop.pk}&amp;season=2026&amp;standard=fairtrade" in response.content.decode()


def test_a_cooperative_without_certificates_has_no_balance_to_show(client, manager):
    client.force_login(manager)

    response = client.get(reverse("mass_balance", args=[manager.cooperatives.get().code]))

    assert response.status_code == 200
    assert "The cooperative holds no certificate of this standard" in response.content.decode()
