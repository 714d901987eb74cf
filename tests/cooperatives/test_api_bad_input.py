"""Malformed input to the API answers 4xx with a message and writes nothing, on every write the schema lists.

The inputs are an attacker's: JSON nested 50,000 deep, lone surrogates, a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, numbers beyond any column (1e400, 10**30), text over its field's length.
"""

import json

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from config import api
from exports.models import LotAllocation
from plots.models import Plot
from tests.cooperatives.test_api_permission_matrix import build_world
from tests.factories import CHAZUTA, ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
SURROGATE = '"\\ud800"'  # JSON text: a lone high surrogate, escaped as JSON allows
WRITES = ("post", "put", "patch")


def errors(response):
    return [(error["attr"], error["code"], error["detail"]) for error in response.json()["errors"]]


def post_plot(client, text):
    return client.post("/api/v1/plots/", text, content_type="application/json")


@pytest.fixture
def client(manager):
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(manager)
    return client


@pytest.fixture
def plot_body(coop):
    producer = ProducerFactory(cooperative=coop)
    return {"producer": producer.pk, "code": "P-0900", "declared_area_ha": "1.2", "district": CHAZUTA}


def with_raw(body, name, raw):
    """`body` as JSON text with `name` set to the JSON text `raw`, which json.dumps could not write."""
    return json.dumps({**body, name: "§"}, ensure_ascii=False).replace('"§"', raw)


def test_it_refuses_json_nested_50000_deep_with_a_message(client, plot_body):
    response = post_plot(client, with_raw(plot_body, "geometry", DEEP))

    assert response.status_code == 400
    assert errors(response) == [
        ("non_field_errors", "too_deep", "This JSON nests more than 64 levels deep; the API reads 64 at most.")
    ]
    assert Plot.objects.count() == 0


def test_it_names_the_field_of_json_nested_too_deep_for_what_follows(client, plot_body):
    # 200 levels: Python reads them, DRF's JSONField did not (RecursionError on the way back).
    response = post_plot(client, with_raw(plot_body, "geometry", "[" * 200 + "]" * 200))

    assert response.status_code == 400
    assert errors(response) == [
        ("geometry", "too_deep", "This JSON nests more than 64 levels deep; the API reads 64 at most.")
    ]


def test_it_refuses_a_lone_surrogate_in_a_choice_field_naming_the_field(client, plot_body):
    response = post_plot(client, with_raw(plot_body, "crop", SURROGATE))

    assert response.status_code == 400
    assert errors(response) == [
        (
            "crop",
            "surrogate_characters_not_allowed",
            "This text holds a lone surrogate (\\ud800 to \\udfff), which is not a character: send it as UTF-8.",
        )
    ]
    assert Plot.objects.count() == 0


def test_it_refuses_a_number_beyond_a_float_naming_the_field(client, plot_body):
    response = post_plot(client, with_raw(plot_body, "tree_count", "1e400"))

    assert response.status_code == 400
    assert errors(response) == [("tree_count", "max_value", "This number is too large.")]


def test_it_answers_413_with_a_message_to_a_body_over_the_servers_limit(client, plot_body):
    response = post_plot(client, json.dumps({**plot_body, "name": "a" * 3_000_000}))

    assert response.status_code == 413
    assert errors(response) == [
        (
            None,
            "request_too_large",
            "This request is larger than the 2.5 MB the server accepts: send fewer or smaller items at a time "
            "(files go as uploads, which may be larger).",
        )
    ]
    assert Plot.objects.count() == 0


def test_it_refuses_a_world_sized_polygon_with_a_field_message(client, plot_body):
    world = {"type": "Polygon", "coordinates": [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]]}

    response = post_plot(client, json.dumps({**plot_body, "geometry": world}))

    assert response.status_code == 400
    assert errors(response) == [
        (
            "geometry",
            "EUDR_COMMODITIES_PRODUCER_GEO_AREA_INVALID",
            "This shape encloses 283,326,252 ha; a plot is at most 100,000 ha. Check that its corners follow the "
            "plot's boundary: one typed wrong can span a province.",
        )
    ]
    assert Plot.objects.count() == 0


def test_a_plot_of_a_few_hectares_spanning_the_antimeridian_is_measured_not_refused(client, plot_body):
    # Its box spans the globe, its area does not: the bound is of the area, not of the box.
    side = 0.001
    ring = [[179.9995, -16.5], [-179.9995, -16.5], [-179.9995, -16.5 + side], [179.9995, -16.5 + side]]
    geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    response = post_plot(client, json.dumps({**plot_body, "declared_area_ha": "1.2", "geometry": geometry}))

    assert response.status_code in (201, 400)
    assert "at most 100,000 ha" not in response.text


# The walk: every write of the schema, each malformed input once.


def resolve(schema, node):
    while "$ref" in node or "allOf" in node:
        node = schema_at(schema, node["$ref"]) if "$ref" in node else node["allOf"][0]
    return node


def schema_at(schema, ref):
    return schema["components"]["schemas"][ref.rpartition("/")[2]]


def properties(schema, operation):
    content = operation["requestBody"]["content"]["application/json"]["schema"]
    return {name: resolve(schema, prop) for name, prop in resolve(schema, content).get("properties", {}).items()}


def malformed_bodies(props):
    """(kind, JSON text, the statuses that may answer it) for one operation's properties."""
    names = list(props) or ["anything"]
    texts = [n for n, p in props.items() if p.get("type") == "string" or "enum" in p]
    numbers = [n for n, p in props.items() if p.get("type") in ("integer", "number") or p.get("format") == "decimal"]
    bounded = {n: p["maxLength"] for n, p in props.items() if "maxLength" in p}

    def body(values):
        text = json.dumps({name: f"§{name}§" for name in values}, ensure_ascii=False)
        for name, raw in values.items():
            text = text.replace(f'"§{name}§"', raw)
        return text

    yield "nested 50,000 deep", body({names[0]: DEEP}), {400}
    yield "over 2.5 MB", json.dumps({names[0]: "a" * 3_000_000}), {413}
    if texts:
        yield "lone surrogates", body(dict.fromkeys(texts, SURROGATE)), {400}
    if numbers:
        yield "1e400", body(dict.fromkeys(numbers, "1e400")), {400}
        yield "10**30", body(dict.fromkeys(numbers, str(10**30))), {400}
    if bounded:
        yield "over-long text", json.dumps({n: "a" * (length + 1) for n, length in bounded.items()}), {400}


def row_counts():
    """Every table's count of rows, in one query: a walk takes hundreds of these.

    Sessions and login records change on their own; the cooperative's data must not.
    """
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.app_label not in ("sessions", "axes")
    ]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([model._meta.label for model in models], cursor.fetchone(), strict=True))


def test_every_api_write_answers_malformed_input_with_4xx_and_a_message_writing_nothing():
    world = build_world(7_200_000)
    client = Client(headers={"Accept-Language": "en"}, raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True))
    schema = client.get("/api/v1/schema/?format=json").json()
    model_of_prefix = {prefix: viewset.queryset.model for prefix, viewset, _name in api.router.registry}
    failures, walked = [], 0
    for path, operations in schema["paths"].items():
        for method in WRITES:
            if method not in operations:
                continue
            prefix = path.removeprefix("/api/v1/").split("/")[0]
            url = path.replace("{id}", str(world[model_of_prefix[prefix]].pk))
            url = url.replace("{allocation_id}", str(world[LotAllocation].pk))
            for kind, text, statuses in malformed_bodies(properties(schema, operations[method])):
                walked += 1
                before = row_counts()
                response = client.generic(method.upper(), url, text, content_type="application/json")
                where = f"{method.upper()} {url} with {kind}: {response.status_code}"
                if response.status_code not in statuses:
                    failures.append(f"{where} {response.content[:300]!r}")
                elif not all(error["detail"] for error in response.json()["errors"]):
                    failures.append(f"{where} without a message: {response.content[:300]!r}")
                if row_counts() != before:
                    failures.append(f"{where} wrote rows")
    assert walked > 200
    assert failures == [], "\n".join(failures)
