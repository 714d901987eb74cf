"""Purchases: a field officer records what a family brings to the collection centre, prints its
receipt, and the office reads the latest purchases with their totals."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from certifications.models import Standard
from harvests import forms as harvest_forms
from harvests.models import Delivery
from producers.models import Producer
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


# The people and places of the story: Rosa's certified organic plot, Juan's conventional one,
# the Chazuta collection centre, and a neighbouring cooperative.


@pytest.fixture
def centre(coop):
    return factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta", wet_to_dry_ratio=Decimal("2.70"))


@pytest.fixture
def rosa(coop):
    return factories.ProducerFactory(
        cooperative=coop, code="S-0101", first_name="Rosa Elvira", last_name="Tapullima Sangama", dni="40112233"
    )


@pytest.fixture
def rosas_plot(rosa):
    plot = factories.PlotFactory(
        producer=rosa, code="P-0101", name="La Loma", conversion_start=datetime.date(2018, 1, 1)
    )
    certificate = factories.CertificateFactory(
        cooperative=rosa.cooperative,
        standard=Standard.objects.get(code="eu-organic"),
        valid_from=TODAY.replace(month=1, day=1),
        valid_to=TODAY.replace(month=12, day=31),
    )
    factories.CoveredProducerFactory(certificate=certificate, producer=rosa)
    factories.CoveredPlotFactory(certificate=certificate, plot=plot)
    return plot


@pytest.fixture
def juan(coop):
    return factories.ProducerFactory(cooperative=coop, code="S-0202", first_name="Juan", last_name="Sangama Ríos")


@pytest.fixture
def juans_plot(juan):
    return factories.PlotFactory(producer=juan, code="P-0202", conversion_start=None)


@pytest.fixture
def neighbours_delivery(other_coop):
    return factories.DeliveryFactory(producer=factories.ProducerFactory(cooperative=other_coop), date=LAST_WEEK)


def url(name, coop, *args):
    return reverse(name, args=[coop.code, *args])


def purchase(rosa, rosas_plot, centre, **changes):
    """What a field officer types for Rosa's 250 kg of dry cocoa at S/ 9.80 a kilo."""
    return {
        "producer": rosa.pk,
        "plots": [rosas_plot.pk],
        "collection_centre": centre.pk,
        "date": LAST_WEEK.isoformat(),
        "receipt_number": "CH-2026-00042",
        "state": "dry",
        "net_kg": "250",
        "moisture_pct": "7.2",
        "price_pen_per_kg": "9.80",
        "notes": "Cacao bien fermentado",
        "family_search": "Tapullima",
    } | changes


def beside(response, field):
    """The HTML of one field of the page, with its errors: what the officer sees next to it."""
    text = response.content.decode()
    start = text.index(f'id="field-{field}"')
    end = text.find('id="field-', start + 1)
    return text[start : end if end > 0 else None]


# Who may open the pages


PAGES = [
    "delivery_list",
    "delivery_create",
    "delivery_family_search",
    "delivery_family_plots",
    "delivery_receipt_number",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_stranger_is_asked_to_log_in(client, coop, page):
    response = client.get(url(page, coop))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_stranger_is_asked_to_log_in_before_a_receipt(client, coop, rosa, rosas_plot):
    delivery = factories.DeliveryFactory(producer=rosa, plots=[rosas_plot])

    response = client.get(url("delivery_receipt", coop, delivery.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_a_partner_has_no_purchase_pages(client, coop, partner, page):
    client.force_login(partner)

    assert client.get(url(page, coop)).status_code == 403


def test_a_partner_cannot_read_a_receipt(client, coop, partner, rosa, rosas_plot):
    delivery = factories.DeliveryFactory(producer=rosa, plots=[rosas_plot])
    client.force_login(partner)

    assert client.get(url("delivery_receipt", coop, delivery.pk)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_another_cooperatives_manager_finds_no_purchase_pages_here(client, coop, other_manager, page):
    client.force_login(other_manager)

    assert client.get(url(page, coop)).status_code == 404


def test_another_cooperatives_manager_cannot_read_our_receipt(client, coop, other_manager, rosa, rosas_plot):
    delivery = factories.DeliveryFactory(producer=rosa, plots=[rosas_plot])
    client.force_login(other_manager)

    assert client.get(url("delivery_receipt", coop, delivery.pk)).status_code == 404


def test_a_receipt_of_another_cooperative_is_not_found_through_ours(client, coop, manager, neighbours_delivery):
    client.force_login(manager)

    assert client.get(url("delivery_receipt", coop, neighbours_delivery.pk)).status_code == 404


@pytest.mark.parametrize(
    "page", ["delivery_create", "delivery_family_search", "delivery_family_plots", "delivery_receipt_number"]
)
def test_an_auditor_reads_purchases_but_records_none(client, coop, auditor, page):
    client.force_login(auditor)

    assert client.get(url("delivery_list", coop)).status_code == 200
    assert client.get(url(page, coop)).status_code == 403


def test_an_auditor_cannot_post_a_purchase(client, coop, auditor, rosa, rosas_plot, centre):
    client.force_login(auditor)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    assert response.status_code == 403
    assert Delivery.objects.exists() is False


@pytest.mark.parametrize("reader", ["manager", "field_officer", "auditor"])
def test_every_reader_sees_the_purchases_and_the_receipt(client, coop, request, reader, rosa, rosas_plot, centre):
    delivery = factories.DeliveryFactory(
        producer=rosa, plots=[rosas_plot], collection_centre=centre, receipt_number="CH-2026-00007", date=LAST_WEEK
    )
    client.force_login(request.getfixturevalue(reader))

    listing = client.get(url("delivery_list", coop))
    receipt = client.get(url("delivery_receipt", coop, delivery.pk))

    assert listing.status_code == 200
    assert "CH-2026-00007" in listing.text
    assert "Tapullima Sangama, Rosa Elvira" in listing.text
    assert "Centro Chazuta" in listing.text
    assert receipt.status_code == 200
    assert "CH-2026-00007" in receipt.text
    new_purchase = f'href="{url("delivery_create", coop)}"'
    assert (new_purchase in listing.text) is (reader != "auditor")


def test_a_field_officer_opens_the_form_with_todays_date(client, coop, field_officer, centre):
    client.force_login(field_officer)

    response = client.get(url("delivery_create", coop))

    assert response.status_code == 200
    assert f'value="{TODAY.isoformat()}"' in beside(response, "date")
    assert 'name="family_search"' in response.text
    assert "Centro Chazuta" in beside(response, "collection_centre")


def test_without_javascript_the_family_is_a_plain_list_of_active_families(client, coop, field_officer, rosa, juan):
    factories.ProducerFactory(cooperative=coop, last_name="Retirado", status=Producer.Status.WITHDRAWN)
    client.force_login(field_officer)

    page = client.get(url("delivery_create", coop)).text
    noscript = page.split('<select name="producer"')[1].split("</select>")[0]

    assert f'<option value="{juan.pk}">Sangama Ríos, Juan (S-0202)</option>' in noscript
    assert f'value="{rosa.pk}"' in noscript
    assert "Retirado" not in noscript


# Recording a purchase


def test_a_valid_purchase_is_recorded_once_by_the_service_and_leads_to_its_receipt(
    client, coop, field_officer, rosa, rosas_plot, centre, monkeypatch
):
    calls = []
    record = harvest_forms.delivery_record
    monkeypatch.setattr(harvest_forms, "delivery_record", lambda **kw: calls.append(kw) or record(**kw))
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    delivery = Delivery.objects.get()
    assert len(calls) == 1
    assert response.status_code == 302
    assert response["Location"] == url("delivery_receipt", coop, delivery.pk)
    assert (delivery.cooperative, delivery.producer, delivery.collection_centre) == (coop, rosa, centre)
    assert list(delivery.plots.all()) == [rosas_plot]
    assert delivery.receipt_number == "CH-2026-00042"
    assert delivery.date == LAST_WEEK
    assert delivery.dry_kg == Decimal("250.00")
    assert delivery.amount_pen == Decimal("2450.00")
    # Derived and frozen by delivery_record at the date of the purchase.
    assert delivery.organic_status == "organic"
    assert list(delivery.certified_standards.values_list("code", flat=True)) == ["eu-organic"]


def test_the_receipt_shows_the_purchase_the_peruvian_way(client, coop, field_officer, rosa, rosas_plot, centre):
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre), follow=True)
    receipt = response.text

    assert response.status_code == 200
    assert "Purchase CH-2026-00042 recorded." in receipt
    assert coop.name in receipt
    assert f"RUC {coop.ruc}" in receipt
    assert "CH-2026-00042" in receipt
    assert "Rosa Elvira Tapullima Sangama" in receipt
    assert "S-0101" in receipt
    assert "40112233" in receipt
    assert "Centro Chazuta" in receipt
    assert "P-0101" in receipt
    assert "250.00 kg" in receipt
    assert "7.2 %" in receipt
    assert "S/ 9.80 / kg" in receipt
    assert '<strong id="receipt-amount">S/ 2,450.00</strong>' in receipt
    assert "<dd><strong>organic</strong></dd>" in receipt
    assert "<strong>EU organic (Reg. 2018/848)</strong>" in receipt
    assert "Signature of the member" in receipt
    assert "data-print" in receipt


def test_a_purchase_from_a_conventional_plot_is_receipted_as_conventional(
    client, coop, field_officer, juan, juans_plot, centre
):
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(juan, juans_plot, centre), follow=True)

    assert Delivery.objects.get().organic_status == "conventional"
    assert "<dd><strong>conventional</strong></dd>" in response.text
    assert "no certified standard" in response.text


def test_the_receipt_in_spanish_keeps_the_peruvian_number_format(client, coop, manager, rosa, rosas_plot, centre):
    delivery = factories.DeliveryFactory(
        producer=rosa, plots=[rosas_plot], collection_centre=centre, net_kg=Decimal("1250.5"), date=LAST_WEEK
    )
    client.force_login(manager)

    with translation.override("es"):
        receipt = client.get(url("delivery_receipt", coop, delivery.pk), headers={"Accept-Language": "es"}).text

    assert '<html lang="es">' in receipt
    assert "S/ 12,254.90" in receipt  # 1,250.50 kg at S/ 9.80
    assert "1,250.50 kg" in receipt
    assert LAST_WEEK.strftime("%d/%m/%Y") in receipt


def test_a_wet_purchase_is_weighed_dry_at_the_centres_ratio(client, coop, field_officer, rosa, rosas_plot, centre):
    client.force_login(field_officer)

    client.post(
        url("delivery_create", coop),
        purchase(rosa, rosas_plot, centre, state="wet", net_kg="1350", moisture_pct="", price_pen_per_kg="3.50"),
    )

    delivery = Delivery.objects.get()
    assert delivery.wet_to_dry_ratio == Decimal("2.70")
    assert delivery.dry_kg == Decimal("500.00")
    assert delivery.amount_pen == Decimal("4725.00")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"net_kg": "-5"}, "net_kg", "This must be more than zero; got -5."),
        ({"net_kg": "doscientos"}, "net_kg", "Enter a number."),
        ({"moisture_pct": "150"}, "moisture_pct", "A percentage lies between 0 and 100; got 150."),
        ({"moisture_pct": "35"}, "moisture_pct", "Dry cocoa has less than 20% moisture: was this delivery wet (baba)?"),
        (
            {"date": (TODAY + datetime.timedelta(days=2)).isoformat()},
            "date",
            "A delivery cannot be dated in the future.",
        ),
        ({"plots": []}, "plots", "Name the plot or plots the cocoa comes from."),
        ({"collection_centre": ""}, "collection_centre", "This field is required."),
        ({"receipt_number": ""}, "receipt_number", "This field is required."),
    ],
    ids=["negative-kg", "text-kg", "moisture-150", "dry-but-wet", "future-date", "no-plot", "no-centre", "no-receipt"],
)
def test_a_bad_purchase_is_refused_beside_the_field_and_nothing_typed_is_lost(
    client, coop, field_officer, rosa, rosas_plot, centre, changes, field, message
):
    client.force_login(field_officer)
    data = purchase(rosa, rosas_plot, centre, **changes)

    response = client.post(url("delivery_create", coop), data)

    assert response.status_code == 200
    assert message in beside(response, field)
    assert Delivery.objects.exists() is False
    assert 'value="Tapullima"' in response.text  # the search typed
    assert f'value="{rosa.pk}" checked' in beside(response, "producer")
    assert 'value="9.80"' in beside(response, "price_pen_per_kg")
    assert "Cacao bien fermentado" in beside(response, "notes")
    if field != "net_kg":
        assert 'value="250"' in beside(response, "net_kg")
    if field != "plots":
        assert f'value="{rosas_plot.pk}" checked' in beside(response, "plots")


def test_every_mistake_is_told_at_once(client, coop, field_officer, rosa, rosas_plot, centre):
    client.force_login(field_officer)
    data = purchase(rosa, rosas_plot, centre, plots=[], moisture_pct="35", price_pen_per_kg="-1")

    response = client.post(url("delivery_create", coop), data)

    assert "Name the plot or plots the cocoa comes from." in beside(response, "plots")
    assert "Dry cocoa has less than 20% moisture" in beside(response, "moisture_pct")
    assert "This must be more than zero; got -1." in beside(response, "price_pen_per_kg")
    assert Delivery.objects.exists() is False


def test_what_the_service_refuses_on_saving_is_placed_beside_its_field_or_on_top(
    client, coop, field_officer, rosa, rosas_plot, centre, monkeypatch
):
    def refuse(**fields):
        raise ValidationError(
            {
                "net_kg": ["Lots already hold 120.00 dry kg of this delivery; it cannot weigh less."],
                "wet_to_dry_ratio": ["The centre's ratio is out of range."],
                NON_FIELD_ERRORS: ["The cooperative is closed today."],
            }
        )

    monkeypatch.setattr(harvest_forms, "delivery_record", refuse)
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    on_top = response.text.split('class="errorlist nonfield"')[1].split("</ul>")[0]
    assert response.status_code == 200
    assert "Lots already hold 120.00 dry kg" in beside(response, "net_kg")
    assert "The centre&#x27;s ratio is out of range." in on_top
    assert "The cooperative is closed today." in on_top


def test_a_receipt_number_taken_while_the_officer_typed_is_refused_beside_it(
    client, coop, field_officer, rosa, rosas_plot, centre, monkeypatch
):
    def taken(**fields):
        raise IntegrityError("duplicate key value violates unique constraint delivery_receipt_unique")

    monkeypatch.setattr(harvest_forms, "delivery_record", taken)
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    assert response.status_code == 200
    assert "Another purchase already has this receipt number." in beside(response, "receipt_number")


def test_a_plot_of_another_family_is_refused_beside_the_plots(
    client, coop, field_officer, rosa, rosas_plot, juans_plot, centre
):
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre, plots=[juans_plot.pk]))

    assert response.status_code == 200
    assert "These plots are not this family&#x27;s: P-0202." in beside(response, "plots")
    assert Delivery.objects.exists() is False


def test_a_family_of_another_cooperative_is_refused_even_by_id(
    client, coop, other_coop, field_officer, rosas_plot, centre
):
    stranger = factories.ProducerFactory(cooperative=other_coop)
    strangers_plot = factories.PlotFactory(producer=stranger)
    client.force_login(field_officer)

    response = client.post(
        url("delivery_create", coop), purchase(stranger, strangers_plot, centre, producer=stranger.pk)
    )

    assert response.status_code == 200
    assert "Choose an active family of this cooperative." in beside(response, "producer")
    assert "Choose the plots among this family&#x27;s." in beside(response, "plots")
    assert Delivery.objects.exists() is False


def test_a_collection_centre_of_another_cooperative_is_refused(
    client, coop, other_coop, field_officer, rosa, rosas_plot
):
    elsewhere = factories.CollectionCentreFactory(cooperative=other_coop)
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, elsewhere))

    assert response.status_code == 200
    assert "Select a valid choice." in beside(response, "collection_centre")
    assert Delivery.objects.exists() is False


def test_a_receipt_number_already_used_is_refused_beside_it(client, coop, field_officer, rosa, rosas_plot, centre):
    factories.DeliveryFactory(producer=rosa, plots=[rosas_plot], receipt_number="CH-2026-00042")
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    assert response.status_code == 200
    assert "Another purchase already has this receipt number." in beside(response, "receipt_number")
    assert Delivery.objects.count() == 1


def test_a_withdrawn_family_cannot_sell(client, coop, field_officer, rosa, rosas_plot, centre):
    Producer.objects.filter(pk=rosa.pk).update(status=Producer.Status.WITHDRAWN)
    client.force_login(field_officer)

    response = client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    assert "Choose an active family of this cooperative." in beside(response, "producer")
    assert Delivery.objects.exists() is False


def test_the_next_purchase_remembers_the_centre_price_and_next_receipt_number(
    client, coop, field_officer, rosa, rosas_plot, centre
):
    factories.CollectionCentreFactory(cooperative=coop, name="Centro Achinamiza")
    client.force_login(field_officer)
    client.post(url("delivery_create", coop), purchase(rosa, rosas_plot, centre))

    response = client.get(url("delivery_create", coop))

    assert f'<option value="{centre.pk}" selected>Centro Chazuta</option>' in beside(response, "collection_centre")
    assert 'value="9.80"' in beside(response, "price_pen_per_kg")
    assert 'value="CH-2026-00043"' in beside(response, "receipt_number")


def test_the_form_suggests_the_highest_receipt_number_in_use_plus_one(
    client, coop, field_officer, rosa, rosas_plot, centre
):
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, receipt_number="CH-2026-00099")
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, receipt_number="CH-2026-00100")
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, receipt_number="CH-2026-00007")  # typed late
    client.force_login(field_officer)

    response = client.get(url("delivery_create", coop))

    assert 'value="CH-2026-00101"' in beside(response, "receipt_number")
    assert 'name="receipt_suggested" id="receipt-suggested" value="CH-2026-00101"' in response.text


@pytest.fixture
def achinamiza(coop, rosa):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Achinamiza")
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, receipt_number="ACH-2026-00007")
    return centre


def test_choosing_another_centre_suggests_the_next_number_of_its_sequence(
    client, coop, field_officer, rosa, centre, achinamiza
):
    factories.DeliveryFactory(producer=rosa, collection_centre=centre, receipt_number="CH-2026-00042")
    client.force_login(field_officer)

    response = client.get(
        url("delivery_receipt_number", coop),
        {"collection_centre": achinamiza.pk, "receipt_number": "CH-2026-00043", "receipt_suggested": "CH-2026-00043"},
    )

    assert response.status_code == 200
    assert 'name="receipt_number" value="ACH-2026-00008"' in response.text
    assert 'name="receipt_suggested" id="receipt-suggested" value="ACH-2026-00008"' in response.text
    assert 'hx-trigger="change from:#id_collection_centre"' in response.text  # it answers the next change too


def test_a_receipt_number_the_officer_typed_stays_when_the_centre_changes(client, coop, field_officer, achinamiza):
    client.force_login(field_officer)

    response = client.get(
        url("delivery_receipt_number", coop),
        {"collection_centre": achinamiza.pk, "receipt_number": "B-0001", "receipt_suggested": "CH-2026-00043"},
    )

    assert 'name="receipt_number" value="B-0001"' in response.text
    assert 'name="receipt_suggested" id="receipt-suggested" value="CH-2026-00043"' in response.text


def test_another_cooperatives_centre_suggests_no_number(client, coop, other_coop, field_officer, achinamiza):
    theirs = factories.CollectionCentreFactory(cooperative=other_coop)
    factories.DeliveryFactory(
        producer=factories.ProducerFactory(cooperative=other_coop), collection_centre=theirs, receipt_number="X-1"
    )
    client.force_login(field_officer)

    response = client.get(url("delivery_receipt_number", coop), {"collection_centre": theirs.pk})

    assert response.status_code == 200
    assert 'name="receipt_suggested" id="receipt-suggested" value=""' in response.text
    assert "X-" not in response.text


def test_without_javascript_the_officer_asks_for_the_centres_next_number(
    client, coop, field_officer, rosa, rosas_plot, centre, achinamiza
):
    client.force_login(field_officer)
    data = purchase(rosa, rosas_plot, achinamiza, receipt_number="CH-2026-00001", receipt_suggested="CH-2026-00001")

    response = client.post(url("delivery_create", coop), {**data, "suggest_receipt": "1"})

    assert response.status_code == 200
    assert 'value="ACH-2026-00008"' in beside(response, "receipt_number")
    assert 'class="errorlist"' not in response.text
    assert Delivery.objects.filter(receipt_number="ACH-2026-00008").exists() is False


def test_without_javascript_the_officer_asks_for_the_familys_plots_and_loses_nothing(
    client, coop, field_officer, rosa, rosas_plot, centre
):
    client.force_login(field_officer)
    data = purchase(rosa, rosas_plot, centre, plots=[], family_search="", show_plots="1")

    response = client.post(url("delivery_create", coop), data)

    assert response.status_code == 200
    assert f'value="{rosas_plot.pk}" checked' in beside(response, "plots")  # her only plot, ticked
    assert 'class="errorlist"' not in response.text
    assert 'value="250"' in beside(response, "net_kg")
    assert Delivery.objects.exists() is False


# The fragments the form fetches as the officer types


def test_the_family_search_finds_active_families_of_this_cooperative_only(
    client, coop, other_coop, field_officer, rosa
):
    factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima Retirada", status="withdrawn")
    factories.ProducerFactory(cooperative=other_coop, first_name="Rosa", last_name="Tapullima Vecina")
    client.force_login(field_officer)

    by_name = client.get(url("delivery_family_search", coop), {"family_search": "rosa tapu"})
    by_code = client.get(url("delivery_family_search", coop), {"family_search": "s-0101"})
    by_dni = client.get(url("delivery_family_search", coop), {"family_search": "401122"})
    nobody = client.get(url("delivery_family_search", coop), {"family_search": "Zzz"})

    assert by_name.status_code == 200
    assert re.findall(r'name="producer" value="(\d+)"', by_name.text) == [str(rosa.pk)]
    assert "Tapullima Sangama, Rosa Elvira" in by_name.text
    assert re.findall(r'name="producer" value="(\d+)"', by_code.text) == [str(rosa.pk)]
    assert re.findall(r'name="producer" value="(\d+)"', by_dni.text) == [str(rosa.pk)]
    assert "No active family matches “Zzz”." in nobody.text


def test_the_family_search_says_why_a_family_it_finds_cannot_sell(client, coop, field_officer, rosa):
    factories.ProducerFactory(
        cooperative=coop, code="S-0303", first_name="Rosa", last_name="Tapullima Nueva", status="applicant"
    )
    factories.ProducerFactory(
        cooperative=coop, code="S-0404", first_name="Rosa", last_name="Tapullima Suspendida", status="suspended"
    )
    factories.ProducerFactory(
        cooperative=coop, code="S-0505", first_name="Rosa", last_name="Tapullima Retirada", status="withdrawn"
    )
    client.force_login(field_officer)

    response = client.get(url("delivery_family_search", coop), {"family_search": "rosa tapu"})

    assert re.findall(r'name="producer" value="(\d+)"', response.text) == [str(rosa.pk)]
    assert text_of(response, "family-not-active") == (
        "Tapullima Nueva, Rosa S-0303 : an applicant, not yet admitted: cannot sell until the cooperative admits them. "
        "Tapullima Retirada, Rosa S-0505 : withdrawn from the cooperative: cannot sell. "
        "Tapullima Suspendida, Rosa S-0404 : suspended: cannot sell while the suspension lasts."
    )


def test_the_family_search_says_so_in_spanish(client, coop, field_officer):
    factories.ProducerFactory(
        cooperative=coop, code="S-0303", first_name="Rosa", last_name="Tapullima", status="applicant"
    )
    client.force_login(field_officer)

    response = client.get(
        url("delivery_family_search", coop), {"family_search": "tapullima"}, headers={"Accept-Language": "es"}
    )

    assert "Ninguna familia activa coincide con “tapullima”." in response.text
    assert text_of(response, "family-not-active") == (
        "Tapullima, Rosa S-0303 : postulante, aún no admitida: no puede vender hasta que la cooperativa la admita."
    )


def test_the_family_search_ignores_accents_typed_or_not(client, coop, field_officer, juan):
    client.force_login(field_officer)

    plain = client.get(url("delivery_family_search", coop), {"family_search": "sangama rios"})
    accented = client.get(url("delivery_family_search", coop), {"family_search": "RÍOS"})

    assert re.findall(r'name="producer" value="(\d+)"', plain.text) == [str(juan.pk)]
    assert re.findall(r'name="producer" value="(\d+)"', accented.text) == [str(juan.pk)]


def test_the_family_search_keeps_the_family_already_chosen(client, coop, field_officer, rosa, juan):
    client.force_login(field_officer)

    response = client.get(url("delivery_family_search", coop), {"family_search": "Juan", "producer": rosa.pk})

    assert re.findall(r'value="(\d+)"( checked)?', response.text) == [(str(rosa.pk), " checked"), (str(juan.pk), "")]


def test_the_family_search_offers_ten_families_at_most(client, coop, field_officer):
    factories.ProducerFactory.create_batch(12, cooperative=coop, last_name="Sangama")
    client.force_login(field_officer)

    response = client.get(url("delivery_family_search", coop), {"family_search": "sangama"})

    assert response.text.count('name="producer"') == 10
    assert "More families match: type more of the name." in response.text


def test_choosing_a_family_loads_its_plots_only(client, coop, field_officer, rosa, rosas_plot, juans_plot):
    client.force_login(field_officer)

    response = client.get(url("delivery_family_plots", coop), {"producer": rosa.pk})

    assert response.status_code == 200
    assert f'name="plots" value="{rosas_plot.pk}" checked' in response.text
    assert "P-0101 · La Loma · 1.20 ha" in response.text
    assert "P-0202" not in response.text


def test_the_plots_of_another_cooperatives_family_are_not_shown(client, coop, other_coop, field_officer):
    strangers_plot = factories.PlotFactory(producer=factories.ProducerFactory(cooperative=other_coop))
    client.force_login(field_officer)

    response = client.get(url("delivery_family_plots", coop), {"producer": strangers_plot.producer_id})
    nonsense = client.get(url("delivery_family_plots", coop), {"producer": "²"})

    assert strangers_plot.code not in response.text
    assert "This family has no plots registered." in response.text
    assert nonsense.status_code == 200


# The list of purchases


@pytest.fixture
def purchases(coop, rosa, rosas_plot, juan, juans_plot, centre):
    """Three purchases: Rosa's at Chazuta in October and November, Juan's at Achinamiza in November."""
    achinamiza = factories.CollectionCentreFactory(cooperative=coop, name="Centro Achinamiza")
    october, november = datetime.date(TODAY.year - 1, 10, 10), datetime.date(TODAY.year - 1, 11, 20)
    return {
        "rosa_october": factories.DeliveryFactory(
            producer=rosa,
            plots=[rosas_plot],
            collection_centre=centre,
            date=october,
            receipt_number="CH-1",
            net_kg=Decimal("100"),
            price_pen_per_kg=Decimal("10.00"),
        ),
        "rosa_november": factories.DeliveryFactory(
            producer=rosa,
            plots=[rosas_plot],
            collection_centre=centre,
            date=november,
            receipt_number="CH-2",
            net_kg=Decimal("1200"),
            price_pen_per_kg=Decimal("10.50"),
        ),
        "juan_november": factories.DeliveryFactory(
            producer=juan,
            plots=[juans_plot],
            collection_centre=achinamiza,
            date=november,
            receipt_number="AC-1",
            state="wet",
            moisture_pct=None,
            net_kg=Decimal("270"),
            price_pen_per_kg=Decimal("3.00"),
        ),
        "achinamiza": achinamiza,
        "november": november,
    }


def receipts_listed(response):
    return re.findall(r"/receipt/\">([^<]+)</a>", response.text)


def test_the_list_shows_the_latest_purchases_first_with_their_figures(client, coop, manager, purchases):
    purchases["rosa_november"].certified_standards.set([Standard.objects.get(code="eu-organic")])
    client.force_login(manager)

    response = client.get(url("delivery_list", coop))

    assert receipts_listed(response) == ["AC-1", "CH-2", "CH-1"]
    row = response.text.split("CH-2</a>")[1].split("</tr>")[0]
    assert "Centro Chazuta" in row
    assert "dry" in row
    assert '<td class="number">1,200.00</td>' in row
    assert '<td class="number">12,600.00</td>' in row
    assert "EU organic (Reg. 2018/848)" in row
    wet_row = response.text.split("AC-1</a>")[1].split("</tr>")[0]
    assert '<td class="number">100.00</td>' in wet_row  # 270 kg of baba at 2.70
    assert "wet (baba)" in wet_row


def test_the_totals_add_up_every_purchase_of_the_filter(client, coop, manager, purchases):
    client.force_login(manager)

    everything = client.get(url("delivery_list", coop))
    at_chazuta = client.get(
        url("delivery_list", coop), {"collection_centre": purchases["rosa_october"].collection_centre_id}
    )

    totals = everything.text.split('id="totals"')[1].split("</p>")[0]
    assert "3 purchases" in totals
    assert "1,570.00 kg" in totals  # net: 100 + 1,200 + 270
    assert "1,400.00 kg" in totals  # dry: 100 + 1,200 + 100
    assert "S/ 14,410.00" in totals  # 1,000 + 12,600 + 810
    assert receipts_listed(at_chazuta) == ["CH-2", "CH-1"]
    assert "S/ 13,600.00" in at_chazuta.text.split('id="totals"')[1].split("</p>")[0]


def test_the_list_filters_by_period_family_and_centre(client, coop, manager, purchases):
    client.force_login(manager)
    november = purchases["november"].isoformat()

    def listed(**params):
        return receipts_listed(client.get(url("delivery_list", coop), params))

    assert listed(date_from=november, date_to=november) == ["AC-1", "CH-2"]
    assert listed(date_to=(purchases["november"] - datetime.timedelta(days=1)).isoformat()) == ["CH-1"]
    assert listed(family="S-0101") == ["CH-2", "CH-1"]
    assert listed(family="juan sangama") == ["AC-1"]
    assert listed(collection_centre=purchases["achinamiza"].pk) == ["AC-1"]
    assert listed(family="rosa", date_from=november) == ["CH-2"]
    assert listed(family="nadie") == []


def test_a_bad_filter_is_explained_and_left_out(client, coop, manager, purchases, neighbours_delivery):
    client.force_login(manager)

    response = client.get(
        url("delivery_list", coop),
        {"date_from": "31/02/2026", "collection_centre": neighbours_delivery.collection_centre_id},
    )

    assert response.status_code == 200
    assert "Enter a valid date." in beside(response, "date_from")
    assert "Select a valid choice." in beside(response, "collection_centre")
    assert receipts_listed(response) == ["AC-1", "CH-2", "CH-1"]


def test_the_list_pages_by_fifty_newest_first(client, coop, manager, rosa, rosas_plot, centre):
    factories.DeliveryFactory.create_batch(
        55, producer=rosa, plots=[rosas_plot], collection_centre=centre, date=LAST_WEEK
    )
    newest_first = list(Delivery.objects.order_by("-date", "-id").values_list("receipt_number", flat=True))
    client.force_login(manager)

    first = client.get(url("delivery_list", coop))
    older_link = re.search(r'href="\?(older=[^"]+)" rel="next"', first.text)[1].replace("&amp;", "&")
    second = client.get(url("delivery_list", coop) + "?" + older_link)
    newer_link = re.search(r'href="\?(newer=[^"]+)" rel="prev"', second.text)[1].replace("&amp;", "&")
    back = client.get(url("delivery_list", coop) + "?" + newer_link)

    assert receipts_listed(first) == newest_first[:50]
    assert receipts_listed(second) == newest_first[50:]
    assert 'rel="next"' not in second.text
    assert receipts_listed(back) == newest_first[:50]
    assert "55 purchases" in second.text


def test_a_tampered_page_cursor_shows_the_first_page(client, coop, manager, purchases):
    client.force_login(manager)

    response = client.get(url("delivery_list", coop), {"older": "2026-99-99.1'"})

    assert response.status_code == 200
    assert receipts_listed(response) == ["AC-1", "CH-2", "CH-1"]


def test_the_list_costs_the_same_queries_for_3_or_30_purchases(client, coop, manager, rosa, rosas_plot, centre):
    organic = Standard.objects.get(code="eu-organic")
    client.force_login(manager)
    params = {"date_from": "2020-01-01", "family": "rosa", "collection_centre": centre.pk}

    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("delivery_list", coop), params)
        assert response.status_code == 200
        return len(queries)

    def bought(count):
        return factories.DeliveryFactory.create_batch(
            count, producer=rosa, plots=[rosas_plot], collection_centre=centre, date=LAST_WEEK
        )

    for delivery in bought(3):
        delivery.certified_standards.set([organic])
    few = queries_for_the_list()
    for delivery in bought(27):
        delivery.certified_standards.set([organic])
    many = queries_for_the_list()

    assert few == many
    assert many <= 10


def test_the_form_costs_the_same_queries_for_few_or_many_families(client, coop, field_officer, centre):
    client.force_login(field_officer)

    def queries_for_the_form():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("delivery_create", coop)).status_code == 200
        return len(queries)

    factories.ProducerFactory.create_batch(2, cooperative=coop)
    few = queries_for_the_form()
    factories.ProducerFactory.create_batch(40, cooperative=coop)

    assert queries_for_the_form() == few
