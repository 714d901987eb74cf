"""A list filter naming another row by id answers alike for another cooperative's row and a missing one.

Otherwise a caller could tell which ids exist in other cooperatives (their families, campaigns,
inspectors) by the difference. Every list endpoint of the router is walked, with every filter of
its FilterSet that names a row of a cooperative (or a user) by id.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.test import Client
from django.urls import reverse

from config import api
from cooperatives import roles
from cooperatives.api.filters import FilterBackend
from cooperatives.models import Cooperative
from tests import factories
from tests.cooperatives.test_api_permission_matrix import BUILDERS, build_world

User = get_user_model()
MISSING_ID = 987_654_321


def id_filters(viewset):
    """(parameter, related model) of each filter of a list endpoint that names a row by id."""
    queryset = viewset.queryset
    filterset = FilterBackend().get_filterset_class(viewset(), queryset)
    if filterset is None:
        return []
    found = []
    for name, filter_ in filterset.base_filters.items():
        if getattr(filter_, "method", None) or "__" in filter_.field_name:
            continue
        try:
            field = queryset.model._meta.get_field(filter_.field_name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and (field.related_model in BUILDERS or field.related_model is User):
            found.append((name, field.related_model))
    return found


CASES = [
    (basename, name, model)
    for _prefix, viewset, basename in api.router.registry
    if hasattr(viewset, "list")
    for name, model in id_filters(viewset)
]


def test_the_walk_covers_the_filters_by_family_campaign_and_inspector():
    walked = {(basename, name) for basename, name, _model in CASES}
    assert {
        ("campaign-assignment", "campaign"),
        ("campaign-assignment", "inspector"),
        ("sanction", "producer"),
        ("approval-decision", "producer"),
        ("delivery", "producer"),
        ("plot", "cooperative"),
    } <= walked


@pytest.fixture
def worlds(db):
    a = build_world(7_200_000)
    b = build_world(7_100_000)
    b[User] = factories.staff_for(b[Cooperative], roles.FIELD_OFFICER)
    return {"A": a, "B": b}


def test_another_cooperatives_id_and_a_missing_id_answer_alike(worlds):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(factories.staff_for(worlds["A"][Cooperative], roles.MANAGER))
    differ = []
    for basename, name, model in CASES:
        url = reverse(f"api:{basename}-list")
        others = client.get(url, {name: worlds["B"][model].pk})
        missing = client.get(url, {name: MISSING_ID})
        answers = [(response.status_code, response.json()) for response in (others, missing)]
        if answers[0] != answers[1] or answers[0][0] != 200 or answers[0][1]["results"] != []:
            differ.append(f"{url}?{name}=: another cooperative's {answers[0]}, a missing one's {answers[1]}")

    assert differ == []
