"""A field officer, on the phone at the collection centre, records Rosa's cocoa and prints her receipt."""

import datetime
from decimal import Decimal

from harvests.models import Delivery
from tests import factories
from tests.browser.conftest import ARTIFACTS


def test_a_field_officer_records_a_purchase_and_sees_its_receipt(page, log_in, field_officer, coop):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    rosa = factories.ProducerFactory(
        cooperative=coop, code="S-0101", first_name="Rosa Elvira", last_name="Tapullima Sangama"
    )
    factories.ProducerFactory.create_batch(3, cooperative=coop, last_name="Sangama Ríos")
    la_loma = factories.PlotFactory(producer=rosa, code="P-0101", name="La Loma")
    factories.PlotFactory(producer=rosa, code="P-0102", name="El Bajo", conversion_start=datetime.date(2025, 3, 1))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    log_in(field_officer)

    page.goto(f"/c/{coop.code}/purchases/new/")
    page.fill("#family-search", "tapu")
    page.click(f"#family-results input[name=producer][value='{rosa.pk}']")
    page.check(f"#plot-choices input[name=plots][value='{la_loma.pk}']")
    page.select_option("select[name=collection_centre]", str(centre.pk))
    page.fill("input[name=receipt_number]", "CH-2026-00042")
    page.fill("input[name=net_kg]", "250")
    page.fill("input[name=moisture_pct]", "7.2")
    page.fill("input[name=price_pen_per_kg]", "9.80")
    page.click(".purchase-form button[type=submit]")
    page.wait_for_url("**/receipt/")

    delivery = Delivery.objects.get()
    assert page.locator("#receipt-amount").inner_text() == "S/ 2,450.00"
    assert "Rosa Elvira Tapullima Sangama" in page.locator("#receipt").inner_text()
    assert "CH-2026-00042" in page.locator("#receipt").inner_text()
    assert page.locator("[data-print]").is_visible()
    assert (delivery.producer, list(delivery.plots.all())) == (rosa, [la_loma])
    assert (delivery.dry_kg, delivery.amount_pen) == (Decimal("250.00"), Decimal("2450.00"))
    assert page.javascript_errors == []


def test_without_javascript_the_officer_picks_the_family_from_a_plain_list(browser, live_server, field_officer, coop):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.ProducerFactory.create_batch(3, cooperative=coop)
    la_loma = factories.PlotFactory(producer=rosa, code="P-0101", name="La Loma")
    field_officer.set_password("minka-browser")
    field_officer.save()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="es-PE")
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", field_officer.username)
        page.fill("input[name=password]", "minka-browser")
        page.click("main button[type=submit]")
        page.goto(f"/c/{coop.code}/purchases/new/")

        assert page.locator("#family-search").is_visible() is False
        page.select_option("select[name=producer]", str(rosa.pk))
        page.click("button[name=show_plots]")
        assert page.is_checked(f"input[name=plots][value='{la_loma.pk}']")  # her only plot
        page.select_option("select[name=collection_centre]", str(centre.pk))
        page.fill("input[name=receipt_number]", "CH-2026-00077")
        page.fill("input[name=net_kg]", "100")
        page.fill("input[name=price_pen_per_kg]", "10.50")
        page.click(".purchase-form .actions button[type=submit]")

        assert page.locator("#receipt-amount").inner_text() == "S/ 1,050.00"
        assert Delivery.objects.get().producer == rosa
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "test_without_javascript_purchase.png"), full_page=True)
        context.close()


def test_searching_for_a_family_logs_no_console_error(page, log_in, field_officer, coop):
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.PlotFactory(producer=rosa, code="P-0101")
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(field_officer)

    page.goto(f"/c/{coop.code}/purchases/new/")
    with page.expect_response(lambda response: "/purchases/families/" in response.url):
        page.fill("#family-search", "tapu")  # no family chosen yet
    page.click(f"#family-results input[name=producer][value='{rosa.pk}']")
    page.wait_for_selector("#plot-choices input[name=plots]")
    with page.expect_response(lambda response: "/purchases/families/" in response.url) as searched:
        page.fill("#family-search", "tapull")  # and with one chosen

    assert f"producer={rosa.pk}" in searched.value.url
    assert console_errors == []
    assert page.javascript_errors == []


def test_choosing_a_centre_suggests_its_next_receipt_number(page, log_in, field_officer, coop):
    chazuta = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    achinamiza = factories.CollectionCentreFactory(cooperative=coop, name="Centro Achinamiza")
    family = factories.ProducerFactory(cooperative=coop)
    factories.DeliveryFactory(producer=family, collection_centre=chazuta, receipt_number="CHZ-2026-00041")
    factories.DeliveryFactory(producer=family, collection_centre=achinamiza, receipt_number="ACH-2026-00007")
    log_in(field_officer)
    page.goto(f"/c/{coop.code}/purchases/new/")
    receipt = page.locator("input[name=receipt_number]")
    assert receipt.input_value() == "ACH-2026-00008"  # the latest receipt's centre, before one is chosen

    page.select_option("select[name=collection_centre]", str(chazuta.pk))
    page.wait_for_function("() => document.querySelector('input[name=receipt_number]').value === 'CHZ-2026-00042'")
    page.fill("input[name=receipt_number]", "CHZ-2026-00050")  # typed by the officer: it stays
    with page.expect_response(lambda response: "/purchases/receipt-number/" in response.url):
        page.select_option("select[name=collection_centre]", str(achinamiza.pk))
    page.wait_for_load_state("networkidle")

    assert receipt.input_value() == "CHZ-2026-00050"
    assert page.javascript_errors == []
