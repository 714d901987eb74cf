"""A cooperative issues API keys to its partners: named, scoped, expiring, revocable, stored as a hash."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient, APIRequestFactory

from cooperatives import roles
from cooperatives.api.authentication import PartnerKeyAuthentication
from cooperatives.models import PartnerKey
from cooperatives.services import partner_key_change, partner_key_issue, partner_key_revoke
from tests.factories import CooperativeFactory, PlotFactory, ProducerFactory, UserFactory, staff_for

pytestmark = pytest.mark.django_db


def authenticate(header):
    request = APIRequestFactory().get("/api/v1/producers/", HTTP_AUTHORIZATION=header)
    return PartnerKeyAuthentication().authenticate(request)


def test_the_command_prints_a_key_once_and_stores_only_its_hash():
    coop = CooperativeFactory(code="allima")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_key", "--cooperative", "allima", "--scope", "read", "--name", "Cioccolato", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    partner_key = PartnerKey.objects.get()
    assert partner_key.name == "Cioccolato"
    assert key.startswith(partner_key.prefix + ".")
    assert key not in partner_key.hashed_key
    assert list(partner_key.cooperatives) == [coop]
    assert "shown once" in err.getvalue()


def test_the_command_finds_a_cooperative_by_its_ruc_too():
    coop = CooperativeFactory(ruc="20512333797")

    call_command("create_api_key", "--cooperative", "20512333797", stdout=io.StringIO(), stderr=io.StringIO())

    assert list(PartnerKey.objects.get().cooperatives) == [coop]


def test_the_command_refuses_an_unknown_cooperative():
    with pytest.raises(CommandError, match=r"No cooperative has the code or RUC 'nowhere'\."):
        call_command("create_api_key", "--cooperative", "nowhere", stdout=io.StringIO(), stderr=io.StringIO())
    assert PartnerKey.objects.count() == 0


@pytest.mark.parametrize("keyword", ["Api-Key", "Bearer"])
def test_a_key_authenticates_as_its_own_account(keyword):
    partner_key, key = partner_key_issue(name="Buyer", cooperatives=[CooperativeFactory()])

    user, auth = authenticate(f"{keyword} {key}")

    assert user == partner_key.account
    assert auth == partner_key


def test_a_read_key_reads_as_a_partner_and_a_write_key_works_as_a_field_officer():
    coop = CooperativeFactory()
    reader, _ = partner_key_issue(name="Buyer", cooperatives=[coop], scope="read")
    writer, _ = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")

    assert list(reader.account.groups.all()) == [Group.objects.get(name=roles.PARTNER)]
    assert list(writer.account.groups.all()) == [Group.objects.get(name=roles.FIELD_OFFICER)]
    assert reader.account.has_perm("producers.view_producer") is True
    assert reader.account.has_perm("producers.change_producer") is False
    assert writer.account.has_perm("producers.change_producer") is True


def test_a_revoked_key_is_refused():
    partner_key, key = partner_key_issue(name="Old buyer", cooperatives=[CooperativeFactory()])
    partner_key_revoke(partner_key=partner_key)

    with pytest.raises(AuthenticationFailed, match="not valid or was revoked"):
        authenticate(f"Api-Key {key}")


def test_an_expired_key_is_refused():
    expired = timezone.now() - datetime.timedelta(days=1)
    _, key = partner_key_issue(name="Last season", cooperatives=[CooperativeFactory()], expiry_date=expired)

    with pytest.raises(AuthenticationFailed, match="expired"):
        authenticate(f"Api-Key {key}")


def test_a_made_up_key_is_refused():
    with pytest.raises(AuthenticationFailed):
        authenticate("Api-Key abcdefgh.not-a-real-secret")


def test_no_key_leaves_authentication_to_the_session():
    assert authenticate("") is None
    assert authenticate("Basic dXNlcjpwYXNz") is None


def test_a_manager_issues_a_key_in_the_admin_and_sees_it_once(client):
    coop, other = CooperativeFactory(), CooperativeFactory()
    manager = staff_for(coop, roles.MANAGER)
    client.force_login(manager)

    response = client.post(
        reverse("admin:cooperatives_partnerkey_add"),
        {"name": "Cioccolato Italiano", "cooperatives": [coop.pk], "scope": "read", "expiry_date": ""},
        follow=True,
    )

    assert response.status_code == 200
    partner_key = PartnerKey.objects.get()
    message = next(str(m) for m in response.context["messages"])
    assert f"{partner_key.prefix}." in message
    assert partner_key.issued_by == manager
    assert list(partner_key.cooperatives) == [coop]
    refused = client.post(
        reverse("admin:cooperatives_partnerkey_add"), {"name": "Sneaky", "cooperatives": [other.pk], "scope": "read"}
    )
    assert refused.status_code == 200
    assert "cooperatives" in refused.context["adminform"].form.errors
    assert PartnerKey.objects.count() == 1


def test_a_manager_revokes_a_key_in_the_admin(client):
    coop = CooperativeFactory()
    partner_key, key = partner_key_issue(name="Buyer", cooperatives=[coop])
    client.force_login(staff_for(coop, roles.MANAGER))

    response = client.post(
        reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]),
        {"name": "Buyer", "cooperatives": [coop.pk], "scope": "read", "revoked": "on"},
    )

    assert response.status_code == 302
    partner_key.refresh_from_db()
    assert partner_key.revoked is True
    assert partner_key.account.is_active is False
    with pytest.raises(AuthenticationFailed):
        authenticate(f"Api-Key {key}")


def test_a_manager_of_another_cooperative_does_not_see_the_key(client):
    partner_key, _ = partner_key_issue(name="Buyer", cooperatives=[CooperativeFactory()])
    client.force_login(staff_for(CooperativeFactory(), roles.MANAGER))

    listing = client.get(reverse("admin:cooperatives_partnerkey_changelist"))
    page = client.get(reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]))

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []
    assert page.status_code == 302


def _key_form(partner_key, cooperatives, **changes):
    """The key's change form as the admin posts it, with `changes` over what the key holds."""
    data = {
        "name": partner_key.name,
        "cooperatives": [c.pk for c in cooperatives],
        "scope": partner_key.scope,
        "expiry_date": "",
    }
    if partner_key.personal_data:
        data["personal_data"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _api(key):
    return APIClient(headers={"Authorization": f"Api-Key {key}", "Accept-Language": "en"})


def test_a_write_key_set_to_read_only_in_the_admin_no_longer_writes(client):
    coop = CooperativeFactory()
    plot = PlotFactory(producer__cooperative=coop)
    partner_key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")
    assert _api(key).patch(f"/api/v1/plots/{plot.pk}/", {"name": "Antes"}, format="json").status_code == 200
    client.force_login(staff_for(coop, roles.MANAGER))

    response = client.post(
        reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]),
        _key_form(partner_key, [coop], scope="read"),
    )

    assert response.status_code == 302
    partner_key.refresh_from_db()
    assert partner_key.scope == "read"
    assert list(partner_key.account.groups.values_list("name", flat=True)) == [roles.PARTNER]
    refused = _api(key).patch(f"/api/v1/plots/{plot.pk}/", {"name": "Después"}, format="json")
    assert refused.status_code == 403
    plot.refresh_from_db()
    assert plot.name == "Antes"


def test_a_read_key_set_to_read_and_write_in_the_admin_writes(client):
    coop = CooperativeFactory()
    plot = PlotFactory(producer__cooperative=coop, name="Antes")
    partner_key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="read")
    assert _api(key).patch(f"/api/v1/plots/{plot.pk}/", {"name": "Después"}, format="json").status_code == 403
    client.force_login(staff_for(coop, roles.MANAGER))

    client.post(
        reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]),
        _key_form(partner_key, [coop], scope="write"),
    )

    assert list(partner_key.account.groups.values_list("name", flat=True)) == [roles.FIELD_OFFICER]
    assert _api(key).patch(f"/api/v1/plots/{plot.pk}/", {"name": "Después"}, format="json").status_code == 200


def test_the_admin_renames_a_key_and_clears_its_expiry_date(client):
    coop = CooperativeFactory()
    expiry = timezone.now() + datetime.timedelta(days=30)
    partner_key, _ = partner_key_issue(name="Buyer", cooperatives=[coop], expiry_date=expiry)
    client.force_login(staff_for(coop, roles.MANAGER))

    client.post(
        reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]),
        _key_form(partner_key, [coop], name="Cioccolato Italiano", expiry_date=""),
    )

    partner_key.refresh_from_db()
    assert partner_key.name == "Cioccolato Italiano"
    assert partner_key.expiry_date is None


def test_a_key_shared_with_another_cooperative_is_read_only_to_a_manager_of_one_of_them(client):
    mine, theirs = CooperativeFactory(name="Allima Cacao"), CooperativeFactory(name="Cooperativa Vecina")
    partner_key, key = partner_key_issue(name="Shared buyer", cooperatives=[mine, theirs])
    ProducerFactory(cooperative=theirs, dni="44556677")
    client.force_login(staff_for(mine, roles.MANAGER))
    url = reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk])

    page = client.get(url)
    personal = client.post(url, _key_form(partner_key, [mine], personal_data="on"))
    revoke = client.post(url, _key_form(partner_key, [mine], revoked="on"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    text = page.content.decode()
    assert 'name="scope"' not in text and 'name="cooperatives"' not in text and 'name="revoked"' not in text
    assert "Allima Cacao, and 1 other cooperative: only who manages all of them may change this key." in text
    assert "Cooperativa Vecina" not in text
    assert personal.status_code == 403
    assert revoke.status_code == 403
    partner_key.refresh_from_db()
    assert (partner_key.personal_data, partner_key.revoked) == (False, False)
    assert set(partner_key.cooperatives) == {mine, theirs}
    listed = _api(key).get("/api/v1/producers/", {"cooperative": theirs.pk})
    assert listed.status_code == 200
    assert all("dni" not in row for row in listed.json()["results"])


def test_a_manager_of_every_cooperative_of_a_shared_key_changes_it(client):
    mine, theirs = CooperativeFactory(), CooperativeFactory()
    partner_key, _ = partner_key_issue(name="Shared buyer", cooperatives=[mine, theirs])
    client.force_login(staff_for([mine, theirs], roles.MANAGER))

    response = client.post(
        reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk]),
        _key_form(partner_key, [mine, theirs], personal_data="on"),
    )

    assert response.status_code == 302
    partner_key.refresh_from_db()
    assert partner_key.personal_data is True


def test_the_service_refuses_a_change_of_a_shared_key_by_a_manager_of_one_cooperative():
    mine, theirs = CooperativeFactory(), CooperativeFactory()
    partner_key, _ = partner_key_issue(name="Shared buyer", cooperatives=[mine, theirs])
    manager = staff_for(mine, roles.MANAGER)

    with pytest.raises(PermissionDenied):
        partner_key_change(partner_key=partner_key, changed_by=manager, personal_data=True)
    with pytest.raises(PermissionDenied):
        partner_key_change(partner_key=partner_key, changed_by=manager, revoked=True)

    partner_key.refresh_from_db()
    assert (partner_key.personal_data, partner_key.revoked) == (False, False)


def test_the_service_compares_with_the_stored_key_not_the_object_given():
    coop = CooperativeFactory()
    partner_key, _ = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")
    partner_key.scope = "read"  # as a form sets it before the change is saved

    partner_key_change(partner_key=partner_key, changed_by=staff_for(coop, roles.MANAGER), scope="read")

    assert list(partner_key.account.groups.values_list("name", flat=True)) == [roles.PARTNER]


def test_a_manager_cannot_give_a_key_a_cooperative_they_do_not_work_for():
    coop, other = CooperativeFactory(), CooperativeFactory()
    partner_key, _ = partner_key_issue(name="Buyer", cooperatives=[coop])

    with pytest.raises(PermissionDenied):
        partner_key_change(
            partner_key=partner_key, changed_by=staff_for(coop, roles.MANAGER), cooperatives=[coop, other]
        )

    assert list(partner_key.cooperatives) == [coop]


def test_a_revoked_key_is_shown_read_only_and_cannot_be_restored(client):
    coop = CooperativeFactory()
    partner_key, _ = partner_key_issue(name="Old buyer", cooperatives=[coop])
    partner_key_revoke(partner_key=partner_key)
    client.force_login(staff_for(coop, roles.MANAGER))
    url = reverse("admin:cooperatives_partnerkey_change", args=[partner_key.pk])

    page = client.get(url)
    restored = client.post(url, _key_form(partner_key, [coop], revoked=None))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert restored.status_code == 403
    partner_key.refresh_from_db()
    assert partner_key.revoked is True
    with pytest.raises(ValidationError):
        partner_key_change(partner_key=partner_key, changed_by=UserFactory(is_superuser=True), revoked=False)
