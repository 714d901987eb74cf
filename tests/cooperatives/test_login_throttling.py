"""Guessing passwords: the login pages lock an account and an address, and a manager unlocks a colleague."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse
from django.utils.timezone import localtime

from cooperatives import roles
from cooperatives.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"
LOCKED = "Too many failed logins for this account or from this address. Logging in is locked until"
ASK = "try again then, or ask a manager of your cooperative to unlock your account."
LOGIN_PAGES = [pytest.param("/accounts/login/", id="pages"), pytest.param("/admin/login/", id="admin")]
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")


def log_in(client, page, username, password, address):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


def guess(client, page, username, times, address=ATTACKER):
    return [log_in(client, page, username, f"guess-{n}", address).status_code for n in range(times)]


def logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_thirty_wrong_passwords_then_the_right_one_are_refused_with_the_reason(client, manager, page):
    answers = guess(client, page, manager.username, 30)
    right = log_in(client, page, manager.username, PASSWORD, ATTACKER)

    # Four times the form's own "enter a correct username and password", then the lock from the fifth on.
    assert answers == [200] * 4 + [429] * 26
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert LOCKED in right.text
    assert ASK in right.text
    assert "Please enter a correct username and password" not in right.text
    assert f'value="{manager.username}"' in right.text
    assert logged_in_as(client) is None


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_the_account_stays_locked_from_another_address(client, manager, page):
    guess(client, page, manager.username, 5)

    response = log_in(client, page, manager.username, PASSWORD, OFFICE)

    assert response.status_code == 429
    assert LOCKED in response.text
    assert logged_in_as(client) is None


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_another_account_from_another_address_still_logs_in(client, manager, field_officer, page):
    guess(client, page, manager.username, 30)

    response = log_in(client, page, field_officer.username, PASSWORD, OFFICE)

    assert response.status_code == 302
    assert logged_in_as(client) == str(field_officer.pk)


def test_an_address_that_tried_several_accounts_is_locked_for_every_account(client, manager, field_officer):
    for n in range(5):
        log_in(client, "/accounts/login/", f"nobody-{n}", "guess", ATTACKER)

    from_there = log_in(client, "/accounts/login/", field_officer.username, PASSWORD, ATTACKER)
    from_elsewhere = log_in(client, "/accounts/login/", manager.username, PASSWORD, OFFICE)

    assert from_there.status_code == 429
    assert LOCKED in from_there.text
    assert from_elsewhere.status_code == 302
    assert logged_in_as(client) == str(manager.pk)


def test_the_lock_ends_when_its_time_has_passed(client, manager):
    guess(client, "/accounts/login/", manager.username, 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))

    response = log_in(client, "/accounts/login/", manager.username, PASSWORD, ATTACKER)

    assert response.status_code == 302


def test_the_page_says_it_in_spanish(client, manager):
    guess(client, "/accounts/login/", manager.username, 5)

    response = client.post(
        "/accounts/login/",
        {"username": manager.username, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 429
    assert "Demasiados inicios de sesión fallidos con esta cuenta o desde esta dirección." in response.text
    assert "pida a un gerente de su cooperativa que desbloquee su cuenta." in response.text


def test_a_forged_forwarded_address_does_not_escape_the_lock(client, manager):
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"nobody-{n}", "password": "guess"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    response = client.post(
        "/accounts/login/",
        {"username": manager.username, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )

    assert response.status_code == 429


def test_behind_one_proxy_each_client_counts_by_the_address_the_proxy_saw(client, manager, field_officer):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        for n in range(5):
            # The attacker writes an address of its own first; the proxy appends the one it saw.
            client.post(
                "/accounts/login/",
                {"username": f"nobody-{n}", "password": "guess"},
                HTTP_X_FORWARDED_FOR=f"{OFFICE}, {ATTACKER}",
                **proxy,
            )
        attacker = client.post(
            "/accounts/login/",
            {"username": manager.username, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=ATTACKER,
            **proxy,
        )
        office = client.post(
            "/accounts/login/",
            {"username": field_officer.username, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=OFFICE,
            **proxy,
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert attacker.status_code == 429
    assert office.status_code == 302


# Unlocking


def locked(client, user):
    guess(client, "/accounts/login/", user.username, 5, address=OFFICE)
    return AccessAttempt.objects.get(username=user.username)


def unlock(client, *attempts):
    return client.post(ATTEMPTS, {"action": "unlock", "_selected_action": [attempt.pk for attempt in attempts]})


def test_a_manager_sees_a_locked_colleague_and_unlocks_them(client, manager, field_officer):
    attempt = locked(client, field_officer)
    client.force_login(manager)

    listed = client.get(ATTEMPTS)
    unlocked = unlock(client, attempt)

    assert listed.status_code == 200
    assert [row.username for row in listed.context["cl"].result_list] == [field_officer.username]
    assert unlocked.status_code == 302
    assert AccessAttempt.objects.filter(username=field_officer.username).exists() is False
    client.logout()
    assert log_in(client, "/accounts/login/", field_officer.username, PASSWORD, OFFICE).status_code == 302


def test_a_manager_unlocks_a_colleague_from_the_rows_own_page_too(client, manager, field_officer):
    attempt = locked(client, field_officer)
    client.force_login(manager)
    page = reverse("admin:axes_accessattempt_change", args=[attempt.pk])

    shown = client.get(page)
    unlocked = client.post(page, {"CHANGE_FORM-action": "unlock", "_selected_action": attempt.pk})

    assert shown.status_code == 200
    assert unlocked.status_code == 302
    assert unlocked["Location"] == ATTEMPTS
    assert AccessAttempt.objects.exists() is False
    assert f"Unlocked: {field_officer.username}." in client.get(ATTEMPTS).text


def test_unlocking_clears_the_colleagues_failures_from_every_address(client, manager, field_officer):
    locked(client, field_officer)
    guess(client, "/accounts/login/", field_officer.username, 2, address=ATTACKER)
    client.force_login(manager)

    unlock(client, AccessAttempt.objects.get(username=field_officer.username, ip_address=OFFICE))

    assert AccessAttempt.objects.count() == 0


def test_a_manager_of_another_cooperative_neither_sees_nor_unlocks_the_colleague(client, other_manager, field_officer):
    attempt = locked(client, field_officer)
    client.force_login(other_manager)

    listed = client.get(ATTEMPTS)
    change = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    delete = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    unlock(client, attempt)

    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == []
    assert change.status_code == 404
    assert delete.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk, failures_since_start=5).exists() is True


def test_someone_working_for_both_cooperatives_is_unlocked_by_either_manager(client, coop, other_coop, other_manager):
    both = factories.staff_for([coop, other_coop], roles.FIELD_OFFICER)
    attempt = locked(client, both)
    client.force_login(other_manager)

    unlock(client, attempt)

    assert AccessAttempt.objects.filter(pk=attempt.pk).exists() is False


def test_a_manager_does_not_see_failures_at_names_of_nobody_or_of_a_superuser(client, coop, manager, superuser):
    Membership.objects.create(user=superuser, cooperative=coop)
    guess(client, "/accounts/login/", "nobody", 5)
    locked(client, superuser)
    client.force_login(manager)

    listed = client.get(ATTEMPTS)

    assert list(listed.context["cl"].result_list) == []


def test_a_field_officer_may_not_open_the_failed_logins(client, field_officer, manager):
    attempt = locked(client, manager)
    client.force_login(field_officer)

    assert client.get(ATTEMPTS).status_code == 403
    assert client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).status_code == 403
    assert unlock(client, attempt).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists() is True


def test_a_superuser_unlocks_anyone_and_any_address(client, superuser, other_manager):
    guess(client, "/accounts/login/", "nobody", 5)
    attempt = locked(client, other_manager)
    client.force_login(superuser)

    listed = client.get(ATTEMPTS)
    unlock(client, *AccessAttempt.objects.all())

    assert {row.username for row in listed.context["cl"].result_list} == {"nobody", attempt.username}
    assert AccessAttempt.objects.count() == 0


def test_the_list_says_until_when_an_account_is_locked(client, manager, field_officer):
    attempt = locked(client, field_officer)
    guess(client, "/accounts/login/", field_officer.username, 1, address=ATTACKER)
    client.force_login(manager)

    rows = {row.ip_address: row for row in client.get(ATTEMPTS).context["cl"].result_list}
    locked_until = admin.site.get_model_admin(AccessAttempt).locked_until

    # Locked by its failures from both addresses together, each row until 15 minutes after its last.
    assert locked_until(rows[OFFICE]) == localtime(attempt.attempt_time + timedelta(minutes=15))
    assert locked_until(rows[ATTACKER]) == localtime(rows[ATTACKER].attempt_time + timedelta(minutes=15))


def test_a_manager_finds_the_failed_logins_on_the_admins_index_in_spanish(client, manager, field_officer):
    client.force_login(manager)
    managers_index = client.get("/admin/", headers={"Accept-Language": "es"})
    client.force_login(field_officer)
    officers_index = client.get("/admin/", headers={"Accept-Language": "es"})

    assert ">Inicios de sesión</a>" in managers_index.text  # the app
    assert ">Inicios de sesión fallidos</a>" in managers_index.text  # its page
    assert ATTEMPTS in managers_index.text
    assert ATTEMPTS not in officers_index.text
