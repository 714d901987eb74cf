"""403, 404 and 500 are pages of the site, in the user's language, with a way back to the start."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.html import text_of

pytestmark = pytest.mark.django_db

ENGLISH = {
    403: ("You may not open this page", "Your role does not give access to this page."),
    404: ("Page not found", "This page does not exist, or it belongs to a cooperative you do not work for."),
    500: ("Something went wrong", "Minka could not finish what you asked for."),
}
SPANISH = {
    403: ("No puede abrir esta página", "Su rol no da acceso a esta página."),
    404: ("Página no encontrada", "Esta página no existe o pertenece a una cooperativa para la que no trabaja."),
    500: ("Algo salió mal", "Minka no pudo terminar lo que pidió."),
}
BACK = {"en": "Go to the start", "es": "Ir al inicio"}


def assert_error_page(response, status, language):
    heading, explanation = (ENGLISH if language == "en" else SPANISH)[status]
    assert response.status_code == status
    assert f'<html lang="{language}">' in response.text
    assert f"<h1>{heading}</h1>" in response.text
    assert explanation in text_of(response, "error")
    assert f'<a class="button" href="{reverse("home")}">{BACK[language]}</a>' in response.text
    assert 'class="topbar"' in response.text  # inside the site's layout


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_page_a_role_may_not_open_answers_403_in_the_users_language(client, partner, coop, language):
    client.force_login(partner)

    response = client.get(reverse("dashboard", args=[coop.code]), headers={"Accept-Language": language})

    assert_error_page(response, 403, language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_an_unknown_address_answers_404_in_the_users_language(client, manager, language):
    client.force_login(manager)

    response = client.get("/c/allima/no-such-page/", headers={"Accept-Language": language})

    assert_error_page(response, 404, language)
    assert f"Log out ({manager.username})" in response.text or f"Cerrar sesión ({manager.username})" in response.text


@pytest.mark.parametrize("language", ["es", "en"])
def test_another_cooperatives_page_answers_the_same_404(client, manager, other_coop, language):
    client.force_login(manager)

    response = client.get(reverse("dashboard", args=[other_coop.code]), headers={"Accept-Language": language})

    assert_error_page(response, 404, language)


def test_a_stranger_is_answered_404_in_spanish_by_default():
    response = Client().get("/no-such-page/")

    assert_error_page(response, 404, "es")


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("language", ["es", "en"])
def test_a_failure_answers_500_in_the_users_language_even_with_the_database_down(manager, django_db_blocker, language):
    client = Client(raise_request_exception=False, headers={"Accept-Language": language})
    client.force_login(manager)

    # Every query now fails: the page may ask nothing of the database (no user, no context processors).
    with django_db_blocker.block():
        response = client.get("/fails/")

    assert_error_page(response, 500, language)
    assert "Log out" not in response.text
