"""Purchases and their quality analyses through /api/v1/: recorded by the service, scoped, paged by cursor."""

import datetime
from decimal import Decimal

import pytest

from exports.models import Lot
from exports.services import lot_allocate
from harvests.models import Delivery, QualityAnalysis
from tests import factories
from tests.exports import certified

URL = "/api/v1/deliveries/"


@pytest.fixture
def plot(coop):
    return factories.PlotFactory(producer=factories.ProducerFactory(cooperative=coop))


@pytest.fixture
def centre(coop):
    return factories.CollectionCentreFactory(cooperative=coop, wet_to_dry_ratio=Decimal("2.50"))


@pytest.fixture
def certificate(coop, plot):
    certificate = factories.CertificateFactory(
        cooperative=coop, valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 12, 31)
    )
    factories.CoveredProducerFactory(certificate=certificate, producer=plot.producer)
    factories.CoveredPlotFactory(certificate=certificate, plot=plot)
    return certificate


def purchase(plot, centre, **changes):
    return {
        "receipt_number": "R-000101",
        "producer": plot.producer_id,
        "plots": [plot.pk],
        "collection_centre": centre.pk,
        "date": "2026-06-15",
        "state": "wet",
        "net_kg": "250.00",
        "moisture_pct": None,
        "price_pen_per_kg": "4.20",
        "notes": "",
        **changes,
    }


def test_a_field_officer_records_a_purchase_with_its_certification_derived(
    api, field_officer, plot, centre, certificate
):
    response = api(field_officer).post(URL, purchase(plot, centre), format="json")

    assert response.status_code == 201, response.json()
    delivery = Delivery.objects.get()
    assert response.json() == {
        "id": delivery.pk,
        "cooperative": plot.cooperative_id,
        "receipt_number": "R-000101",
        "producer": plot.producer_id,
        "plots": [plot.pk],
        "collection_centre": centre.pk,
        "date": "2026-06-15",
        "state": "wet",
        "net_kg": "250.00",
        "moisture_pct": None,
        "price_pen_per_kg": "4.20",
        "notes": "",
        "wet_to_dry_ratio": "2.50",
        "dry_kg": "100.00",
        "amount_pen": "1050.00",
        "organic_status": "organic",
        "certified_standards": ["eu-organic"],
        "allocated_kg": "0.00",
        "modified": response.json()["modified"],
    }


def test_the_outputs_of_a_purchase_cannot_be_sent(api, manager, plot, centre):
    body = purchase(plot, centre, organic_status="organic", dry_kg="999", allocated_kg="50", state="dry")

    response = api(manager).post(URL, body, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["certified_standards"], body["dry_kg"], body["allocated_kg"]) == ([], "250.00", "0.00")


def test_a_purchase_of_zero_kg_is_refused_on_net_kg(api, manager, plot, centre):
    response = api(manager).post(URL, purchase(plot, centre, net_kg="0"), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "not_positive", "detail": "This must be more than zero; got 0.00.", "attr": "net_kg"}],
    }
    assert Delivery.objects.exists() is False


def test_a_purchase_from_another_familys_plot_is_refused_on_plots(api, manager, coop, plot, centre):
    neighbour = factories.PlotFactory(producer=factories.ProducerFactory(cooperative=coop), code="P-VECINO")

    response = api(manager).post(URL, purchase(plot, centre, plots=[neighbour.pk]), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "other_family", "detail": "These plots are not this family's: P-VECINO.", "attr": "plots"}],
    }
    assert Delivery.objects.exists() is False


def test_a_purchase_naming_another_cooperatives_family_reads_as_a_missing_one(api, manager, other_coop, plot, centre):
    stranger = factories.ProducerFactory(cooperative=other_coop)

    response = api(manager).post(URL, purchase(plot, centre, producer=stranger.pk), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "does_not_exist",
                "detail": f'Invalid pk "{stranger.pk}" - object does not exist.',
                "attr": "producer",
            }
        ],
    }


def test_a_partner_reads_purchases_but_cannot_record_one(api, partner, plot, centre):
    delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])
    client = api(partner)

    listed = client.get(URL)
    created = client.post(URL, purchase(plot, centre), format="json")
    changed = client.patch(f"{URL}{delivery.pk}/", {"notes": "x"}, format="json")

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [delivery.pk]
    assert (created.status_code, changed.status_code) == (403, 403)
    assert Delivery.objects.count() == 1


def test_an_auditor_reads_purchases(api, auditor, plot, centre):
    delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])

    response = api(auditor).get(f"{URL}{delivery.pk}/")

    assert response.status_code == 200
    assert response.json()["receipt_number"] == delivery.receipt_number


def test_changing_a_purchase_keeps_its_family_and_recomputes_its_dry_kg(api, field_officer, plot, centre):
    delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])
    other = factories.ProducerFactory(cooperative=plot.cooperative)

    response = api(field_officer).patch(
        f"{URL}{delivery.pk}/", {"net_kg": "300.00", "producer": other.pk}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["producer"], response.json()["dry_kg"]) == (plot.producer_id, "300.00")
    delivery.refresh_from_db()
    assert (delivery.producer_id, delivery.dry_kg) == (plot.producer_id, Decimal("300.00"))


def test_another_cooperatives_purchase_is_not_there(api, manager, other_coop):
    theirs = factories.DeliveryFactory(producer=factories.ProducerFactory(cooperative=other_coop))
    client = api(manager)

    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.patch(f"{URL}{theirs.pk}/", {"notes": "x"}, format="json").status_code == 404
    assert client.delete(f"{URL}{theirs.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []
    assert Delivery.objects.filter(pk=theirs.pk, notes="").exists() is True


def test_purchases_filter_by_centre_dates_state_and_certified_standard(api, manager, plot, centre, certificate):
    other_centre = factories.CollectionCentreFactory(cooperative=plot.cooperative)
    early = factories.DeliveryFactory(
        producer=plot.producer, collection_centre=centre, plots=[plot], date=datetime.date(2026, 3, 1)
    )
    late = factories.DeliveryFactory(
        producer=plot.producer, collection_centre=other_centre, plots=[plot], state="wet", moisture_pct=None
    )
    late.certified_standards.set([certificate.standard])
    client = api(manager)

    def ids(query):
        response = client.get(URL, query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids({}) == [late.pk, early.pk]
    assert ids({"collection_centre": centre.pk}) == [early.pk]
    assert ids({"date_from": "2026-06-01"}) == [late.pk]
    assert ids({"date_to": "2026-03-01"}) == [early.pk]
    assert ids({"state": "wet"}) == [late.pk]
    assert ids({"standard": "eu-organic"}) == [late.pk]
    assert ids({"producer": plot.producer_id, "organic_status": "conventional"}) == [late.pk, early.pk]
    assert ids({"search": early.receipt_number}) == [early.pk]
    assert ids({"modified_since": "2999-01-01T00:00:00Z"}) == []


def test_purchases_come_in_cursor_pages_without_a_count(api, manager, plot, centre):
    made = [factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot]) for _ in range(3)]

    first = api(manager).get(URL, {"page_size": 2})
    second = api(manager).get(first.json()["next"])

    assert set(first.json()) == {"next", "previous", "results"}
    assert [row["id"] for row in first.json()["results"]] == [made[2].pk, made[1].pk]
    assert [row["id"] for row in second.json()["results"]] == [made[0].pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_page_of_purchases_costs_the_same_queries_whatever_its_size(
    api, manager, plot, centre, certificate, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])
        delivery.certified_standards.set([certificate.standard])
    client = api(manager)
    client.get(URL)  # the user's permissions are cached from here on, as in a running server

    with django_assert_max_num_queries(4):
        response = client.get(URL)

    assert len(response.json()["results"]) == rows


# Quality analyses

QA_URL = "/api/v1/quality-analyses/"


def test_a_field_officer_records_a_quality_analysis_in_the_purchases_cooperative(api, field_officer, plot, centre):
    delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])
    body = {"delivery": delivery.pk, "date": "2026-06-16", "moisture_pct": "7.10", "bean_count": 104, "beans_cut": 100}
    body |= {"well_fermented": 80, "violet": 12, "slaty": 2, "mouldy": 1, "defective": 2}

    response = api(field_officer).post(QA_URL, body, format="json")

    assert response.status_code == 201, response.json()
    analysis = QualityAnalysis.objects.get()
    assert response.json() == {
        "id": analysis.pk,
        "cooperative": plot.cooperative_id,
        **body,
        "grade": "I",
        "modified": response.json()["modified"],
    }


def test_a_cut_test_counting_more_beans_than_cut_is_refused(api, field_officer, plot, centre):
    delivery = factories.DeliveryFactory(producer=plot.producer, collection_centre=centre, plots=[plot])
    body = {"delivery": delivery.pk, "moisture_pct": "7.10", "beans_cut": 10, "well_fermented": 9, "violet": 2}

    response = api(field_officer).post(QA_URL, body, format="json")

    assert response.status_code == 400
    # The model's clean() says why; the database constraint guarding the same rule is not repeated.
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "The cut test counts 11 beans in its classes but only 10 were cut.",
            "attr": "non_field_errors",
        },
    ]
    assert QualityAnalysis.objects.exists() is False


def test_another_cooperatives_quality_analysis_is_not_there(api, manager, other_coop):
    theirs = factories.QualityAnalysisFactory(
        delivery=factories.DeliveryFactory(producer=factories.ProducerFactory(cooperative=other_coop))
    )
    client = api(manager)

    assert client.get(f"{QA_URL}{theirs.pk}/").status_code == 404
    assert client.patch(f"{QA_URL}{theirs.pk}/", {"bean_count": 90}, format="json").status_code == 404
    assert client.delete(f"{QA_URL}{theirs.pk}/").status_code == 404
    assert client.get(QA_URL).json()["results"] == []


def test_a_purchase_made_lighter_than_lots_claim_is_refused_with_400(api, manager, coop):
    delivery = certified.buy(certified.certified_plot(coop, ["fairtrade"]), "300")
    mass_balance = factories.LotFactory(cooperative=coop, fairtrade_mode=Lot.FairtradeMode.MASS_BALANCE)
    mass_balance.standards.set([certified.standard("fairtrade")])
    lot_allocate(lot=mass_balance, delivery=certified.buy(certified.conventional_plot(coop), "300"), kg="300")

    response = api(manager).patch(f"/api/v1/deliveries/{delivery.pk}/", {"net_kg": "250.00"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Fairtrade, season 2026: lots and shipments already claim 300.00 kg, so the certified kg "
            "bought cannot fall to 250.00.",
            "attr": "net_kg",
        }
    ]


def test_a_manager_recertifies_a_purchase_and_a_field_officer_may_not(api, manager, field_officer, coop):
    delivery = certified.buy(certified.certified_plot(coop), "300")
    url = f"/api/v1/deliveries/{delivery.pk}/recertify/"

    refused = api(field_officer).post(url, {"reason": "Revisión"}, format="json")
    response = api(manager).post(url, {"reason": "Certificado revisado."}, format="json")

    assert refused.status_code == 403
    assert response.status_code == 201, response.json()
    assert response.json() | {"id": 0, "recorded_at": ""} == {
        "id": 0,
        "delivery": delivery.pk,
        "recorded_at": "",
        "recorded_by": manager.pk,
        "reason": "Certificado revisado.",
        "old_organic_status": "organic",
        "new_organic_status": "organic",
        "old_standards": ["eu-organic", "fairtrade"],
        "new_standards": ["eu-organic", "fairtrade"],
        "corrections": {},
    }
