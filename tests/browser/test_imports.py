"""A manager imports a family list in a real browser: upload, preview, confirm."""

from django.urls import reverse

from producers.models import Producer
from tests.import_files import _stash_in_tmp, families_file  # noqa: F401 (an autouse fixture)


def test_the_manager_uploads_previews_and_confirms_a_family_list(page, log_in, manager, coop, tmp_path):
    csv_path = tmp_path / "familias.csv"
    csv_path.write_bytes(families_file().read())
    log_in(manager)

    page.goto(reverse("producer_list", args=[coop.code]))
    with page.expect_navigation():
        page.click("#import-families")
    page.set_input_files("#import-upload input[name=file]", str(csv_path))
    with page.expect_navigation():
        page.click("#import-upload button[type=submit]")

    # The pages speak Spanish first.
    assert page.inner_text("#import-counts") == "Nuevas: 2. Actualizadas: 0. Sin cambios: 0."
    assert Producer.objects.count() == 0
    button = page.locator("#import-confirm button[type=submit]")
    assert button.get_attribute("data-busy") == "Importando 2 filas…"

    with page.expect_navigation():
        button.click()

    assert page.url.endswith(reverse("producer_list", args=[coop.code]))
    assert "familias.csv" in page.inner_text(".messages")
    assert sorted(Producer.objects.filter(cooperative=coop).values_list("dni", flat=True)) == ["10812543", "41234567"]
    assert page.javascript_errors == []
