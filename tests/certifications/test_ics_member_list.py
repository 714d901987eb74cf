"""The ICS member list for certifiers: GET /api/v1/certificates/ics-member-list/ and its admin download."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from certifications.models import Inspection, SanctionKind, Standard
from certifications.selectors import approved_member_list, ics_member_list
from certifications.services import approval_decide
from cooperatives.models import Membership
from harvests.plausibility import flags_on
from plots.geometry import geodesic_area_ha
from tests import factories

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/api/v1/certificates/ics-member-list/"


@pytest.fixture
def register(coop):
    """Rosa: two plots, one excluded from the certificate, a sanction and an open non-conformity; Juan: no plot."""
    today = timezone.localdate()
    certificate = factories.CertificateFactory(
        cooperative=coop,
        number="CU-PE-000001",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2099, 12, 31),
    )
    rosa = factories.ProducerFactory(
        cooperative=coop, code="S-0001", first_name="Rosa", last_name="Tapullima", community="Aguas Verdes"
    )
    organic = factories.PlotFactory(producer=rosa, code="P-001", name="La Loma", declared_area_ha="1.5000")
    young = factories.PlotFactory(
        producer=rosa,
        code="P-002",
        name="El Bajo",
        conversion_start=today - datetime.timedelta(days=400),  # in its second year, whatever today is
        measured_area_ha=None,
        geometry=None,
    )
    factories.CoveredProducerFactory(certificate=certificate, producer=rosa, included_on=datetime.date(2020, 3, 1))
    factories.CoveredPlotFactory(certificate=certificate, plot=organic)
    factories.CoveredPlotFactory(certificate=certificate, plot=young, excluded_on=datetime.date(2025, 6, 1))
    first = factories.InspectionFactory(producer=rosa, date=datetime.date(2024, 5, 2))
    factories.SanctionFactory(
        sanction_type__cooperative=coop, producer=rosa, inspection=first, starts_on=datetime.date(2024, 5, 2)
    )
    last = factories.InspectionFactory(
        producer=rosa, date=datetime.date(2025, 5, 10), decision=Inspection.Decision.CONDITIONAL
    )
    factories.SanctionFactory(
        sanction_type__cooperative=coop,
        sanction_type__kind=SanctionKind.PLOT_EXCLUSION,
        producer=rosa,
        plot=young,
        inspection=last,
        starts_on=datetime.date(2025, 5, 10),
    )
    factories.NonConformityFactory(inspection=last)
    factories.NonConformityFactory(
        inspection=last, closed_on=datetime.date(2025, 7, 1), closing_evidence="Barrera viva sembrada."
    )
    juan = factories.ProducerFactory(
        cooperative=coop,
        code="S-0002",
        first_name='=HYPERLINK("http://evil.example","Juan")',
        last_name="Sangama",
        sex="M",
        community="-1+1",
        status="suspended",
    )
    return {"certificate": certificate, "rosa": rosa, "juan": juan, "young": young}


def rows_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table(rows):
    header, *lines = rows[4:]
    return header, [dict(zip(header, line, strict=True)) for line in lines]


def test_it_lists_a_row_per_family_and_plot_with_its_certification_and_ics_record(api, manager, coop, register):
    rows = rows_of(api(manager).get(URL))

    assert [row[:2] for row in rows[:3]] == [
        ["Cooperative", "Allima Cacao"],
        ["Certificate", "all"],
        ["Situation on", timezone.localdate().strftime("%d/%m/%Y")],
    ]
    _header, lines = table(rows)
    assert [line["Plot code"] for line in lines] == ["P-001", "P-002", None]
    organic, young, juan = lines
    assert organic == {
        "Member code": "S-0001",
        "Family": "Tapullima, Rosa",
        "DNI": register["rosa"].dni,
        "Sex": "female",
        "Community": "Aguas Verdes",
        "District": "CHAZUTA",
        "Status": "active",
        "Entry date": "01/03/2015",
        "Plot code": "P-001",
        "Plot": "La Loma",
        "Declared area (ha)": 1.5,
        "Measured area (ha)": 1.227,
        "Conversion status": "organic",
        "Conversion start": "01/01/2016",
        "Certificates of the family": "eu-organic CU-PE-000001",
        "Family excluded from": None,
        "Certificates of the plot": "eu-organic CU-PE-000001",
        "Plot excluded from": None,
        "Last internal inspection": "10/05/2025",
        "Decision": "approved with conditions",
        "Open non-conformities": 1,
        "Sanctions": "warning (02/05/2024); exclusion of a plot P-002 (10/05/2025)",
        "Plausibility flags": None,
    }
    assert (young["Conversion status"], young["Measured area (ha)"]) == ("in conversion, year 2", None)
    assert (young["Certificates of the plot"], young["Plot excluded from"]) == (
        None,
        "eu-organic CU-PE-000001 (01/06/2025)",
    )
    assert young["Open non-conformities"] == 1 and young["Sanctions"] == organic["Sanctions"]
    assert (juan["Member code"], juan["Plot"], juan["Open non-conformities"], juan["Sanctions"]) == (
        "S-0002",
        None,
        0,
        None,
    )
    assert (juan["Last internal inspection"], juan["Status"], juan["Sex"]) == (None, "suspended", "male")


def test_it_shows_the_plausibility_flags_that_name_a_family_with_their_figures(api, manager, coop, register):
    rosa, juan = register["rosa"], register["juan"]
    big = factories.square(-76.05, -6.62, side_deg=0.002)  # 4.9 ha: Rosa's three plots make 7.3 ha
    factories.PlotFactory(
        producer=rosa, code="P-003", declared_area_ha="4.9000", geometry=big, measured_area_ha=geodesic_area_ha(big)
    )
    factories.PlotFactory(producer=juan, code="P-010", geometry=factories.square(-76.0495, -6.6195))  # inside P-003

    _header, lines = table(rows_of(api(manager).get(URL)))

    flags = {(line["Member code"], line["Plot code"]): line["Plausibility flags"] for line in lines}
    assert flags[("S-0001", "P-001")] == (
        "plot P-003 overlaps P-010 by 12,229 m²; holds 7.32 ha, over the 5 ha of an organic group member"
    )
    assert flags[("S-0002", "P-010")] == "plot P-010 overlaps P-003 by 12,229 m²"


def test_it_keeps_text_a_spreadsheet_would_run_as_a_formula_as_text(api, manager, register):
    _header, lines = table(rows_of(api(manager).get(URL)))

    juan = lines[-1]
    assert juan["Family"] == 'Sangama, =HYPERLINK("http://evil.example","Juan")'  # starts with a letter: harmless
    assert juan["Community"] == "'-1+1"


def test_it_neutralises_a_family_name_that_starts_a_formula(api, manager, coop):
    factories.ProducerFactory(cooperative=coop, code="S-0009", first_name="Ana", last_name="=1+2")

    _header, lines = table(rows_of(api(manager).get(URL)))

    assert lines[0]["Family"] == "'=1+2, Ana"


def test_it_speaks_spanish_unless_the_caller_asks_otherwise(manager, register):
    client = APIClient()  # no Accept-Language: Spanish, the cooperatives' language
    client.force_authenticate(manager)

    rows = rows_of(client.get(URL))

    header, lines = table(rows)
    assert rows[0][0] == "Cooperativa"
    assert header[:4] == ["Código de socio", "Familia", "DNI", "Sexo"]
    assert (lines[0]["Sexo"], lines[0]["Estado"], lines[0]["Fecha de ingreso"]) == ("femenino", "activo", "01/03/2015")


def test_a_partner_gets_the_list_without_dnis(api, partner, register):
    response = api(partner).get(URL)

    header, lines = table(rows_of(response))
    assert "DNI" not in header
    assert register["rosa"].dni.encode() not in response.content
    assert [line["Member code"] for line in lines] == ["S-0001", "S-0001", "S-0002"]


def test_an_auditor_reads_the_list(api, auditor, register):
    header, _lines = table(rows_of(api(auditor).get(URL)))

    assert header[:3] == ["Member code", "Family", "DNI"]


def test_another_cooperative_is_not_there(api, other_manager, coop, register):
    client = api(other_manager)

    assert client.get(URL, {"cooperative": coop.pk}).status_code == 404
    assert client.get(f"/api/v1/certificates/{register['certificate'].pk}/ics-member-list/").status_code == 404


def test_a_user_with_no_role_is_refused(api, coop, register):
    nobody = factories.UserFactory()
    Membership.objects.create(user=nobody, cooperative=coop)

    response = api(nobody).get(URL)

    assert response.status_code == 403


def test_a_caller_of_several_cooperatives_names_one(api, coop, other_coop, register):
    from cooperatives import roles

    both = factories.staff_for([coop, other_coop], roles.MANAGER)
    client = api(both)

    response = client.get(URL)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "cooperative"
    assert response.json()["errors"][0]["detail"] == "Choose one of your cooperatives."
    assert client.get(URL, {"cooperative": "abc"}).status_code == 400
    assert table(rows_of(client.get(URL, {"cooperative": other_coop.pk})))[1] == []
    assert len(table(rows_of(client.get(URL, {"cooperative": coop.pk})))[1]) == 3


def test_a_certificates_list_holds_only_its_scope(api, manager, coop, register):
    outside = factories.ProducerFactory(cooperative=coop, code="S-0003")
    factories.PlotFactory(producer=outside)

    rows = rows_of(api(manager).get(f"/api/v1/certificates/{register['certificate'].pk}/ics-member-list/"))

    assert rows[1][:2] == ["Certificate", "eu-organic CU-PE-000001"]
    _header, lines = table(rows)
    assert [(line["Member code"], line["Plot code"]) for line in lines] == [("S-0001", "P-001"), ("S-0001", "P-002")]


def test_the_selector_says_the_situation_on_the_day_asked(coop, register):
    before_exclusion = ics_member_list(
        coop, on=datetime.date(2025, 5, 31), flags=flags_on(coop, datetime.date(2025, 5, 31))
    )

    rosa = before_exclusion["families"][0]
    assert [plot["certificates"] for plot in rosa["plots"]] == [
        [{"standard": "eu-organic", "number": "CU-PE-000001", "included_on": None, "excluded_on": None}],
        [
            {
                "standard": "eu-organic",
                "number": "CU-PE-000001",
                "included_on": None,
                "excluded_on": datetime.date(2025, 6, 1),
            }
        ],
    ]
    assert "dni" not in rosa


def build_register(coop, families):
    certificate = factories.CertificateFactory(cooperative=coop)
    for _ in range(families):
        family = factories.ProducerFactory(cooperative=coop)
        factories.CoveredProducerFactory(certificate=certificate, producer=family)
        for _ in range(2):
            factories.CoveredPlotFactory(certificate=certificate, plot=factories.PlotFactory(producer=family))
        inspection = factories.InspectionFactory(producer=family)
        factories.SanctionFactory(sanction_type__cooperative=coop, producer=family, inspection=inspection)
        factories.NonConformityFactory(inspection=inspection)


@pytest.mark.parametrize("families", [1, 25])
def test_the_list_costs_the_same_queries_whatever_the_cooperatives_size(
    api,
    manager,
    coop,
    families,
    django_assert_max_num_queries,
):
    build_register(coop, families)
    client = api(manager)
    client.get("/api/v1/certificates/")

    with django_assert_max_num_queries(QUERIES):
        response = client.get(URL)

    assert len(table(rows_of(response))[1]) == families * 2


# The caller's cooperative, whether the caller is a partner (for the DNIs), then the list's six reads
# and the plausibility flags' four (harvests.plausibility.cooperative_flags).
QUERIES = 12


def test_the_admin_links_a_certificate_to_its_lists_and_serves_them(client, manager, coop, register):
    certificate = register["certificate"]
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    page = client.get(reverse("admin:certifications_certificate_change", args=[certificate.pk]))

    own = reverse("admin:certifications_certificate_ics_member_list", args=[certificate.pk])
    whole = reverse("admin:certifications_cooperative_ics_member_list", args=[coop.pk])
    assert own.encode() in page.content and whole.encode() in page.content
    assert [line["Plot code"] for line in table(rows_of(client.get(own)))[1]] == ["P-001", "P-002"]
    assert [line["Plot code"] for line in table(rows_of(client.get(whole)))[1]] == ["P-001", "P-002", None]


def test_the_admin_does_not_serve_another_cooperatives_list(client, other_manager, coop, register):
    client.force_login(other_manager)

    assert client.get(reverse("admin:certifications_cooperative_ics_member_list", args=[coop.pk])).status_code == 404
    own = reverse("admin:certifications_certificate_ics_member_list", args=[register["certificate"].pk])
    assert client.get(own).status_code == 404


# The approved member list of a standard: its certificates, plots and inspections only.


def test_the_approved_member_list_shows_the_chosen_standards_certificates_plots_and_inspections(coop):
    organic, fairtrade = Standard.objects.get(code="eu-organic"), Standard.objects.get(code="fairtrade")
    family = factories.ProducerFactory(cooperative=coop)
    organic_plot = factories.PlotFactory(producer=family, code="P-ORG")
    fairtrade_plot = factories.PlotFactory(producer=family, code="P-FT")
    eu = factories.CertificateFactory(cooperative=coop, standard=organic, number="CU-1")
    flo = factories.CertificateFactory(cooperative=coop, standard=fairtrade, number="FLO-1")
    factories.CoveredProducerFactory(certificate=flo, producer=family)
    factories.CoveredPlotFactory(certificate=eu, plot=organic_plot)
    factories.CoveredPlotFactory(certificate=flo, plot=organic_plot)
    factories.CoveredPlotFactory(certificate=flo, plot=fairtrade_plot)
    factories.InspectionFactory(producer=family, standard=organic, date=datetime.date(2026, 4, 1))
    factories.InspectionFactory(producer=family, standard=fairtrade, date=datetime.date(2026, 9, 1))
    approval_decide(producer=family, standard=organic, year=2026, decision="approved")

    (row,) = approved_member_list(
        coop,
        standard=organic,
        year=2026,
        on=datetime.date(2026, 10, 1),
        flags=flags_on(coop, datetime.date(2026, 10, 1)),
    )["families"]

    assert [plot["code"] for plot in row["plots"]] == ["P-ORG"]
    assert [(c["standard"], c["number"]) for c in row["plots"][0]["certificates"]] == [("eu-organic", "CU-1")]
    assert row["certificates"] == []  # the family is covered by Fairtrade's certificate only
    assert row["last_inspection"]["date"] == datetime.date(2026, 4, 1)
