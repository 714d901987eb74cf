"""Schema-driven fuzzing of /api/v1/: whatever a client sends, no server error, and answers as documented.

Schemathesis reads the live schema (/api/v1/schema/) and sends each operation the schema's examples,
its coverage cases (boundary and invalid values of every parameter and property) and a few generated
requests, in-process through the WSGI application. Every response is checked against the contract:
no server error, a documented status, content type and headers, and a body that matches its schema.

The answer differs with the key (a read key reads as a partner does, a write key works as a field
officer does, members' personal data only where the key grants it), so every generated request is
sent with one key of each kind. A coverage case, mostly invalid on purpose, goes with the manager's
key alone: it is about the input, and any other key would stop at 403 before the input is read.

Each operation must answer 2xx to some key, or the fuzzing would only ever see 401, 403, 404 and 400.
So each is first sent one valid request built from the cooperative's rows (a row's own representation
sent back, a copy of it with new codes, a row that nothing refers to for a DELETE, a report's
parameters), checked as any other; and a generated request names the rows of the cooperative (ids in
the path and in the body). Each request runs in a savepoint that is rolled back: a DELETE with the
first key leaves the row for the next.

Examples are few and derandomized, so that the file stays within a few minutes and a failure repeats.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.generation.meta import TestPhase
from werkzeug.test import Client as WerkzeugClient

from certifications.models import ApprovalDecision, InspectionCampaign, SanctionType
from config import api
from cooperatives import roles
from cooperatives.models import CollectionCentre, Cooperative
from cooperatives.services import partner_key_issue
from exports.models import Buyer, Contract, Lot, LotAllocation, Shipment
from exports.services import lot_allocate
from fairtrade.models import DevelopmentPlan, GeneralAssembly, Project
from fairtrade.services import premium_receive, project_approve
from harvests.models import CertifiedBalance, Delivery
from producers.models import Producer
from tests import factories
from tests.certifications.test_api import inspection_body
from tests.cooperatives.test_api_permission_matrix import BUILDERS, build_world
from tests.cooperatives.test_plausibility_faces import SEASON, api_url, flagged  # noqa: F401 (a fixture)

APPLICATION = get_wsgi_application()
# Anyone may read the schema and reading it touches no database: it can be loaded at collection.
SCHEMA = schemathesis.openapi.from_dict(
    Client(HTTP_HOST="localhost").get("/api/v1/schema/?format=json").json(),
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {
            "phases": {"coverage": {"generation": {"mode": "positive"}, "unexpected-methods": []}},
            "operations": [
                {"include-method-regex": "^(POST|PUT|PATCH|DELETE)$", "phases": {"coverage": {"enabled": False}}}
            ],
        }
    ),
)
SCHEMA.app = APPLICATION
# Every check of a single response (schemathesis.checks); the others need a whole run (stateful links).
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.allow_header_conformance,
]

# The kinds of key a cooperative issues (cooperatives.services.partner_key_issue), and a key whose
# account the cooperative made a manager.
KEY_KINDS = {
    "read": {"scope": "read", "personal_data": False},
    "read with personal data": {"scope": "read", "personal_data": True},
    "write": {"scope": "write", "personal_data": False},
    "write with personal data": {"scope": "write", "personal_data": True},
    "manager": {"scope": "write", "personal_data": True, "role": roles.MANAGER},
}
COVERAGE_KEY = "manager"

# The row each path parameter names: a resource's `id` its own model, and these further ones.
PATH_MODELS = {"allocation_id": LotAllocation}
MODEL_OF_PREFIX = {f"/api/v1/{prefix}/": viewset.queryset.model for prefix, viewset, _basename in api.router.registry}
# A body's references to other rows, by the name of the model field (a delivery's `producer`, `plots`).
RELATED_MODELS = {
    field.name: field.related_model
    for model in BUILDERS
    for field in model._meta.get_fields()
    if field.concrete and field.is_relation and field.related_model in BUILDERS
}

# Before its generated requests, each operation is sent one valid request, so that its success path is
# checked however the generator fares. Its body is what a client would send back after reading the row:
# the row's representation (GET) with the fields the request body takes. A new row is a copy of the
# cooperative's, with what must be unique in the cooperative changed.
ANOTHER = {
    "POST /api/v1/certificates/": {"number": "CERT-FUZZ-2"},
    "POST /api/v1/collection-centres/": {"name": "Centro Fuzz"},
    "POST /api/v1/contracts/": {"number": "CT-FUZZ-2"},
    "POST /api/v1/deliveries/": {"receipt_number": "R-FUZZ-2"},
    "POST /api/v1/general-assemblies/": {"session": "extraordinary"},
    "POST /api/v1/inspection-campaigns/": {"standard": "fairtrade"},
    "POST /api/v1/plots/": {"code": "P-FUZZ-2"},
    "POST /api/v1/producers/": {"code": "S-FUZZ-2", "dni": "40000999"},
    "POST /api/v1/projects/": {"name": "Proyecto Fuzz"},
    "POST /api/v1/shipments/": {"number": "EXP-FUZZ-2"},
}
# Requests that are no row's copy: a step, a decision, an allocation, a payment (w: the rows of the world).
BODIES = {
    "POST /api/v1/producers/{id}/status/": lambda w: {"status": "suspended", "reason": "Fuzzing"},
    "POST /api/v1/projects/{id}/approve/": lambda w: {"assembly": w[GeneralAssembly].pk, "votes_for": 100},
    "POST /api/v1/lots/{id}/allocations/": lambda w: {"delivery": w[Delivery].pk, "kg": "10.00"},
    "PATCH /api/v1/lots/{id}/allocations/{allocation_id}/": lambda w: {"kg": "20.00"},
    "POST /api/v1/inspections/": lambda w: inspection_body(w[Producer], w["inspector"]),
    "PUT /api/v1/inspections/{id}/": lambda w: inspection_body(w[Producer], w["inspector"]),
    "POST /api/v1/premium-spendings/": lambda w: {
        "project": w["approved project"].pk,
        "date": w[GeneralAssembly].date.isoformat(),
        "amount_usd": "100.00",
        "description": "Secador solar",
        "receipt_number": "G-FUZZ-2",
    },
    "POST /api/v1/premium-receipts/": lambda w: {
        "shipment": w["fairtrade shipment"].pk,
        "received_on": "2026-04-01",
        "amount_usd": "1000.00",
        "reference": "T1",
    },
}
# The reports, each with the query parameters it needs: the cooperative, the standard or season of the world.
QUERIES = {
    "GET /api/v1/certificates/{id}/ics-member-list/": lambda w: {},
    "GET /api/v1/development-plans/{id}/premium-report/": lambda w: {},
    "GET /api/v1/shipments/{id}/trace-report/": lambda w: {},
    "GET /api/v1/approval-decisions/approved-member-list/": lambda w: {
        "cooperative": w[Cooperative].pk,
        "standard": w[ApprovalDecision].standard.code,
        "year": w[ApprovalDecision].year,
    },
    "GET /api/v1/certified-balances/mass-balance/": lambda w: {
        "cooperative": w[Cooperative].pk,
        "standard": w[CertifiedBalance].standard.code,
        "season": w[CertifiedBalance].season,
    },
}
# The rows a valid DELETE removes: of each kind, one that nothing refers to (the world's are all referred to).
UNREFERENCED = [
    CollectionCentre, Producer, SanctionType, Delivery, Buyer, Contract, Lot, Shipment, DevelopmentPlan, Project,
    GeneralAssembly,
]  # fmt: skip


@pytest.fixture
def world(db):
    """One row of each kind in a cooperative (as the permission matrix builds them) and a key of each kind."""
    rows = build_world(7_300_000)
    # The factories' sequences move a campaign a year on and an assembly a day on with each row made
    # before: the rows whose dates the valid requests send back are set where no date bound refuses them.
    campaign, assembly = rows[InspectionCampaign], rows[GeneralAssembly]
    InspectionCampaign.objects.filter(pk=campaign.pk).update(
        year=2026, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31)
    )
    GeneralAssembly.objects.filter(pk=assembly.pk).update(date=datetime.date(2026, 2, 1))
    campaign.refresh_from_db()
    assembly.refresh_from_db()
    rows["unreferenced"] = {
        model: BUILDERS[model](rows, id=7_400_000 + 1000 * position) for position, model in enumerate(UNREFERENCED)
    }
    # A lot not shipped yet, with an allocation (as the service makes it) of a delivery of its own.
    unshipped = {Lot: BUILDERS[Lot](rows, id=7_500_000), Delivery: BUILDERS[Delivery](rows, id=7_501_000)}
    unshipped[LotAllocation] = lot_allocate(lot=unshipped[Lot], delivery=unshipped[Delivery], kg="50")
    rows["unshipped"] = unshipped
    # 12.5 t claimed Fairtrade: US$3,000 of premium owed, 2,000 received, and a project to spend it on.
    rows["fairtrade shipment"] = factories.FairtradeShipmentFactory(
        id=7_503_000, contract=rows[Contract], net_kg=Decimal("12500")
    )
    premium_receive(
        shipment=rows["fairtrade shipment"], received_on=rows[GeneralAssembly].date, amount_usd="2000", reference="T0"
    )
    rows["approved project"] = BUILDERS[Project](rows, id=7_504_000)
    project_approve(project=rows["approved project"], assembly=rows[GeneralAssembly], votes_for=100)
    rows["inspector"] = factories.staff_for(rows[Cooperative], roles.FIELD_OFFICER)
    keys = {}
    for kind, grant in KEY_KINDS.items():
        row, keys[kind] = partner_key_issue(
            name=f"fuzzing, {kind}",
            cooperatives=[rows[Cooperative]],
            scope=grant["scope"],
            personal_data=grant["personal_data"],
        )
        if "role" in grant:
            row.account.groups.set([Group.objects.get(name=grant["role"])])
    return rows, keys


@pytest.fixture
def in_process(db):
    """The WSGI handler closes the connection after each request; the test's transaction must survive it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Statuses(defaultdict):
    """The statuses an operation answered, by key kind."""

    failed = False
    sent_valid = False
    valid_failure = None  # what the operation's valid request raised

    def __init__(self):
        super().__init__(set)


@pytest.fixture
def statuses(request):
    """After an operation's examples, some key must have had a 2xx (unless the examples failed already)."""
    seen = Statuses()
    yield seen
    operation = request.node.name.partition("[")[2].rstrip("]")
    succeeded = any(200 <= status < 300 for answers in seen.values() for status in answers)
    if not seen.failed:
        assert succeeded, f"{operation} never answered 2xx to any key: {dict(seen)}"


def name_the_rows(case, rows):
    """Point the ids of a generated request at the cooperative's rows (its own ids stay out of reach)."""
    model = next((m for prefix, m in MODEL_OF_PREFIX.items() if case.operation.path.startswith(prefix)), None)
    for name in case.path_parameters or {}:
        named = PATH_MODELS.get(name, model if name == "id" else None)
        if named is not None:
            case.path_parameters[name] = rows[named].pk
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            named = RELATED_MODELS.get(name)
            if named is None or isinstance(value, bool):
                continue
            if isinstance(value, int):
                case.body[name] = rows[named].pk
            elif isinstance(value, list) and all(isinstance(item, int) for item in value):
                case.body[name] = [rows[named].pk]


def row_of(operation, rows, name):
    """The row a path parameter names."""
    model = next((m for prefix, m in MODEL_OF_PREFIX.items() if operation.path.startswith(prefix)), None)
    return rows[PATH_MODELS.get(name, model if name == "id" else None)]


def representation(operation, rows, key):
    """The row's representation as the request body takes it (a new row: a copy of the world's row)."""
    prefix = next(p for p in MODEL_OF_PREFIX if operation.path.startswith(p))
    row = rows[MODEL_OF_PREFIX[prefix]]
    # Through the WSGI application, as the fuzzing: Django's test client would connect again the closing of
    # the connection after each request, which the fixture in_process has taken off.
    headers = {"Authorization": f"Api-Key {key}", "Host": "localhost"}
    shown = WerkzeugClient(APPLICATION).get(f"{prefix}{row.pk}/", headers=headers).get_json()
    content = operation.definition.raw["requestBody"]["content"]["application/json"]["schema"]
    taken = SCHEMA.raw_schema["components"]["schemas"][content["$ref"].rpartition("/")[2]]["properties"]
    return {name: value for name, value in shown.items() if name in taken}


def valid_case(operation, rows, key):
    """A request of the operation that should succeed, built from the world's rows; None for a plain read."""
    method, path = operation.method.upper(), operation.path
    label = f"{method} {path}"
    if method == "DELETE":
        rows = {**rows, **rows["unreferenced"]}
    if "/allocations/" in path:
        rows = {**rows, **rows["unshipped"]}
    body = None
    if label in BODIES:
        body = BODIES[label](rows)
    elif method in ("POST", "PUT", "PATCH") and re.fullmatch(r"/api/v1/[\w-]+/(\{id\}/)?", path):
        body = {**representation(operation, rows, key), **ANOTHER.get(label, {})}
        if "inspector" in body:
            body["inspector"] = rows["inspector"].pk
    elif label not in QUERIES and method != "DELETE":
        return None
    parameters = {name: row_of(operation, rows, name).pk for name in re.findall(r"{(\w+)}", path)}
    query = QUERIES[label](rows) if label in QUERIES else None
    payload = {} if body is None else {"body": body, "media_type": "application/json"}
    return operation.Case(path_parameters=parameters, query=query, **payload)


def call(case, key):
    """One request with a key, in a savepoint rolled back afterwards."""
    headers = {"Authorization": f"Api-Key {key}"}
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    return response, headers


@SCHEMA.parametrize()
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    # The schema's examples and the coverage cases (explicit), then generated requests; no shrinking
    # (a failure is reported as found).
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_api_fail_or_answer_off_its_schema(case, world, in_process, statuses):
    rows, keys = world

    def send(case, kinds):
        for kind in kinds:
            cache.clear()  # the throttle counts every example; they are not a partner's traffic
            response, headers = call(case, keys[kind])
            statuses[kind].add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except Exception:
                statuses.failed = True
                raise

    if not statuses.sent_valid:
        statuses.sent_valid = True
        valid = valid_case(case.operation, rows, keys[COVERAGE_KEY])
        try:
            if valid is not None:
                send(valid, KEY_KINDS)
        except Exception as error:
            statuses.valid_failure = error
    if statuses.valid_failure is not None:
        # Every example fails as the first did, so that Hypothesis, replaying the failing one, sees it fail.
        raise statuses.valid_failure
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        send(case, [COVERAGE_KEY])
    else:
        if not case.meta or not case.meta.generation.mode.is_negative:
            name_the_rows(case, rows)
        send(case, KEY_KINDS)


@pytest.mark.usefixtures("flagged", "in_process")
@pytest.mark.parametrize("personal_data", [False, True])
def test_the_plausibility_flags_match_the_schema_with_and_without_the_families_names(coop, personal_data):
    """The world above holds no family over 5 ha: here each kind of flag is there, named or not."""
    _row, key = partner_key_issue(name="auditor", cooperatives=[coop], personal_data=personal_data)
    response = WerkzeugClient(APPLICATION).get(
        api_url(coop, season=SEASON), headers={"Authorization": f"Api-Key {key}", "Host": "localhost"}
    )
    body = response.get_json()
    assert response.status_code == 200
    assert ["name" in flag for flag in body["over_holding"]] == [personal_data]
    assert ["producer_name" in flag for flag in body["overlaps"]] == [personal_data]
    SCHEMA["/api/v1/cooperatives/{id}/plausibility/"]["GET"].validate_response(response)
