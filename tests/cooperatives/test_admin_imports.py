"""Importing families and plots in the admin: a file previewed with every row's error, nothing written,
then confirmed (cooperatives.admin_files.ImportAdminMixin, cooperatives.uploads)."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from cooperatives import uploads
from plots.models import Plot
from producers.models import Producer
from tests import factories
from tests.admin_helpers import url
from tests.html import input_value, text_of
from tests.import_files import (
    BAD_FAMILY,
    FAMILIES,
    _stash_in_tmp,  # noqa: F401 (an autouse fixture)
    csv_file,
    families_file,
    plots_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A browser that asks for English, the language the messages are asserted in."""
    return Client(headers={"Accept-Language": "en"})


def import_url(model, kind):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import", args=[kind])


def preview(client, coop, upload, model=Producer, kind="families"):
    return client.post(import_url(model, kind), {"cooperative": coop.pk, "file": upload})


def confirm(client, response, model=Producer, kind="families"):
    return client.post(import_url(model, kind), {"token": input_value(response, "token")})


def test_the_changelists_offer_the_import_to_whom_may_add_and_change(client, manager, partner):
    client.force_login(manager)
    families = client.get(url(Producer, "changelist"))
    plots = client.get(url(Plot, "changelist"))
    client.force_login(partner)
    families_for_partner = client.get(url(Producer, "changelist"))

    assert families.context["import_links"] == [("Import families", import_url(Producer, "families"))]
    assert [link for _label, link in plots.context["import_links"]] == [
        import_url(Plot, "plots"),
        import_url(Plot, "geometries"),
    ]
    assert f'href="{import_url(Producer, "families")}"' in families.content.decode()
    assert families_for_partner.context["import_links"] == []


def test_a_user_who_may_only_view_gets_403(client, coop, partner):
    client.force_login(partner)

    page = client.get(import_url(Producer, "families"))
    posted = preview(client, coop, families_file())

    assert (page.status_code, posted.status_code) == (403, 403)
    assert Producer.objects.count() == 0


def test_the_import_page_offers_only_the_users_cooperatives_and_the_templates(client, coop, other_coop, manager):
    client.force_login(manager)

    page = client.get(import_url(Producer, "families"))
    template = client.get(reverse("admin:producers_producer_import_template", args=["families", "csv"]))

    assert page.status_code == 200
    assert list(page.context["form"].fields["cooperative"].queryset) == [coop]
    assert page.context["form"].fields["cooperative"].initial == coop.pk
    assert template["Content-Disposition"] == 'attachment; filename="plantilla-familias.csv"'
    headers = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert headers[:4] == ["Código", "DNI", "Nombres", "Apellidos"]


def test_a_bad_row_is_listed_with_its_row_column_and_message_and_nothing_is_written(client, coop, manager):
    client.force_login(manager)

    response = preview(client, coop, families_file([*FAMILIES, BAD_FAMILY]))

    assert response.status_code == 200
    assert text_of(response, "import-errors") == (
        "Row Column Error 4 Nº DNI A DNI has 8 digits (9 with the check character of the CUI)."
    )
    assert text_of(response, "import-errors-note") == (
        "1 error: nothing was written. Correct the file and upload it again."
    )
    assert text_of(response, "import-counts") == "2 new, 0 updated, 0 unchanged. 1 with errors."
    assert 'name="token"' not in response.content.decode()
    assert Producer.objects.count() == 0


def test_a_good_file_is_previewed_then_written_on_confirm(client, coop, manager):
    client.force_login(manager)

    previewed = preview(client, coop, families_file())
    assert text_of(previewed, "import-counts") == "2 new, 0 updated, 0 unchanged."
    assert Producer.objects.count() == 0
    confirmed = confirm(client, previewed)

    assert confirmed.status_code == 302
    assert confirmed.url == url(Producer, "changelist")
    assert sorted(Producer.objects.filter(cooperative=coop).values_list("dni", "code")) == [
        ("10812543", "AV-002"),
        ("41234567", "AV-001"),
    ]
    shown = [str(m) for m in client.get(confirmed.url).context["messages"]]
    assert shown == ["familias.csv imported into Allima Cacao: 2 new, 0 updated, 0 unchanged."]


def test_the_same_file_again_updates_and_never_duplicates(client, coop, manager):
    client.force_login(manager)
    confirm(client, preview(client, coop, families_file()))
    changed = [FAMILIES[0], [*FAMILIES[1][:2], "Segundo Pablo", *FAMILIES[1][3:]]]

    previewed = preview(client, coop, families_file(changed))
    confirm(client, previewed)

    assert text_of(previewed, "import-counts") == "0 new, 1 updated, 1 unchanged."
    assert Producer.objects.filter(cooperative=coop).count() == 2
    assert Producer.objects.get(dni="10812543").first_name == "Segundo Pablo"


def test_a_token_of_another_user_imports_nothing(client, coop, manager):
    colleague = factories.staff_for(coop)
    client.force_login(manager)
    previewed = preview(client, coop, families_file())
    client.force_login(colleague)

    response = confirm(client, previewed)

    assert response.status_code == 200
    assert text_of(response, "import-file-error") == "The file to import is no longer here: upload it again."
    assert Producer.objects.count() == 0


def test_a_token_is_used_once(client, coop, manager):
    client.force_login(manager)
    previewed = preview(client, coop, families_file())
    confirm(client, previewed)

    again = confirm(client, previewed)

    assert text_of(again, "import-file-error") == "The file to import is no longer here: upload it again."
    assert Producer.objects.count() == 2


def test_another_cooperative_cannot_be_chosen(client, coop, other_coop, manager):
    client.force_login(manager)

    response = preview(client, other_coop, families_file())

    assert response.status_code == 200
    assert response.context["form"].errors["cooperative"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Producer.objects.count() == 0


def test_a_file_that_cannot_be_read_says_why(client, coop, manager):
    client.force_login(manager)
    upload = families_file()
    upload.name = "familias.xlsx"

    response = preview(client, coop, upload)

    assert text_of(response, "import-file-error") == (
        "The file could not be read as XLSX: save it again from the spreadsheet."
    )


def test_the_preview_lists_the_columns_read_and_left_out_and_the_member_codes_given(client, coop, manager):
    factories.ProducerFactory(cooperative=coop, code="AC-0009")
    client.force_login(manager)
    headers = ["DNI", "Apellidos", "Nombres", "Sexo", "Fecha Nacimiento", "Celular", "Comunidad", "Observaciones"]
    rows = [
        ["41234567", "Tapullima Sangama", "Rosa Elvira", "F", "14/05/1978", "987654321", "Aguas Verdes", "nueva"],
        ["10812543", "Peñaloza Ríos", "Segundo", "M", "20/07/1969", "", "Shilcayo", ""],
    ]

    response = preview(client, coop, csv_file(headers, rows))

    assert text_of(response, "import-columns-ignored") == (
        "1 column is not read: its cells are not imported. "
        "“Observaciones”: no field of the template; name it as the template does to have it read."
    )
    assert text_of(response, "import-columns-read") == (
        "7 columns read Column in the file Read as DNI DNI Apellidos Surnames Nombres First names Sexo Sex "
        "Fecha Nacimiento Birth date Celular Phone Comunidad Community"
    )
    assert text_of(response, "import-summary") == (
        "2 new families have no member code: they get AC-0010 to AC-0011. "
        "2 new families name no district: they are placed in the cooperative's, Chazuta (San Martin, San Martin)."
    )
    confirm(client, response)
    assert sorted(Producer.objects.filter(cooperative=coop).values_list("code", "birth_date")) == [
        ("AC-0009", datetime.date(1978, 5, 14)),
        ("AC-0010", datetime.date(1978, 5, 14)),
        ("AC-0011", datetime.date(1969, 7, 20)),
    ]


def test_plots_are_imported_to_the_families_of_the_cooperative(client, coop, manager):
    factories.ProducerFactory(cooperative=coop, dni="41234567")
    factories.ProducerFactory(cooperative=coop, dni="10812543")
    client.force_login(manager)

    previewed = preview(client, coop, plots_file(), Plot, "plots")
    confirmed = confirm(client, previewed, Plot, "plots")

    assert text_of(previewed, "import-counts") == "2 new, 0 updated, 0 unchanged."
    assert confirmed.status_code == 302
    assert sorted(Plot.objects.filter(cooperative=coop).values_list("code", "producer__dni")) == [
        ("AV-001-1", "41234567"),
        ("AV-002-1", "10812543"),
    ]


def test_an_unknown_kind_is_404(client, manager):
    client.force_login(manager)

    assert client.get(import_url(Producer, "plots")).status_code == 404


def test_the_stash_keeps_the_file_for_its_uploader_only(coop, manager, other_manager):
    kind = uploads.KINDS["families"]
    token = uploads.stash(b"data", user=manager, cooperative=coop, kind=kind, filename="f.csv")

    assert uploads.unstash(token, user=other_manager, kind=kind) is None
    assert uploads.unstash(token, user=manager, kind=uploads.KINDS["plots"]) is None
    assert uploads.unstash("../../etc/passwd", user=manager, kind=kind) is None
    assert uploads.unstash(token, user=manager, kind=kind)["content"] == b"data"
