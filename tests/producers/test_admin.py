import datetime

from producers.models import HouseholdMember, Producer, ProducerStatusChange
from tests import factories
from tests.admin_helpers import form_data, url


def _household_prefix(response):
    formsets = response.context["inline_admin_formsets"]
    return next(inline.formset.prefix for inline in formsets if inline.formset.model is HouseholdMember)


def test_manager_adds_a_producer_and_a_household_member_that_takes_the_producers_cooperative(client, coop, manager):
    client.force_login(manager)
    page = client.get(url(Producer, "add"))
    data = form_data(page)
    prefix = _household_prefix(page)
    data.update(
        {
            "code": "S-0101",
            "first_name": "Rosa Elvira",
            "last_name": "Tapullima Sangama",
            "dni": "40123456",
            "sex": "F",
            "district": factories.CHAZUTA,
            "status": Producer.Status.APPLICANT,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "Luis Tapullima",
            f"{prefix}-0-relation": HouseholdMember.Relation.CHILD,
            f"{prefix}-0-sex": "M",
            f"{prefix}-0-birth_year": "2005",
        }
    )

    response = client.post(url(Producer, "add"), data)

    assert response.status_code == 302
    producer = Producer.objects.get(dni="40123456")
    assert producer.cooperative == coop
    member = HouseholdMember.objects.get(producer=producer)
    assert (member.name, member.cooperative_id) == ("Luis Tapullima", coop.pk)


def test_the_add_form_preselects_the_only_cooperative_the_manager_works_for(client, coop, manager):
    client.force_login(manager)

    response = client.get(url(Producer, "add"))

    assert response.context["adminform"].form["cooperative"].value() == coop.pk
    assert list(response.context["adminform"].form.fields["cooperative"].queryset) == [coop]


def test_the_cooperative_choices_are_the_users_own(client, coop, other_coop):
    both = factories.staff_for([coop, other_coop])
    only_one = factories.staff_for(coop)
    client.force_login(both)
    form_for_both = client.get(url(Producer, "add")).context["adminform"].form
    client.force_login(only_one)
    form_for_one = client.get(url(Producer, "add")).context["adminform"].form

    assert set(form_for_both.fields["cooperative"].queryset) == {coop, other_coop}
    assert form_for_both["cooperative"].value() is None
    assert list(form_for_one.fields["cooperative"].queryset) == [coop]


def test_posting_a_producer_with_an_invalid_dni_shows_the_error_and_writes_nothing(client, coop, manager):
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "add")))
    data.update(
        {"code": "S-0102", "first_name": "Juan", "last_name": "Sangama", "dni": "4012345", "sex": "M"},
        district=factories.CHAZUTA,
        status=Producer.Status.APPLICANT,
    )

    response = client.post(url(Producer, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert list(errors) == ["dni"]
    assert errors["dni"][0].code == "dni_length"
    assert Producer.objects.count() == 0


def test_a_cui_with_its_check_character_is_stored_as_the_dni(client, coop, manager):
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "add")))
    # DNI 10117410 with its CUI check character (python-stdnum's example).
    data.update(code="S-0103", first_name="Ana", last_name="Huaman", dni="101174102", sex="F")
    data.update(district=factories.CHAZUTA, status=Producer.Status.APPLICANT)

    response = client.post(url(Producer, "add"), data)

    assert response.status_code == 302
    assert Producer.objects.get(code="S-0103").dni == "10117410"


def test_changing_a_producers_status_in_the_admin_writes_the_status_change(client, coop, manager):
    producer = factories.ProducerFactory(cooperative=coop, status=Producer.Status.ACTIVE)
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "change", producer.pk)))
    data.update(
        status=Producer.Status.SUSPENDED,
        status_effective_date="2026-07-01",
        status_reason="Vendió cacao fuera de la cooperativa.",
    )

    response = client.post(url(Producer, "change", producer.pk), data)

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.status == Producer.Status.SUSPENDED
    change = ProducerStatusChange.objects.get(producer=producer)
    assert (change.from_status, change.to_status) == (Producer.Status.ACTIVE, Producer.Status.SUSPENDED)
    assert change.effective_date == datetime.date(2026, 7, 1)
    assert change.reason == "Vendió cacao fuera de la cooperativa."
    assert change.changed_by == manager
    assert change.cooperative_id == coop.pk


def test_a_status_change_the_rules_forbid_shows_an_error_and_changes_nothing(client, coop, manager):
    producer = factories.ProducerFactory(cooperative=coop, status=Producer.Status.WITHDRAWN)
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "change", producer.pk)))
    data["status"] = Producer.Status.ACTIVE

    response = client.post(url(Producer, "change", producer.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.as_data()["status"][0].code == "status_transition"
    producer.refresh_from_db()
    assert producer.status == Producer.Status.WITHDRAWN
    assert ProducerStatusChange.objects.count() == 0


def test_editing_a_producer_without_touching_the_status_writes_no_status_change(client, coop, manager):
    producer = factories.ProducerFactory(cooperative=coop)
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "change", producer.pk)))
    data["community"] = "Chipaota"

    response = client.post(url(Producer, "change", producer.pk), data)

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.community == "Chipaota"
    assert ProducerStatusChange.objects.count() == 0


def test_a_household_member_added_on_the_change_page_takes_the_producers_cooperative(client, coop, manager):
    producer = factories.ProducerFactory(cooperative=coop)
    client.force_login(manager)
    page = client.get(url(Producer, "change", producer.pk))
    data = form_data(page)
    prefix = _household_prefix(page)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-name": "María Sangama",
            f"{prefix}-0-relation": HouseholdMember.Relation.SPOUSE,
            f"{prefix}-0-sex": "F",
        }
    )

    response = client.post(url(Producer, "change", producer.pk), data)

    assert response.status_code == 302
    member = HouseholdMember.objects.get(producer=producer)
    assert member.cooperative_id == coop.pk


def test_a_producer_cannot_be_moved_to_another_cooperative(client, coop, other_coop):
    both = factories.staff_for([coop, other_coop])
    producer = factories.ProducerFactory(cooperative=coop)
    client.force_login(both)
    data = form_data(client.get(url(Producer, "change", producer.pk)))
    data["cooperative"] = other_coop.pk

    response = client.post(url(Producer, "change", producer.pk), data)

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.cooperative == coop


def test_field_officer_cannot_delete_a_producer(client, coop, field_officer):
    producer = factories.ProducerFactory(cooperative=coop)
    client.force_login(field_officer)

    page = client.get(url(Producer, "delete", producer.pk))
    post = client.post(url(Producer, "delete", producer.pk), {"post": "yes"})

    assert page.status_code == 403
    assert post.status_code == 403
    assert Producer.objects.filter(pk=producer.pk).exists() is True


def test_partner_cannot_add_or_change_a_producer(client, coop, partner, manager):
    producer = factories.ProducerFactory(cooperative=coop, community="Aguas Verdes")
    client.force_login(manager)
    data = form_data(client.get(url(Producer, "change", producer.pk)))
    data["community"] = "Chipaota"
    client.force_login(partner)

    add_page = client.get(url(Producer, "add"))
    add = client.post(url(Producer, "add"), {**data, "code": "S-0999", "dni": "40999999"})
    view = client.get(url(Producer, "change", producer.pk))
    change = client.post(url(Producer, "change", producer.pk), data)

    assert (add_page.status_code, add.status_code, change.status_code) == (403, 403, 403)
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    producer.refresh_from_db()
    assert producer.community == "Aguas Verdes"
    assert Producer.objects.count() == 1
