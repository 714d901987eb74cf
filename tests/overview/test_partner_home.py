"""A partner's page: what the API offers them, the keys of their cooperatives and the docs, never a secret."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperatives import roles
from cooperatives.models import PartnerKey
from cooperatives.services import partner_key_issue, partner_key_revoke
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db


def test_it_lists_the_keys_of_the_partners_cooperatives_without_their_secret(client, partner, coop, other_coop):
    expiry = timezone.make_aware(datetime.datetime(2027, 3, 31, 12))
    cioccolato, key = partner_key_issue(
        name="Cioccolato Italiano",
        cooperatives=[coop, other_coop],
        scope=PartnerKey.Scope.WRITE,
        personal_data=True,
        expiry_date=expiry,
    )
    partner_key_issue(name="Vecina's buyer", cooperatives=[other_coop])
    client.force_login(partner)

    response = client.get(reverse("partner_home"))

    assert response.status_code == 200
    assert text_of(response, "partner-keys") == (
        "Name Scope Members' personal data Expires Cooperatives State "
        "Cioccolato Italiano Read and write shown 31/03/2027 Allima Cacao in use"
    )
    for secret in (key, key.partition(".")[2], cioccolato.pk, cioccolato.hashed_key, cioccolato.prefix):
        assert secret not in response.text


def test_it_says_which_keys_are_revoked_or_expired(client, partner, coop):
    revoked, _key = partner_key_issue(name="Old buyer", cooperatives=[coop])
    partner_key_revoke(partner_key=revoked)
    partner_key_issue(
        name="Last year's certifier", cooperatives=[coop], expiry_date=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(partner)

    text = text_of(client.get(reverse("partner_home")), "partner-keys")

    assert "Last year's certifier Read only hidden" in text
    assert text.endswith("expired Old buyer Read only hidden never Allima Cacao revoked")


def test_it_says_so_when_no_key_was_issued(client, partner):
    client.force_login(partner)

    response = client.get(reverse("partner_home"))

    assert text_of(response, "partner-no-keys") == "No key has been issued for your cooperatives yet."


def test_it_shows_what_each_scope_of_key_may_do_with_each_resource(client, partner):
    client.force_login(partner)

    text = text_of(client.get(reverse("partner_home")), "api-resources")

    assert text.startswith("Resource Address Key: read only Key: read and write ")
    assert "Producers /api/v1/producers/ reads reads and writes" in text
    assert "Cooperatives /api/v1/cooperatives/ reads reads " in text
    assert "Buyers /api/v1/buyers/ reads reads " in text


def test_it_links_to_the_api_documentation(client, partner):
    client.force_login(partner)

    response = client.get(reverse("partner_home"))

    for name in ("api:docs", "api:redoc", "api:schema", "api:api-root"):
        assert f'href="{reverse(name)}"' in response.text


def test_it_is_in_spanish_first(client, partner, coop):
    partner_key_issue(name="Cioccolato Italiano", cooperatives=[coop])
    client.force_login(partner)

    response = client.get(reverse("partner_home"), headers={"Accept-Language": "es"})

    assert "<h1>Su acceso a la API</h1>" in response.text
    assert "Cioccolato Italiano Solo lectura ocultos nunca Allima Cacao en uso" in text_of(response, "partner-keys")


@pytest.mark.parametrize("role", [roles.MANAGER, roles.FIELD_OFFICER, roles.AUDITOR])
def test_it_is_for_partners_only(client, coop, role):
    client.force_login(factories.staff_for(coop, role))

    assert client.get(reverse("partner_home")).status_code == 403


def test_it_asks_a_stranger_to_log_in(client):
    response = client.get(reverse("partner_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
