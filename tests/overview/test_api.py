"""/api/v1/cooperatives/ (read-only) and /api/v1/collection-centres/, scoped to the caller's cooperatives."""

import datetime

import pytest
from rest_framework import serializers

from cooperatives.models import CollectionCentre, Cooperative
from tests.factories import CHAZUTA, CollectionCentreFactory, DeliveryFactory, staff_for

pytestmark = pytest.mark.django_db

COOPERATIVES = "/api/v1/cooperatives/"
CENTRES = "/api/v1/collection-centres/"


def stamp(value):
    return serializers.DateTimeField().to_representation(value)


def cooperative_body(coop):
    coop.refresh_from_db()
    return {
        "id": coop.pk,
        "name": coop.name,
        "code": coop.code,
        "ruc": coop.ruc,
        "district": coop.district_id,
        "address": coop.address,
        "founded": None,
        "phone": "",
        "email": "",
        "area_tolerance_pct": "10.00",
        "plausibility_tolerance_pct": "20.00",
        "modified": stamp(coop.modified),
    }


def centre_body(centre):
    centre.refresh_from_db()
    return {
        "id": centre.pk,
        "cooperative": centre.cooperative_id,
        "name": centre.name,
        "district": centre.district_id,
        "community": centre.community,
        "wet_to_dry_ratio": str(centre.wet_to_dry_ratio),
        "is_active": centre.is_active,
        "modified": stamp(centre.modified),
    }


def ids(response):
    return [row["id"] for row in response.json()["results"]]


# Cooperatives


@pytest.mark.parametrize("role", ["manager", "field_officer", "partner", "auditor"])
def test_every_role_lists_only_its_own_cooperatives(api, coop, other_coop, role, request):
    response = api(request.getfixturevalue(role)).get(COOPERATIVES)

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [cooperative_body(coop)]}


def test_someone_working_for_two_cooperatives_sees_both_by_name(api, coop, other_coop):
    both = staff_for([coop, other_coop])

    response = api(both).get(COOPERATIVES)

    assert ids(response) == [coop.pk, other_coop.pk]


def test_another_cooperative_answers_404(api, manager, other_coop):
    response = api(manager).get(f"{COOPERATIVES}{other_coop.pk}/")

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_cooperatives_are_read_only_even_for_their_manager(api, manager, coop, method):
    url = COOPERATIVES if method == "post" else f"{COOPERATIVES}{coop.pk}/"

    response = getattr(api(manager), method)(url, {"name": "Changed"})

    assert response.status_code in (403, 405)
    coop.refresh_from_db()
    assert coop.name == "Allima Cacao"
    assert Cooperative.objects.count() == 1


def test_a_manager_reads_the_cooperative(api, manager, coop):
    response = api(manager).get(f"{COOPERATIVES}{coop.pk}/")

    assert response.status_code == 200
    assert response.json() == cooperative_body(coop)


# Collection centres


@pytest.mark.parametrize("role", ["manager", "field_officer", "partner"])
def test_the_roles_who_buy_or_partner_list_the_centres(api, coop, other_coop, role, request):
    centre = CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    CollectionCentreFactory(cooperative=other_coop)

    response = api(request.getfixturevalue(role)).get(CENTRES)

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [centre_body(centre)]}


def test_an_auditor_has_no_access_to_collection_centres(api, auditor, coop):
    CollectionCentreFactory(cooperative=coop)

    response = api(auditor).get(CENTRES)

    assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_cooperatives_centre_answers_404(api, manager, other_coop, method):
    theirs = CollectionCentreFactory(cooperative=other_coop, name="Centro Vecino")

    response = getattr(api(manager), method)(f"{CENTRES}{theirs.pk}/", {"name": "Changed"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Centro Vecino"


def test_a_manager_opens_a_centre(api, manager, coop):
    response = api(manager).post(
        CENTRES,
        {"cooperative": coop.pk, "name": "Centro Curiyacu", "district": CHAZUTA, "wet_to_dry_ratio": "2.60"},
    )

    assert response.status_code == 201
    centre = CollectionCentre.objects.get()
    assert (centre.cooperative, centre.name, str(centre.wet_to_dry_ratio)) == (coop, "Centro Curiyacu", "2.60")
    assert response.json() == centre_body(centre)


def test_a_ratio_below_one_answers_400(api, manager, coop):
    response = api(manager).post(
        CENTRES, {"cooperative": coop.pk, "name": "Centro Curiyacu", "wet_to_dry_ratio": "0.5"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "min_value",
                "detail": "Ensure this value is greater than or equal to 1.",
                "attr": "wet_to_dry_ratio",
            }
        ],
    }
    assert CollectionCentre.objects.count() == 0


def test_a_field_officer_cannot_open_a_centre(api, field_officer, coop):
    response = api(field_officer).post(CENTRES, {"cooperative": coop.pk, "name": "Centro Curiyacu"})

    assert response.status_code == 403
    assert CollectionCentre.objects.count() == 0


def test_a_manager_renames_a_centre_but_cannot_move_it(api, coop, other_coop):
    manager = staff_for([coop, other_coop])
    centre = CollectionCentreFactory(cooperative=coop, name="Centro Chazuta")
    client = api(manager)

    renamed = client.patch(f"{CENTRES}{centre.pk}/", {"name": "Centro Chazuta Alto"})
    moved = client.patch(f"{CENTRES}{centre.pk}/", {"cooperative": other_coop.pk})

    assert renamed.status_code == 200
    assert moved.status_code == 400
    assert moved.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "A collection centre cannot move to another cooperative.",
            "attr": "cooperative",
        }
    ]
    centre.refresh_from_db()
    assert (centre.name, centre.cooperative) == ("Centro Chazuta Alto", coop)


def test_a_centre_with_purchases_cannot_be_deleted(api, manager, coop):
    centre = CollectionCentreFactory(cooperative=coop)
    DeliveryFactory(producer__cooperative=coop, collection_centre=centre)

    response = api(manager).delete(f"{CENTRES}{centre.pk}/")

    assert response.status_code == 409
    assert CollectionCentre.objects.filter(pk=centre.pk).exists() is True


def test_centres_filter_by_activity_district_and_modified_since(api, manager, coop):
    closed = CollectionCentreFactory(cooperative=coop, is_active=False)
    open_ = CollectionCentreFactory(cooperative=coop)
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    CollectionCentre.objects.filter(pk=closed.pk).update(modified=moment)
    CollectionCentre.objects.filter(pk=open_.pk).update(modified=moment - datetime.timedelta(days=1))
    client = api(manager)

    assert ids(client.get(CENTRES, {"is_active": "false", "district": CHAZUTA})) == [closed.pk]
    assert ids(client.get(CENTRES, {"modified_since": "2026-01-01T00:00:00Z"})) == [closed.pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_centres_list_costs_the_same_for_3_or_30_rows(
    fresh_api, manager, coop, rows, django_assert_max_num_queries
):
    CollectionCentreFactory.create_batch(rows, cooperative=coop)
    client = fresh_api(manager, CENTRES)

    # The caller's cooperatives, groups and own permissions; the count and the page.
    with django_assert_max_num_queries(5):
        response = client.get(CENTRES)

    assert len(response.json()["results"]) == rows
