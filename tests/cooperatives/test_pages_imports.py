"""The import pages: a manager imports families, plots and plot geometries from a file, previewed first."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives import uploads
from plots.models import Plot
from producers.models import Producer
from tests import factories
from tests.html import input_value, text_of
from tests.import_files import (
    BAD_FAMILY,
    FAMILIES,
    _stash_in_tmp,  # noqa: F401 (an autouse fixture)
    families_file,
    plots_file,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
IMPORT_PAGES = ["producer_import", "plot_import", "plot_geometry_import"]
TEMPLATES = ["producer_import_template", "plot_import_template"]


def page(name, coop, *args):
    return reverse(name, args=[coop.code, *args])


def preview(client, coop, upload, name="producer_import"):
    return client.post(page(name, coop), {"file": upload})


def confirm(client, coop, response, name="producer_import"):
    return client.post(page(name, coop), {"token": input_value(response, "token")})


# Who opens the pages.


@pytest.mark.parametrize("name", IMPORT_PAGES)
def test_a_manager_opens_the_import_page(client, coop, manager, name):
    client.force_login(manager)

    response = client.get(page(name, coop))

    assert response.status_code == 200
    assert 'name="file"' in response.content.decode()


@pytest.mark.parametrize("name", IMPORT_PAGES)
def test_a_field_officer_gets_403(client, coop, field_officer, name):
    client.force_login(field_officer)

    assert client.get(page(name, coop)).status_code == 403
    assert client.post(page(name, coop), {"file": families_file()}).status_code == 403
    assert Producer.objects.count() == 0


@pytest.mark.parametrize("name", [*IMPORT_PAGES, *TEMPLATES])
def test_another_cooperatives_manager_gets_404(client, coop, other_manager, name):
    client.force_login(other_manager)
    args = ["csv"] if name in TEMPLATES else []

    assert client.get(page(name, coop, *args)).status_code == 404


@pytest.mark.parametrize("name", IMPORT_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login(client, coop, name):
    response = client.get(page(name, coop))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={page(name, coop)}"


def test_the_family_list_links_the_imports_for_a_manager_only(client, coop, manager, field_officer):
    client.force_login(manager)
    for_manager = client.get(page("producer_list", coop))
    client.force_login(field_officer)
    for_officer = client.get(page("producer_list", coop))

    assert text_of(for_manager, "import-families") == "Import families"
    assert f'href="{page("plot_import", coop)}"' in for_manager.content.decode()
    assert 'id="import-families"' not in for_officer.content.decode()


@pytest.mark.parametrize(
    ("name", "filename", "first"),
    [
        ("producer_import_template", "plantilla-familias.csv", "Código"),
        ("plot_import_template", "plantilla-parcelas.csv", "Código de parcela"),
    ],
)
def test_the_templates_download_from_the_import_page(client, coop, manager, name, filename, first):
    client.force_login(manager)
    form = client.get(page(name.removesuffix("_template"), coop))

    response = client.get(page(name, coop, "csv"))
    xlsx = client.get(page(name, coop, "xlsx"))

    assert f'href="{page(name, coop, "csv")}"' in form.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.decode("utf-8-sig").startswith(first + ",")
    assert xlsx.content[:4] == b"PK\x03\x04"
    assert client.get(page(name, coop, "pdf")).status_code == 404


# The import itself.


def test_a_bad_row_is_shown_with_its_error_and_nothing_is_written(client, coop, manager):
    client.force_login(manager)

    response = preview(client, coop, families_file([*FAMILIES, BAD_FAMILY]))

    assert response.status_code == 200
    assert text_of(response, "import-errors") == (
        "Row Column Error 4 Nº DNI A DNI has 8 digits (9 with the check character of the CUI)."
    )
    assert 'name="token"' not in response.content.decode()
    assert Producer.objects.count() == 0


def test_a_good_file_is_counted_then_written_on_confirm(client, coop, manager):
    client.force_login(manager)

    previewed = preview(client, coop, families_file())
    written_before_confirm = Producer.objects.count()
    confirmed = confirm(client, coop, previewed)

    assert text_of(previewed, "import-counts") == "2 new, 0 updated, 0 unchanged."
    assert written_before_confirm == 0
    assert confirmed.status_code == 302
    assert confirmed.url == page("producer_list", coop)
    assert sorted(Producer.objects.filter(cooperative=coop).values_list("dni", flat=True)) == ["10812543", "41234567"]
    listed = client.get(confirmed.url)
    assert [str(m) for m in listed.context["messages"]] == [
        "familias.csv imported into Allima Cacao: 2 new, 0 updated, 0 unchanged."
    ]


def test_the_confirm_button_says_the_import_is_running(client, coop, manager):
    client.force_login(manager)

    previewed = preview(client, coop, families_file())

    html = previewed.content.decode()
    assert 'data-busy="Importing 2 rows…"' in html
    token = input_value(previewed, "token")
    assert f'data-progress-url="{page("producer_import_progress", coop, token)}"' in html


def test_importing_the_same_file_again_adds_nobody(client, coop, manager):
    client.force_login(manager)
    confirm(client, coop, preview(client, coop, families_file()))

    again = preview(client, coop, families_file())
    confirm(client, coop, again)

    assert text_of(again, "import-counts") == "0 new, 0 updated, 2 unchanged."
    assert Producer.objects.filter(cooperative=coop).count() == 2


def test_a_token_of_another_user_imports_nothing(client, coop, manager):
    colleague = factories.staff_for(coop)
    client.force_login(manager)
    previewed = preview(client, coop, families_file())
    client.force_login(colleague)

    response = confirm(client, coop, previewed)

    assert response.status_code == 200
    assert text_of(response, "import-file-error") == "The file to import is no longer here: upload it again."
    assert Producer.objects.count() == 0


def test_a_token_previewed_for_one_cooperative_imports_nothing_into_another(client, coop, other_coop):
    manager_of_both = factories.staff_for([coop, other_coop])
    client.force_login(manager_of_both)
    previewed = preview(client, coop, families_file())

    response = confirm(client, other_coop, previewed)

    assert text_of(response, "import-file-error") == "The file to import is no longer here: upload it again."
    assert Producer.objects.count() == 0


def test_plots_are_imported_for_the_cooperatives_families(client, coop, other_coop, manager):
    factories.ProducerFactory(cooperative=coop, dni="41234567")
    factories.ProducerFactory(cooperative=other_coop, dni="10812543")
    client.force_login(manager)

    response = preview(client, coop, plots_file(), "plot_import")

    assert text_of(response, "import-errors") == (
        "Row Column Error 3 DNI del productor No family of this cooperative has the DNI 10812543."
    )
    assert Plot.objects.count() == 0


def test_plot_geometries_are_imported_from_a_kml_file(client, coop, manager):
    plot = factories.PlotFactory(producer__cooperative=coop, code="Chacra La Loma", geometry=None)
    upload = SimpleUploadedFile("chacra.kml", (FIXTURES / "minka" / "chacra_la_loma.kml").read_bytes())
    client.force_login(manager)

    previewed = preview(client, coop, upload, "plot_geometry_import")
    confirmed = confirm(client, coop, previewed, "plot_geometry_import")

    assert text_of(previewed, "import-counts") == "0 new, 1 updated, 0 unchanged."
    assert text_of(previewed, "import-notes") == (
        "What was mended or is worth knowing Feature Note Placemark 1 · Chacra La Loma "
        "Heights dropped (3-D positions made 2-D). The declared area, 1.2 ha, differs from the measured one "
        "by 38.0% (the cooperative's tolerance is 10%)."
    )
    assert confirmed.status_code == 302
    plot.refresh_from_db()
    assert plot.geometry["type"] == "Polygon"


def test_a_geometry_file_of_unknown_plots_lists_each_feature_refused(client, coop, manager):
    upload = SimpleUploadedFile("chacra.kml", (FIXTURES / "minka" / "chacra_la_loma.kml").read_bytes())
    client.force_login(manager)

    response = preview(client, coop, upload, "plot_geometry_import")

    assert text_of(response, "import-errors").startswith("Feature Column Error Placemark 1 · Chacra La Loma ")
    assert 'name="token"' not in response.content.decode()


# Progress.


def test_the_progress_of_an_import_answers_its_uploader_only(client, coop, manager):
    colleague = factories.staff_for(coop)
    client.force_login(manager)
    token = input_value(preview(client, coop, families_file()), "token")
    uploads.progress_writer(token)(1, 2)

    mine = client.get(page("producer_import_progress", coop, token))
    client.force_login(colleague)
    theirs = client.get(page("producer_import_progress", coop, token))

    assert mine.json() == {"done": 1, "total": 2}
    assert theirs.status_code == 404


def test_the_import_tells_its_progress(coop, manager, monkeypatch):
    told = []
    monkeypatch.setattr(uploads, "progress_writer", lambda token: lambda done, total: told.append((done, total)))
    token = uploads.stash(
        families_file().read(), user=manager, cooperative=coop, kind=uploads.KINDS["families"], filename="f.csv"
    )

    uploads.import_confirm(
        kind=uploads.KINDS["families"], token=token, user=manager, cooperatives=coop.__class__.objects.all()
    )

    assert told[-1] == (2, 2)


def test_the_preview_reads_a_bounded_number_of_queries(client, coop, manager):
    client.force_login(manager)
    client.get(page("producer_import", coop))  # the role's permissions are read once, then cached
    with CaptureQueriesContext(connection) as two:
        preview(client, coop, families_file())
    many = [[f"AV-{n:03d}", f"{41000000 + n}", "Rosa", "Sangama", "F", "220904", ""] for n in range(40)]

    with CaptureQueriesContext(connection) as forty:
        preview(client, coop, families_file(many))

    assert len(forty) <= len(two) + 2
