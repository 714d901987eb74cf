"""The admin links a related object to its page only for someone who may open that page: a manager reading a
membership, a key or a history sees the account's name, not a link that answers 403."""

import re

import pytest
from django.urls import reverse

from cooperatives.models import Membership
from cooperatives.services import partner_key_issue
from producers.models import Producer
from tests import factories

pytestmark = pytest.mark.django_db


def user_links(response):
    return re.findall(r'href="(/admin/auth/user/[0-9]+/change/)"', response.text)


def test_a_manager_reads_a_membership_with_the_account_as_text(client, coop, manager, field_officer):
    membership = Membership.objects.get(user=field_officer, cooperative=coop)
    client.force_login(manager)

    response = client.get(reverse("admin:cooperatives_membership_change", args=[membership.pk]))

    assert response.status_code == 200
    assert user_links(response) == []
    assert f'<div class="readonly">{field_officer.username}</div>' in response.text
    assert client.get(reverse("admin:auth_user_change", args=[field_officer.pk])).status_code == 403


def test_a_manager_reads_the_cooperatives_memberships_with_the_accounts_as_text(client, coop, manager, field_officer):
    client.force_login(manager)

    response = client.get(reverse("admin:cooperatives_cooperative_change", args=[coop.pk]))

    assert response.status_code == 200
    assert user_links(response) == []
    assert f"<p>{field_officer.username}</p>" in response.text


def test_a_manager_reads_who_issued_a_key_as_text(client, coop, manager, superuser):
    key, _secret = partner_key_issue(name="Cioccolato Italiano", cooperatives=[coop], issued_by=superuser)
    client.force_login(manager)

    response = client.get(reverse("admin:cooperatives_partnerkey_change", args=[key.pk]))

    assert response.status_code == 200
    assert user_links(response) == []
    assert f'<div class="readonly">{superuser.username}</div>' in response.text


def test_a_manager_reads_who_changed_a_family_in_its_history_as_text(client, coop, manager, field_officer):
    family = factories.ProducerFactory(cooperative=coop)
    Producer.history.filter(id=family.pk).update(history_user=field_officer)
    client.force_login(manager)

    response = client.get(reverse("admin:producers_producer_history", args=[family.pk]))

    assert response.status_code == 200
    assert user_links(response) == []
    assert field_officer.username in response.text


def test_a_superuser_keeps_the_links_to_the_accounts(client, coop, superuser, field_officer):
    membership = Membership.objects.get(user=field_officer, cooperative=coop)
    family = factories.ProducerFactory(cooperative=coop)
    Producer.history.filter(id=family.pk).update(history_user=field_officer)
    client.force_login(superuser)
    account = reverse("admin:auth_user_change", args=[field_officer.pk])

    history = client.get(reverse("admin:producers_producer_history", args=[family.pk]))
    cooperative = client.get(reverse("admin:cooperatives_cooperative_change", args=[coop.pk]))
    key_page = client.get(reverse("admin:cooperatives_membership_change", args=[membership.pk]))

    assert user_links(history) == [account]
    assert account not in user_links(cooperative)  # editable there: a choice, not a link
    assert key_page.status_code == 200


def test_an_auditor_reads_a_purchases_collection_centre_as_text(client, coop, auditor):
    centre = factories.CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    delivery = factories.DeliveryFactory(producer=factories.ProducerFactory(cooperative=coop), collection_centre=centre)
    client.force_login(auditor)

    response = client.get(reverse("admin:harvests_delivery_change", args=[delivery.pk]))

    assert response.status_code == 200
    assert reverse("admin:cooperatives_collectioncentre_change", args=[centre.pk]) not in response.text
    assert '<div class="readonly">Centro Chazuta</div>' in response.text
