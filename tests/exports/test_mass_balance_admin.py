"""The mass balance's rules in the admin: refusals shown on the form, writes through the services."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from exports.models import Lot, Shipment
from exports.services import lot_allocate
from harvests.models import Delivery, Recertification
from tests.admin_helpers import form_data, url
from tests.exports.certified import buy, certified_plot, conventional_plot, standard
from tests.exports.test_mass_balance import ledger, lot, shipment
from tests.factories import BuyerFactory, ContractFactory


def test_a_shipment_claiming_more_than_was_bought_shows_the_reason_on_its_form(client, coop, manager):
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=buy(certified_plot(coop), "1000"), kg="1000")
    sent = shipment(coop, [organic], "1200")
    client.force_login(manager)
    data = form_data(client.get(url(Shipment, "change", sent.pk)))
    data["certifications_claimed"] = [standard("eu-organic").pk]

    response = client.post(url(Shipment, "change", sent.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "certifications_claimed": [
            "EU organic (Reg. 2018/848), season 2026: shipments would claim 1200.00 kg but only 1000.00 certified kg "
            "were bought (1000.00 kg left to sell)."
        ]
    }
    assert sent.certifications_claimed.exists() is False


def test_a_shipment_claim_within_the_balance_is_saved_and_counted(client, coop, manager):
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=buy(certified_plot(coop), "1000"), kg="1000")
    sent = shipment(coop, [organic], "950")
    client.force_login(manager)
    data = form_data(client.get(url(Shipment, "change", sent.pk)))
    data["certifications_claimed"] = [standard("eu-organic").pk]

    response = client.post(url(Shipment, "change", sent.pk), data)

    assert response.status_code == 302
    assert ledger(coop, "eu-organic") == (Decimal("1000.00"), Decimal("1000.00"), Decimal("950.00"))


def test_a_lot_claiming_a_standard_its_cocoa_lacks_shows_the_reason_on_its_form(client, coop, manager):
    plain = lot(coop)
    delivery = buy(conventional_plot(coop), "300")
    lot_allocate(lot=plain, delivery=delivery, kg="300")
    client.force_login(manager)
    data = form_data(client.get(url(Lot, "change", plain.pk)))
    data["standards"] = [standard("eu-organic").pk]

    response = client.post(url(Lot, "change", plain.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "standards": [
            f"Lot {plain.code} cannot claim EU organic (Reg. 2018/848): it holds cocoa of deliveries not certified "
            f"so ({delivery.receipt_number}). Claim it under mass balance, or take them out first."
        ]
    }


def test_a_purchase_made_lighter_than_lots_claim_shows_the_reason_on_its_form(client, coop, manager):
    delivery = buy(certified_plot(coop, ["fairtrade"]), "300")
    mass_balance = lot(coop, "fairtrade", mode=Lot.FairtradeMode.MASS_BALANCE)
    lot_allocate(lot=mass_balance, delivery=buy(conventional_plot(coop), "300"), kg="300")
    client.force_login(manager)
    data = form_data(client.get(url(Delivery, "change", delivery.pk)))
    data["net_kg"] = "250.00"

    response = client.post(url(Delivery, "change", delivery.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "net_kg": [
            "Fairtrade, season 2026: lots and shipments already claim 300.00 kg, so the certified kg bought cannot "
            "fall to 250.00."
        ]
    }
    delivery.refresh_from_db()
    assert delivery.net_kg == Decimal("300.00")


def test_a_purchases_weight_corrected_in_the_admin_moves_the_balance(client, coop, manager):
    delivery = buy(certified_plot(coop), "300")
    client.force_login(manager)
    data = form_data(client.get(url(Delivery, "change", delivery.pk)))
    data["net_kg"] = "320.00"

    response = client.post(url(Delivery, "change", delivery.pk), data)

    assert response.status_code == 302
    assert ledger(coop, "fairtrade")[0] == Decimal("320.00")


def test_a_manager_recertifies_a_purchase_from_its_admin_page(client, coop, manager):
    delivery = buy(certified_plot(coop), "300")
    client.force_login(manager)
    page = reverse("admin:harvests_delivery_recertify", args=[delivery.pk])

    assert page in client.get(url(Delivery, "change", delivery.pk)).content.decode()
    empty = client.post(page, {"reason": ""})
    response = client.post(page, {"reason": "Certificado de Fairtrade revisado."})

    assert empty.status_code == 200
    assert list(empty.context["form"].errors) == ["reason"]
    assert response.status_code == 302
    assert Recertification.objects.get().reason == "Certificado de Fairtrade revisado."


def test_a_field_officer_may_not_recertify(client, coop, field_officer):
    delivery = buy(certified_plot(coop), "300")
    client.force_login(field_officer)

    response = client.post(reverse("admin:harvests_delivery_recertify", args=[delivery.pk]), {"reason": "x"})

    assert response.status_code == 403
    assert Recertification.objects.exists() is False


def new_shipment_data(client, coop, **fields):
    """The admin's add form of a shipment of 500 kg that claims EU organic, filled as an officer would."""
    data = form_data(client.get(url(Shipment, "add")))
    data.update(
        cooperative=coop.pk,
        contract=ContractFactory(buyer=BuyerFactory(cooperative=coop)).pk,
        number="EXP-2026-900",
        departure_date="2026-09-01",
        port_of_loading="Paita",
        destination_country="IT",
        bags="10",
        net_kg="500",
        hs_code="180100",
        price_usd_per_t="3000",
        certifications_claimed=[standard("eu-organic").pk],
    )
    return data | fields


def test_a_new_shipment_without_lots_sells_from_the_season_it_departs_whatever_other_lots_hold(client, coop, manager):
    organic = lot(coop, "eu-organic")
    lot_allocate(lot=organic, delivery=buy(certified_plot(coop), "1000"), kg="1000")
    # A lot no shipment carries yet, of an earlier season's cocoa: nothing to do with the new shipment.
    lot_allocate(lot=lot(coop), delivery=buy(conventional_plot(coop), "300", day=date(2025, 6, 15)), kg="300")
    client.force_login(manager)

    response = client.post(url(Shipment, "add"), new_shipment_data(client, coop))

    assert response.status_code == 302
    assert Shipment.objects.get(number="EXP-2026-900").certifications_claimed.get() == standard("eu-organic")
    assert ledger(coop, "eu-organic") == (Decimal("1000.00"), Decimal("1000.00"), Decimal("500.00"))
    assert ledger(coop, "eu-organic", 2025) is None


def test_a_new_shipment_that_claims_without_lots_or_departure_date_shows_the_reason_on_its_form(client, coop, manager):
    lot_allocate(lot=lot(coop, "eu-organic"), delivery=buy(certified_plot(coop), "1000"), kg="1000")
    client.force_login(manager)
    data = new_shipment_data(client, coop)
    del data["departure_date"]

    response = client.post(url(Shipment, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "departure_date": [
            "A shipment without lots sells its certified kg in the season it departs: give its (planned) "
            "departure date."
        ]
    }
    assert Shipment.objects.filter(number="EXP-2026-900").exists() is False
