"""On a slow line, a receipt number the officer types while the centre's next number is on its way stays."""

from tests import factories


def test_a_receipt_number_typed_before_the_centres_suggestion_arrives_is_kept(page, log_in, field_officer, coop):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    factories.CollectionCentreFactory(cooperative=coop, name="Centro Huimbayoc")
    held = []
    # The suggestion's answer is held back, as a slow line in the field would, until the officer has typed.
    page.route("**/purchases/receipt-number/**", lambda route: held.append(route))
    log_in(field_officer)
    page.goto(f"/c/{coop.code}/purchases/new/")

    page.select_option("select[name=collection_centre]", str(centre.pk))
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    page.fill("input[name=receipt_number]", "CH-2026-00042")
    assert len(held) == 1
    held[0].continue_()
    # The answer has come and been weighed once the request is no longer pending.
    page.wait_for_function("() => !document.querySelector('#receipt-number.htmx-request')")

    assert page.input_value("input[name=receipt_number]") == "CH-2026-00042"
