"""Every admin list exports its rows, as filtered and scoped, as CSV or XLSX (cooperatives/admin_files.py)."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cooperatives.models import CollectionCentre, PartnerKey
from plots.models import Plot
from producers.models import Producer
from tests import factories
from tests.admin_helpers import BUILDERS, REFERENCE, REGISTERED, SCOPED, changelist_pks, label, url

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the export form's choices, in the order of ListExportMixin.export_formats


@pytest.fixture
def client():
    """A browser that asks for English, the language the headers are asserted in."""
    return Client(headers={"Accept-Language": "en"})


def export(client, model, file_format=CSV, query=""):
    return client.post(url(model, "export") + query, {"format": file_format})


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def keys(model, rows):
    """What tells the exported rows apart: the id, or the key of the import template's columns."""
    headers, body = rows[0], rows[1:]
    column = {Producer: "DNI", Plot: "Código de parcela", PartnerKey: "Name"}.get(model, "ID")
    values = [row[headers.index(column)] for row in body]
    return {int(v) for v in values} if column == "ID" else set(values)


def expected_keys(model, response):
    rows = response.context["cl"].queryset
    if model is Producer:
        return set(rows.values_list("dni", flat=True))
    if model is Plot:
        return set(rows.values_list("code", flat=True))
    if model is PartnerKey:
        return set(rows.values_list("name", flat=True))
    return changelist_pks(response)


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_the_export_holds_the_cooperatives_rows_and_never_anothers(client, coop, other_coop, manager, model):
    BUILDERS[model](coop)
    theirs = BUILDERS[model](other_coop)
    client.force_login(manager)

    response = export(client, model)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    exported = keys(model, csv_rows(response))
    listed = expected_keys(model, client.get(url(model, "changelist")))
    assert exported == listed
    assert len(exported) >= 1
    assert theirs.pk not in changelist_pks(client.get(url(model, "changelist")))


@pytest.mark.parametrize("model", sorted(REFERENCE, key=label), ids=label)
def test_reference_data_exports_every_row(client, manager, model):
    BUILDERS[model](None)
    client.force_login(manager)

    response = export(client, model)

    assert len(csv_rows(response)) - 1 == model.objects.count()


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_the_export_link_is_on_every_changelist(client, coop, manager, model):
    client.force_login(manager)

    response = client.get(url(model, "changelist"))

    assert f'href="{url(model, "export")}' in response.content.decode()


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_the_export_reads_a_bounded_number_of_queries(client, coop, manager, model):
    BUILDERS[model](coop)
    client.force_login(manager)
    export(client, model)  # the role's permissions are read once, then cached
    with CaptureQueriesContext(connection) as one:
        export(client, model)
    for _ in range(3):
        BUILDERS[model](coop)

    with CaptureQueriesContext(connection) as four:
        export(client, model)

    assert len(four) == len(one), [q["sql"][:200] for q in four.captured_queries]


def test_a_family_exports_as_one_row_of_the_import_template(client, coop, manager):
    factories.ProducerFactory(
        cooperative=coop,
        code="AV-001",
        dni="41234567",
        first_name="Rosa Elvira",
        last_name="Tapullima Sangama",
        phone="+51987654321",
        community="Aguas Verdes",
    )
    client.force_login(manager)

    rows = csv_rows(export(client, Producer))

    assert rows == [
        [
            "Código",
            "DNI",
            "Nombres",
            "Apellidos",
            "Sexo",
            "Fecha de nacimiento",
            "Celular",
            "Caserío",
            "Distrito",
            "Fecha de ingreso",
            "Estado",
        ],
        [
            "AV-001",
            "41234567",
            "Rosa Elvira",
            "Tapullima Sangama",
            "F",
            "14/05/1978",
            "+51987654321",
            "Aguas Verdes",
            "220904",
            "01/03/2015",
            "active",
        ],
    ]


def test_the_export_follows_the_changelists_filter(client, coop, manager):
    factories.ProducerFactory(cooperative=coop, dni="41234567", status=Producer.Status.ACTIVE)
    factories.ProducerFactory(cooperative=coop, dni="41234568", status=Producer.Status.WITHDRAWN)
    client.force_login(manager)

    rows = csv_rows(export(client, Producer, query="?status__exact=withdrawn"))

    assert [row[1] for row in rows[1:]] == ["41234568"]


def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(client, coop, manager):
    factories.ProducerFactory(cooperative=coop, community='=HYPERLINK("http://x.example","Aguas Verdes")')
    factories.CollectionCentreFactory(cooperative=coop, name="=1+2")
    client.force_login(manager)

    families = csv_rows(export(client, Producer))
    centres = csv_rows(export(client, CollectionCentre))

    assert families[1][7] == '\'=HYPERLINK("http://x.example","Aguas Verdes")'
    assert centres[1][centres[0].index("Name")] == "'=1+2"


def test_a_list_exports_as_xlsx_with_its_headers_in_the_users_language(coop, manager):
    factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta", community="Aguas Verdes")
    client = Client(headers={"Accept-Language": "es"})
    client.force_login(manager)

    response = export(client, CollectionCentre, XLSX)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers, row = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    assert "Nombre" in headers
    assert row[headers.index("Nombre")] == "Centro Chazuta"
    assert row[headers.index("Cooperativa")] == "Allima Cacao"


def test_a_partner_key_exports_without_its_hash(client, coop, manager):
    BUILDERS[PartnerKey](coop)
    client.force_login(manager)

    rows = csv_rows(export(client, PartnerKey))

    assert "ID" not in rows[0]
    assert not any("hashed" in header.lower() for header in rows[0])
    key = PartnerKey.objects.get()
    assert not any(key.hashed_key in cell for cell in rows[1])


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.post(url(Producer, "export"), {"format": CSV})

    assert response.status_code == 302
    assert "/admin/login/" in response.url
