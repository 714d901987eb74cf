"""Logging in, out and changing one's password; where each person lands."""

import pytest
from django.urls import reverse

from cooperatives import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_spanish_by_default(client):
    response = client.get(reverse("login"), headers={"Accept-Language": "es"})

    assert response.status_code == 200
    assert "Iniciar sesión" in response.text


def test_a_wrong_password_keeps_the_name_and_says_why(client, manager):
    response = client.post(
        reverse("login"), {"username": manager.username, "password": "wrong"}, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 200
    assert f'value="{manager.username}"' in response.text
    assert "Please enter a correct username and password" in response.text


def test_a_manager_of_one_cooperative_lands_on_its_dashboard(client, manager, coop):
    manager.set_password("secret-pass-1")
    manager.save()

    response = client.post(reverse("login"), {"username": manager.username, "password": "secret-pass-1"})

    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("dashboard", args=[coop.code])


def test_someone_working_for_several_cooperatives_lands_on_the_overview(client, coop, other_coop):
    federation = factories.staff_for([coop, other_coop], roles.MANAGER)
    client.force_login(federation)

    assert client.get(reverse("home"))["Location"] == reverse("overview")


def test_a_partner_lands_on_the_page_of_their_api_access(client, partner):
    client.force_login(partner)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("partner_home")
    assert client.get(response["Location"]).status_code == 200


def test_a_partner_has_no_dashboard(client, partner, coop):
    client.force_login(partner)

    assert client.get(reverse("dashboard", args=[coop.code])).status_code == 403


def test_someone_with_no_role_is_refused_the_home_page_in_the_sites_layout(client, coop):
    nobody = factories.UserFactory()
    client.force_login(nobody)

    response = client.get(reverse("home"))

    assert response.status_code == 403
    assert "You may not open this page" in response.text


def test_the_home_page_asks_a_stranger_to_log_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logging_out_takes_a_post_and_leads_back_to_the_login(client, manager):
    client.force_login(manager)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_changing_the_password_checks_the_old_one(client, field_officer):
    field_officer.set_password("old-pass-123")
    field_officer.save()
    client.force_login(field_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("password_change")

    refused = client.post(
        url, {"old_password": "nope", "new_password1": "Cacao-2026!x", "new_password2": "Cacao-2026!x"}
    )
    accepted = client.post(
        url, {"old_password": "old-pass-123", "new_password1": "Cacao-2026!x", "new_password2": "Cacao-2026!x"}
    )

    assert refused.status_code == 200
    assert "Your old password was entered incorrectly" in refused.text
    assert accepted["Location"] == reverse("password_change_done")
    field_officer.refresh_from_db()
    assert field_officer.check_password("Cacao-2026!x")


def test_the_language_switcher_remembers_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert response["Location"] == reverse("login")
    assert "Log in" in client.get(reverse("login")).text


def test_every_page_loads_its_scripts_and_styles_from_this_server(client):
    page = client.get(reverse("login")).text

    assert "https://" not in page.split("<main")[0]
    assert "/static/minka/minka.css" in page
