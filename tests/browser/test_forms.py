"""A form sent wrongly comes back with Minka's message in Spanish beside the field, never the browser's
English bubble; the summary at the top takes the focus, and its links take it to the fields."""

from django.urls import reverse

from tests import factories


def test_a_purchase_of_zero_kg_comes_back_with_minkas_spanish_message_and_the_focus_on_the_summary(
    page, log_in, field_officer, coop
):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.PlotFactory(producer=rosa, code="P-0101", name="La Loma")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(field_officer)
    page.goto(reverse("delivery_create", args=[coop.code]))
    page.select_option("select[name=collection_centre]", str(centre.pk))
    page.fill("input[name=net_kg]", "0")

    # The browser would refuse "0" below min="0.01" in an English bubble and send nothing: the form goes.
    with page.expect_navigation():
        page.click(".purchase-form .actions button[type=submit]")

    assert page.locator("#id_net_kg_error").inner_text() == "Debe ser mayor que cero; se ingresó 0."
    assert page.get_attribute("#id_net_kg", "aria-invalid") == "true"
    assert "id_net_kg_error" in page.get_attribute("#id_net_kg", "aria-describedby").split()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#error-summary h2").inner_text() == "No se guardó nada: hay 4 errores por corregir."

    page.click("#error-summary a[href='#field-net_kg']")

    assert page.evaluate("document.activeElement.id") == "id_net_kg"
    assert page.javascript_errors == []


def test_a_short_form_sent_wrongly_puts_the_focus_on_its_first_invalid_field(page, log_in, manager, coop):
    log_in(manager)
    page.goto(reverse("campaign_list", args=[coop.code]))
    page.fill("input[name=year]", "1990")

    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")

    assert page.locator("#error-summary").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    focused = page.evaluate("document.activeElement.id")
    assert page.locator(f"#{focused}_error").is_visible() is True
    assert page.javascript_errors == []
