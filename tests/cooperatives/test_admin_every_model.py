"""Every registered model, seen by a manager of its cooperative and by a manager of another one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperatives.models import Cooperative, District, DistrictBoundary, Membership
from tests import factories
from tests.admin_helpers import (
    BUILDERS,
    MANAGER_CANNOT_ADD,
    MINKA_APPS,
    REGISTERED,
    SCOPED,
    changelist_pks,
    label,
    ruc,
    url,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-76.2, -6.6], [-76.1, -6.6], [-76.1, -6.5], [-76.2, -6.5], [-76.2, -6.6]]],
}


def test_every_registered_model_has_a_builder_for_these_tests():
    assert set(BUILDERS) == set(REGISTERED)
    assert {model._meta.app_label for model in REGISTERED} == MINKA_APPS


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_manager_of_the_cooperative_gets_the_changelist_and_the_change_page(client, coop, manager, model):
    obj = BUILDERS[model](coop)
    client.force_login(manager)

    changelist = client.get(url(model, "changelist"))
    change = client.get(url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert obj.pk in changelist_pks(changelist)
    assert change.status_code == 200
    assert change.context["original"] == obj


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_manager_gets_the_add_page_of_what_his_role_may_add(client, coop, manager, model):
    client.force_login(manager)

    response = client.get(url(model, "add"))

    assert response.status_code == (403 if model in MANAGER_CANNOT_ADD else 200)


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_manager_of_another_cooperative_neither_lists_nor_opens_its_rows(client, coop, other_manager, model):
    obj = BUILDERS[model](coop)
    client.force_login(other_manager)

    changelist = client.get(url(model, "changelist"))
    change = client.get(url(model, "change", obj.pk))

    assert changelist.status_code == 200
    assert obj.pk not in changelist_pks(changelist)
    assert change.status_code == 302
    assert change.url == url(model, "changelist").rsplit("/", 3)[0] + "/"  # the admin index, as for a missing object


@pytest.mark.parametrize("model", [m for m in SCOPED if hasattr(m, "history")], ids=label)
def test_manager_of_another_cooperative_cannot_read_its_history(client, coop, other_manager, model):
    obj = BUILDERS[model](coop)
    version = obj.history.latest()
    client.force_login(other_manager)

    history = client.get(url(model, "history", obj.pk))
    one_version = client.get(url(model, "simple_history", obj.pk, version.history_id))

    assert history.status_code == 404
    assert one_version.status_code == 404


@pytest.mark.parametrize("model", SCOPED, ids=label)
def test_superuser_sees_the_rows_of_both_cooperatives(client, coop, other_coop, superuser, model):
    mine, theirs = BUILDERS[model](coop), BUILDERS[model](other_coop)
    client.force_login(superuser)

    response = client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert {mine.pk, theirs.pk} <= changelist_pks(response)


def _build_for_manager(model, coop, manager, n):
    if model is Cooperative:
        # Cooperatives are scoped by membership: the manager works for each new one.
        cooperative = factories.CooperativeFactory(ruc=ruc(n))
        Membership.objects.create(user=manager, cooperative=cooperative)
        return cooperative
    if model is DistrictBoundary:
        # One boundary per district: each new one goes to a district that has none yet.
        district = District.objects.filter(boundary__isnull=True).order_by("inei").first()
        return DistrictBoundary.objects.create(district=district, geometry=SQUARE, source="Prueba")
    return BUILDERS[model](coop)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_a_changelist_costs_as_many_queries_for_30_rows_as_for_3(
    client, coop, manager, model, django_assert_max_num_queries
):
    client.force_login(manager)
    for n in range(3):
        _build_for_manager(model, coop, manager, n)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url(model, "changelist")).status_code == 200
    for n in range(3, 30):
        _build_for_manager(model, coop, manager, n)

    with django_assert_max_num_queries(len(three)):
        response = client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30 or model._meta.label in {
        "cooperatives.District",
        "certifications.Standard",
        "fairtrade.PremiumAccount",  # one per cooperative
    }
