"""/api/v1/producers/: member families with their household, scoped, with personal data only where allowed."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from cooperatives.services import partner_key_issue, partner_key_revoke
from producers.models import Producer, ProducerStatusChange
from tests.factories import CHAZUTA, HouseholdMemberFactory, PlotFactory, ProducerFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/producers/"


def detail(producer):
    return f"/api/v1/producers/{producer.pk}/"


def stamp(value):
    return serializers.DateTimeField().to_representation(value)


def public_body(producer):
    return {
        "id": producer.pk,
        "cooperative": producer.cooperative_id,
        "code": producer.code,
        "first_name": producer.first_name,
        "last_name": producer.last_name,
        "sex": producer.sex,
        "community": producer.community,
        "district": producer.district_id,
        "entry_date": producer.entry_date.isoformat() if producer.entry_date else None,
        "status": producer.status,
        "modified": stamp(producer.modified),
    }


def full_body(producer):
    return {
        **public_body(producer),
        "dni": producer.dni,
        "birth_date": producer.birth_date.isoformat() if producer.birth_date else None,
        "phone": str(producer.phone),
        "household": [
            {"id": m.pk, "name": m.name, "relation": m.relation, "sex": m.sex, "birth_year": m.birth_year}
            for m in producer.household.order_by("birth_year", "name", "id")
        ],
    }


def new_family(coop, **changes):
    return {
        "cooperative": coop.pk,
        "code": "S-0900",
        "first_name": "Julia",
        "last_name": "Sangama Amasifuén",
        "dni": "40000123",
        "sex": "F",
        "birth_date": "1985-02-03",
        "phone": "987654321",
        "community": "Aguas Verdes",
        "district": CHAZUTA,
        "entry_date": "2020-01-15",
        **changes,
    }


def key_client(key, keyword="Api-Key"):
    client = APIClient(headers={"Accept-Language": "en"})
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def validation_error(attr, code, detail):
    return {"type": "validation_error", "errors": [{"code": code, "detail": detail, "attr": attr}]}


# Reading


def test_a_manager_lists_the_families_of_the_cooperative_with_household(api, manager, coop):
    family = ProducerFactory(cooperative=coop, phone="+51987654321")
    HouseholdMemberFactory(producer=family, name="Luis Tapullima", birth_year=2005)
    HouseholdMemberFactory(producer=family, name="Ana Tapullima", birth_year=2010, sex="F")

    response = api(manager).get(LIST)

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [full_body(family)]}
    assert [m["name"] for m in response.json()["results"][0]["household"]] == ["Luis Tapullima", "Ana Tapullima"]


def test_another_cooperatives_family_never_appears_in_the_list(api, manager, coop, other_coop):
    ours = ProducerFactory(cooperative=coop)
    ProducerFactory(cooperative=other_coop)

    response = api(manager).get(LIST)

    assert [row["id"] for row in response.json()["results"]] == [ours.pk]


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_cooperatives_family_answers_404(api, manager, other_coop, method):
    theirs = ProducerFactory(cooperative=other_coop, first_name="Rosa")

    response = getattr(api(manager), method)(detail(theirs), {"first_name": "Changed"})

    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }
    theirs.refresh_from_db()
    assert theirs.first_name == "Rosa"


@pytest.mark.parametrize("role", ["partner", "auditor", "field_officer"])
def test_every_role_of_the_cooperative_reads_a_family(api, coop, role, request):
    family = ProducerFactory(cooperative=coop)

    response = api(request.getfixturevalue(role)).get(detail(family))

    assert response.status_code == 200
    assert response.json()["id"] == family.pk


def test_a_partner_session_user_sees_no_personal_data(api, partner, coop):
    family = ProducerFactory(cooperative=coop)
    HouseholdMemberFactory(producer=family)

    response = api(partner).get(detail(family))

    assert response.status_code == 200
    assert response.json() == public_body(family)


def test_a_partner_key_without_personal_data_sees_no_dni_phone_birth_date_or_household(coop):
    family = ProducerFactory(cooperative=coop, phone="+51987654321")
    HouseholdMemberFactory(producer=family)
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop])

    response = key_client(key).get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == [public_body(family)]


def test_a_partner_key_with_personal_data_sees_them(coop):
    family = ProducerFactory(cooperative=coop, phone="+51987654321")
    HouseholdMemberFactory(producer=family)
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop], personal_data=True)

    response = key_client(key).get(detail(family))

    assert response.status_code == 200
    assert response.json() == full_body(family)


@pytest.mark.parametrize("keyword", ["Api-Key", "Bearer"])
def test_a_real_key_works_with_either_keyword(coop, keyword):
    family = ProducerFactory(cooperative=coop)
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop])

    response = key_client(key, keyword).get(LIST)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [family.pk]


def test_a_revoked_key_answers_401(coop):
    partner_key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop])
    partner_key_revoke(partner_key=partner_key)

    response = key_client(key).get(LIST)

    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "authentication_failed", "detail": "This API key is not valid or was revoked.", "attr": None}
        ],
    }


def test_an_expired_key_answers_401(coop):
    yesterday = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop], expiry_date=yesterday)

    response = key_client(key).get(LIST)

    assert response.status_code == 401
    assert response.json()["errors"] == [
        {"code": "authentication_failed", "detail": "This API key has expired.", "attr": None}
    ]


def test_a_partner_key_cannot_create_a_family(coop):
    _key, key = partner_key_issue(name="Cioccolato", cooperatives=[coop], personal_data=True)

    response = key_client(key).post(LIST, new_family(coop), format="json")

    assert response.status_code == 403
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "permission_denied",
                "detail": "You do not have permission to perform this action.",
                "attr": None,
            }
        ],
    }
    assert Producer.objects.count() == 0


@pytest.mark.parametrize("role", ["partner", "auditor"])
def test_partners_and_auditors_cannot_change_a_family(api, coop, role, request):
    family = ProducerFactory(cooperative=coop, first_name="Rosa")

    response = api(request.getfixturevalue(role)).patch(detail(family), {"first_name": "Changed"})

    assert response.status_code == 403
    family.refresh_from_db()
    assert family.first_name == "Rosa"


# Filters, search, ordering


def test_it_filters_by_status_community_district_and_sex(api, manager, coop):
    ProducerFactory(cooperative=coop, status="active", community="Aguas Verdes", sex="F")
    wanted = ProducerFactory(cooperative=coop, status="suspended", community="Curiyacu", sex="M")
    ProducerFactory(cooperative=coop, status="suspended", community="Curiyacu", sex="F")

    response = api(manager).get(
        LIST, {"status": "suspended", "community": "Curiyacu", "district": CHAZUTA, "sex": "M", "cooperative": coop.pk}
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_it_lists_only_families_changed_since_a_moment(api, manager, coop):
    old = ProducerFactory(cooperative=coop)
    recent = ProducerFactory(cooperative=coop)
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Producer.objects.filter(pk=old.pk).update(modified=moment - datetime.timedelta(seconds=1))
    Producer.objects.filter(pk=recent.pk).update(modified=moment)

    response = api(manager).get(LIST, {"modified_since": "2026-01-01T00:00:00Z"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [recent.pk]


def test_a_bad_modified_since_answers_400(api, manager):
    response = api(manager).get(LIST, {"modified_since": "yesterday"})

    assert response.status_code == 400
    assert response.json() == validation_error("modified_since", "invalid", "Enter a valid date/time.")


def test_search_finds_a_dni_only_for_callers_who_see_it(api, manager, partner, coop):
    family = ProducerFactory(cooperative=coop, dni="40000123")
    ProducerFactory(cooperative=coop, dni="40000124")

    as_manager = api(manager).get(LIST, {"search": "40000123"})
    as_partner = api(partner).get(LIST, {"search": "40000123"})

    assert [row["id"] for row in as_manager.json()["results"]] == [family.pk]
    assert as_partner.json()["results"] == []


def test_search_finds_names_and_ordering_sorts(api, manager, coop):
    b = ProducerFactory(cooperative=coop, last_name="Tapullima", code="S-0002")
    a = ProducerFactory(cooperative=coop, last_name="Sangama", code="S-0001")

    by_name = api(manager).get(LIST, {"search": "sangama"})
    by_code_desc = api(manager).get(LIST, {"ordering": "-code"})

    assert [row["id"] for row in by_name.json()["results"]] == [a.pk]
    assert [row["id"] for row in by_code_desc.json()["results"]] == [b.pk, a.pk]


# Writing


def test_a_field_officer_creates_a_family_as_an_applicant(api, field_officer, coop):
    response = api(field_officer).post(LIST, new_family(coop), format="json")

    assert response.status_code == 201
    family = Producer.objects.get()
    assert response.json() == full_body(family)
    assert (family.dni, family.status, str(family.phone)) == ("40000123", "applicant", "+51987654321")


def test_a_cui_with_its_check_character_is_stored_as_the_8_digits(api, field_officer, coop):
    response = api(field_officer).post(LIST, new_family(coop, dni="40000123E"), format="json")

    assert response.status_code == 201
    assert response.json()["dni"] == "40000123"
    assert Producer.objects.get().dni == "40000123"


@pytest.mark.parametrize(
    ("dni", "code", "message"),
    [
        ("4000012", "dni_length", "A DNI has 8 digits (9 with the check character of the CUI)."),
        ("400001235", "dni_checksum", "The check character does not match this DNI: please check the number."),
        ("4000O123", "dni_format", "A DNI has digits only."),
    ],
)
def test_an_invalid_dni_answers_400_on_the_dni(api, field_officer, coop, dni, code, message):
    response = api(field_officer).post(LIST, new_family(coop, dni=dni), format="json")

    assert response.status_code == 400
    assert response.json() == validation_error("dni", code, message)
    assert Producer.objects.count() == 0


def test_a_dni_already_in_the_cooperative_answers_400(api, field_officer, coop):
    ProducerFactory(cooperative=coop, dni="40000123")

    response = api(field_officer).post(LIST, new_family(coop, dni="40000123E"), format="json")

    assert response.status_code == 400
    assert response.json() == validation_error(
        "non_field_errors", "unique", "The fields cooperative, dni must make a unique set."
    )
    assert Producer.objects.count() == 1


def test_the_models_own_rules_answer_400(api, field_officer, coop):
    response = api(field_officer).post(LIST, new_family(coop, birth_date="2099-01-01"), format="json")

    assert response.status_code == 400
    assert response.json() == validation_error("birth_date", "invalid", "The birth date cannot be in the future.")


def test_a_family_cannot_be_created_in_another_cooperative(api, field_officer, other_coop):
    response = api(field_officer).post(LIST, new_family(other_coop), format="json")

    assert response.status_code == 400
    assert response.json() == validation_error(
        "cooperative", "does_not_exist", f'Invalid pk "{other_coop.pk}" - object does not exist.'
    )
    assert Producer.objects.count() == 0


def test_a_field_officer_updates_a_family(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop, community="Aguas Verdes")

    response = api(field_officer).patch(detail(family), {"community": "Curiyacu"})

    assert response.status_code == 200
    family.refresh_from_db()
    assert family.community == "Curiyacu"
    assert response.json() == full_body(family)


def test_status_is_read_only_on_update(api, manager, coop):
    family = ProducerFactory(cooperative=coop, status="active")

    response = api(manager).patch(detail(family), {"status": "withdrawn"})

    assert response.status_code == 200
    family.refresh_from_db()
    assert family.status == "active"


def test_the_status_action_changes_the_status_and_writes_history(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop, status="active")

    response = api(field_officer).post(
        f"{detail(family)}status/",
        {"status": "suspended", "effective_date": "2026-03-01", "reason": "Sold cocoa outside the cooperative."},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    change = ProducerStatusChange.objects.get(producer=family)
    assert (change.from_status, change.to_status, change.effective_date, change.changed_by) == (
        "active",
        "suspended",
        datetime.date(2026, 3, 1),
        field_officer,
    )


def test_the_status_action_refuses_a_transition_the_rules_forbid(api, manager, coop):
    family = ProducerFactory(cooperative=coop, status="active")

    response = api(manager).post(f"{detail(family)}status/", {"status": "applicant"})

    assert response.status_code == 400
    assert response.json() == validation_error("status", "invalid", "A family cannot go from active to applicant.")
    family.refresh_from_db()
    assert family.status == "active"
    assert ProducerStatusChange.objects.count() == 0


def test_a_partner_cannot_change_a_status(api, partner, coop):
    family = ProducerFactory(cooperative=coop, status="active")

    response = api(partner).post(f"{detail(family)}status/", {"status": "suspended"})

    assert response.status_code == 403
    family.refresh_from_db()
    assert family.status == "active"


def test_a_field_officer_cannot_delete_but_a_manager_can(api, field_officer, manager, coop):
    family = ProducerFactory(cooperative=coop)

    refused = api(field_officer).delete(detail(family))
    deleted = api(manager).delete(detail(family))

    assert (refused.status_code, deleted.status_code) == (403, 204)
    assert Producer.objects.count() == 0


def test_a_family_with_plots_cannot_be_deleted(api, manager, coop):
    family = ProducerFactory(cooperative=coop)
    PlotFactory(producer=family)

    response = api(manager).delete(detail(family))

    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "code": "still_referenced",
            "detail": "Other records still refer to this one: change or remove them first.",
            "attr": None,
        }
    ]
    assert Producer.objects.count() == 1


# Safe retries and no lost updates


def test_two_posts_with_one_idempotency_key_create_one_family(api, field_officer, coop):
    client = api(field_officer)

    first = client.post(LIST, new_family(coop), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(LIST, new_family(coop), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Producer.objects.count() == 1


def test_an_idempotency_key_reused_with_another_body_answers_422(api, field_officer, coop):
    client = api(field_officer)
    client.post(LIST, new_family(coop), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    response = client.post(LIST, new_family(coop, code="S-0901"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "idempotency_key_reused",
            "detail": "This Idempotency-Key was already used for a different request.",
            "attr": None,
        }
    ]
    assert Producer.objects.count() == 1


def test_a_patch_with_the_current_etag_succeeds(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop)
    client = api(field_officer)
    tag = client.get(detail(family)).headers["ETag"]

    response = client.patch(detail(family), {"community": "Curiyacu"}, HTTP_IF_MATCH=tag)

    assert response.status_code == 200
    assert response.headers["ETag"] != tag
    family.refresh_from_db()
    assert family.community == "Curiyacu"


def test_a_patch_with_a_stale_etag_answers_412_and_changes_nothing(api, field_officer, coop):
    family = ProducerFactory(cooperative=coop, community="Aguas Verdes")
    client = api(field_officer)
    stale = client.get(detail(family)).headers["ETag"]
    client.patch(detail(family), {"first_name": "Someone Else"})

    response = client.patch(detail(family), {"community": "Curiyacu"}, HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response.json()["errors"] == [
        {
            "code": "precondition_failed",
            "detail": "This record changed since you read it: read it again and repeat your change.",
            "attr": None,
        }
    ]
    family.refresh_from_db()
    assert family.community == "Aguas Verdes"


# Cost


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_families(
    fresh_api, manager, coop, rows, django_assert_max_num_queries
):
    for family in ProducerFactory.create_batch(rows, cooperative=coop):
        HouseholdMemberFactory.create_batch(2, producer=family)
    client = fresh_api(manager, LIST)

    # The caller's cooperatives, groups, own permissions and whether they may see personal data;
    # the count, the page and the households.
    with django_assert_max_num_queries(7):
        response = client.get(LIST)

    assert len(response.json()["results"]) == rows


def test_a_write_key_without_personal_data_enrols_a_family_with_its_dni_and_never_reads_it_back(coop):
    _key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")

    response = key_client(key).post(LIST, new_family(coop), format="json")

    assert response.status_code == 201
    family = Producer.objects.get(cooperative=coop, code="S-0900")
    assert (family.dni, str(family.phone), family.birth_date) == ("40000123", "+51987654321", datetime.date(1985, 2, 3))
    assert response.json() == public_body(family)
    assert key_client(key).get(detail(family)).json() == public_body(family)


def test_a_write_key_without_personal_data_is_told_a_family_needs_a_dni(coop):
    _key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")
    body = new_family(coop)
    del body["dni"]

    response = key_client(key).post(LIST, body, format="json")

    assert response.status_code == 400
    assert response.json() == validation_error("dni", "required", "This field is required.")
    assert Producer.objects.filter(cooperative=coop).exists() is False


def test_a_write_key_without_personal_data_cannot_enrol_a_dni_twice(coop):
    ProducerFactory(cooperative=coop, dni="40000123", code="S-0001")
    _key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")

    response = key_client(key).post(LIST, new_family(coop), format="json")

    # The same answer a field officer gets: enrolling someone twice is refused, without naming the family.
    assert response.status_code == 400
    assert response.json() == validation_error(
        "non_field_errors", "unique", "The fields cooperative, dni must make a unique set."
    )
    assert Producer.objects.filter(cooperative=coop).count() == 1


def test_a_write_key_without_personal_data_sends_back_what_it_read_and_the_dni_stays(coop):
    family = ProducerFactory(cooperative=coop, dni="45781236", community="Aguas Verdes")
    _key, key = partner_key_issue(name="Field app", cooperatives=[coop], scope="write")
    client = key_client(key)
    body = client.get(detail(family)).json() | {"community": "Curiyacu"}

    response = client.put(detail(family), body, format="json")

    assert response.status_code == 200
    family.refresh_from_db()
    assert (family.community, family.dni) == ("Curiyacu", "45781236")
    assert response.json() == public_body(family)
