"""The family import page's preview: the columns read and left out, what is filled in, before anything is written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from producers.models import Producer
from tests import factories
from tests.html import input_value, text_of
from tests.import_files import _stash_in_tmp  # noqa: F401 (an autouse fixture)
from tests.producers.test_member_lists import KEPT_HEADERS, KEPT_ROWS, OFFICE_HEADERS, member_list, office_rows

pytestmark = pytest.mark.django_db


def preview(client, coop, content, name="padron.xlsx"):
    return client.post(reverse("producer_import", args=[coop.code]), {"file": SimpleUploadedFile(name, content)})


def test_the_preview_lists_the_columns_read_with_their_field_and_those_left_out(client, coop, manager):
    client.force_login(manager)
    rows = office_rows(datetime.datetime(1978, 5, 14), "03/11/1985", "20/07/1969")

    response = preview(client, coop, member_list(OFFICE_HEADERS, rows))

    assert response.status_code == 200
    assert text_of(response, "import-columns-ignored") == (
        "1 column is not read: its cells are not imported. "
        "“Observaciones”: no field of the template; name it as the template does to have it read."
    )
    assert text_of(response, "import-columns-read") == (
        "7 columns read Column in the file Read as Código Member code DNI DNI Apellidos Surnames "
        "Nombres First names Sexo Sex Fecha Nacimiento Birth date Distrito District"
    )
    assert text_of(response, "import-counts") == "3 new, 0 updated, 0 unchanged."


def test_an_impossible_birth_date_is_shown_on_its_row_and_column_and_cannot_be_confirmed(client, coop, manager):
    client.force_login(manager)
    rows = office_rows("14/05/1978", "31/02/1988", "20/07/1969")

    response = preview(client, coop, member_list(OFFICE_HEADERS, rows))

    assert text_of(response, "import-errors") == (
        'Row Column Error 3 Fecha Nacimiento "31/02/1988" is not a date: February 1988 has 29 days.'
    )
    assert 'name="token"' not in response.content.decode()
    assert Producer.objects.count() == 0


def test_a_list_without_codes_or_district_is_previewed_with_the_codes_it_gets_then_written(client, coop, manager):
    registered = factories.ProducerFactory(cooperative=coop, code="AC-0041")
    client.force_login(manager)

    previewed = preview(client, coop, member_list(KEPT_HEADERS, KEPT_ROWS))
    confirmed = client.post(reverse("producer_import", args=[coop.code]), {"token": input_value(previewed, "token")})

    assert text_of(previewed, "import-summary") == (
        "3 new families have no member code: they get AC-0042 to AC-0044. "
        "3 new families name no district: they are placed in the cooperative's, Chazuta (San Martin, San Martin)."
    )
    assert text_of(previewed, "import-notes").startswith(
        "What the import fills in Row Column Note "
        "2 Member code AC-0042 given: the row has none. "
        "2 No district: the cooperative's, Chazuta (San Martin, San Martin). "
        "3 Member code AC-0043 given: the row has none."
    )
    assert confirmed.status_code == 302
    assert sorted(Producer.objects.for_cooperative(coop).values_list("code", "dni", "district_id")) == [
        ("AC-0041", registered.dni, factories.CHAZUTA),
        ("AC-0042", "41234567", factories.CHAZUTA),
        ("AC-0043", "05414828", factories.CHAZUTA),
        ("AC-0044", "10812543", factories.CHAZUTA),
    ]


def test_a_file_missing_a_column_shows_the_columns_it_read(client, coop, manager):
    client.force_login(manager)
    headers = ["Código", "DNI", "Apellidos y Nombres", "Sexo", "Distrito"]
    content = member_list(headers, [["AV-001", "41234567", "Tapullima Sangama, Rosa", "F", "220904"]])

    response = preview(client, coop, content)

    assert text_of(response, "import-file-error") == (
        "Missing columns: Nombres, Apellidos. Download the template to see the expected headers."
    )
    assert text_of(response, "import-columns-ignored") == (
        "1 column is not read: its cells are not imported. "
        "“Apellidos y Nombres”: no field of the template; name it as the template does to have it read."
    )
    assert text_of(response, "import-columns-read") == (
        "4 columns read Column in the file Read as Código Member code DNI DNI Sexo Sex Distrito District"
    )
