"""A row's cooperative always equals its parent's (STYLE.md): in clean(), and on PostgreSQL in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from producers.models import HouseholdMember
from tests.factories import CooperativeFactory, HouseholdMemberFactory, PlotFactory, ProducerFactory

pytestmark = pytest.mark.django_db


def test_a_household_member_takes_the_cooperative_of_its_family_when_cleaned():
    family = ProducerFactory()
    member = HouseholdMember(
        producer=family, cooperative=CooperativeFactory(), name="Ana Sangama", relation="child", sex="F"
    )

    member.full_clean()

    assert member.cooperative_id == family.cooperative_id


def test_a_plot_cannot_belong_to_a_family_of_another_cooperative():
    plot = PlotFactory.build(producer=ProducerFactory(), cooperative=CooperativeFactory())

    with pytest.raises(ValidationError) as error:
        plot.full_clean()

    assert error.value.message_dict["producer"] == [f"{plot.producer} belongs to another cooperative."]


@pytest.mark.postgresql  # composite keys are added on PostgreSQL only
def test_the_database_refuses_a_child_whose_cooperative_differs_from_its_parents():
    member = HouseholdMemberFactory()
    other = CooperativeFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMember.objects.filter(pk=member.pk).update(cooperative=other)
        connection.check_constraints()
