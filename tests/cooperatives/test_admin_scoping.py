import datetime
from decimal import Decimal

from django.urls import reverse

from certifications.models import Standard
from cooperatives.models import District
from harvests.models import Delivery
from plots.models import ConversionStatus
from tests import factories
from tests.admin_helpers import form_data, url


def test_autocomplete_offers_only_the_users_cooperatives_producers(client, coop, other_coop, manager):
    mine = factories.ProducerFactory(cooperative=coop, last_name="Sangama Tapullima")
    factories.ProducerFactory(cooperative=other_coop, last_name="Sangama Amasifuen")
    client.force_login(manager)

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "plots", "model_name": "plot", "field_name": "producer", "term": "Sangama"},
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]


def test_a_plot_cannot_be_given_another_cooperatives_producer(client, coop, other_coop, manager):
    plot = factories.PlotFactory(producer__cooperative=coop)
    theirs = factories.ProducerFactory(cooperative=other_coop)
    client.force_login(manager)
    data = form_data(client.get(url(type(plot), "change", plot.pk)))
    data["producer"] = theirs.pk

    response = client.post(url(type(plot), "change", plot.pk), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["producer"]
    plot.refresh_from_db()
    assert plot.producer_id != theirs.pk


def test_reference_data_is_read_only_for_a_manager(client, manager):
    client.force_login(manager)

    district = client.post(url(District, "change", "220904"), {"name": "Otro"})
    standard = client.post(url(Standard, "change", Standard.objects.get(code="eu-organic").pk), {"name": "Otro"})

    assert (district.status_code, standard.status_code) == (403, 403)
    assert District.objects.get(inei="220904").name != "Otro"


def test_a_delivery_added_in_the_admin_is_recorded_with_its_certification_status(client, coop, manager):
    plot = factories.PlotFactory(producer__cooperative=coop, conversion_start=datetime.date(2016, 1, 1))
    centre = factories.CollectionCentreFactory(cooperative=coop, wet_to_dry_ratio=Decimal("2.50"))
    client.force_login(manager)
    data = form_data(client.get(url(Delivery, "add")))
    data.update(
        receipt_number="R-900001",
        date="2026-06-15",
        producer=plot.producer.pk,
        plots=[plot.pk],
        collection_centre=centre.pk,
        state=Delivery.State.WET,
        net_kg="500.00",
        price_pen_per_kg="4.00",
    )

    response = client.post(url(Delivery, "add"), data)

    assert response.status_code == 302
    delivery = Delivery.objects.get(receipt_number="R-900001")
    assert (delivery.cooperative_id, delivery.wet_to_dry_ratio, delivery.dry_kg) == (
        coop.pk,
        Decimal("2.50"),
        Decimal("200.00"),
    )
    assert delivery.organic_status == ConversionStatus.ORGANIC
    assert list(delivery.plots.all()) == [plot]


def test_a_delivery_from_another_familys_plot_shows_an_error_and_writes_nothing(client, coop, manager):
    producer = factories.ProducerFactory(cooperative=coop)
    neighbours_plot = factories.PlotFactory(producer__cooperative=coop)
    centre = factories.CollectionCentreFactory(cooperative=coop)
    client.force_login(manager)
    data = form_data(client.get(url(Delivery, "add")))
    data.update(
        receipt_number="R-900002",
        date="2026-06-15",
        producer=producer.pk,
        plots=[neighbours_plot.pk],
        collection_centre=centre.pk,
        net_kg="100.00",
        price_pen_per_kg="9.00",
    )

    response = client.post(url(Delivery, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["plots"][0].code == "other_family"
    assert Delivery.objects.count() == 0


def test_the_admin_site_is_called_minka(client, manager):
    client.force_login(manager)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["site_header"] == "Minka"
