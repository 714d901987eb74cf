"""Schema-driven fuzzing of /api/v1/: whatever a client sends, no server error, and answers as documented.

Schemathesis reads the live schema (/api/v1/schema/) and sends each operation the schema's examples,
its coverage cases (boundary and invalid values of every parameter and property) and a few generated
requests, in-process through the WSGI application. Every response is checked against the contract:
no server error, a documented status, content type and headers, and a body that matches its schema.

The answer differs with the key (a read key reads as a partner does, a write key works as a field
officer does, members' personal data only where the key grants it), so every generated request is
sent with one key of each kind. A coverage case, mostly invalid on purpose, goes with the manager's
key alone: it is about the input, and any other key would stop at 403 before the input is read.

A generated request names the rows of the cooperative (ids in the path and in the body), so that an
operation reaches its success path; each operation must answer 2xx to some key, or the fuzzing would
only ever see 401, 403 and 404. Each request runs in a savepoint that is rolled back: a DELETE with
the first key leaves the row for the next.

Examples are few and derandomized, so that the file stays within a few minutes and a failure repeats.
"""

from collections import defaultdict

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

from config import api
from cooperatives import roles
from cooperatives.models import Cooperative
from cooperatives.services import partner_key_issue
from exports.models import LotAllocation
from tests.api.test_permission_matrix import BUILDERS, build_world
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

# Operations that never answered 2xx to the generated requests, each group with why. Every line is a gap
# in the fuzzing of a success path, to be closed (a valid body built from the cooperative's rows, a row
# nobody refers to for a DELETE), not a design: remove a line as soon as its operation is reached.
NOT_YET_REACHED = {
    # The row the path names is referred to by the others of the world (409 still_referenced), or a
    # service refuses to undo what it depends on (a lot's allocation, shipped).
    "DELETE /api/v1/buyers/{id}/",
    "DELETE /api/v1/collection-centres/{id}/",
    "DELETE /api/v1/contracts/{id}/",
    "DELETE /api/v1/deliveries/{id}/",
    "DELETE /api/v1/development-plans/{id}/",
    "DELETE /api/v1/lots/{id}/",
    "DELETE /api/v1/lots/{id}/allocations/{allocation_id}/",
    "DELETE /api/v1/producers/{id}/",
    "DELETE /api/v1/projects/{id}/",
    "DELETE /api/v1/sanction-types/{id}/",
    "DELETE /api/v1/shipments/{id}/",
    # A download or report that needs query parameters naming the cooperative and a standard or season
    # the world lacks, or a certificate/plan with no rows to report.
    "GET /api/v1/approval-decisions/approved-member-list/",
    "GET /api/v1/certificates/{id}/ics-member-list/",
    "GET /api/v1/certified-balances/mass-balance/",
    "GET /api/v1/development-plans/{id}/premium-report/",
    "GET /api/v1/shipments/{id}/trace-report/",
    # A body the generator does not make valid: related rows of the right state, dates within a
    # certificate's validity, codes unique in the cooperative, amounts within what a delivery brought.
    "PATCH /api/v1/inspection-campaigns/{id}/",
    "PATCH /api/v1/lots/{id}/allocations/{allocation_id}/",
    "POST /api/v1/approval-decisions/",
    "POST /api/v1/campaign-assignments/",
    "POST /api/v1/certificates/",
    "POST /api/v1/collection-centres/",
    "POST /api/v1/contracts/",
    "POST /api/v1/deliveries/",
    "POST /api/v1/external-samples/",
    "POST /api/v1/general-assemblies/",
    "POST /api/v1/inspection-campaigns/",
    "POST /api/v1/inspections/",
    "POST /api/v1/lots/{id}/allocations/",
    "POST /api/v1/plots/",
    "POST /api/v1/premium-receipts/",
    "POST /api/v1/premium-spendings/",
    "POST /api/v1/producers/",
    "POST /api/v1/producers/{id}/status/",
    "POST /api/v1/projects/",
    "POST /api/v1/projects/{id}/approve/",
    "POST /api/v1/quality-analyses/",
    "POST /api/v1/shipments/",
    "PUT /api/v1/approval-decisions/{id}/",
    "PUT /api/v1/campaign-assignments/{id}/",
    "PUT /api/v1/certificates/{id}/",
    "PUT /api/v1/contracts/{id}/",
    "PUT /api/v1/deliveries/{id}/",
    "PUT /api/v1/general-assemblies/{id}/",
    "PUT /api/v1/inspection-campaigns/{id}/",
    "PUT /api/v1/inspections/{id}/",
    "PUT /api/v1/plots/{id}/",
    "PUT /api/v1/projects/{id}/",
    "PUT /api/v1/producers/{id}/",
    "PUT /api/v1/quality-analyses/{id}/",
    "PUT /api/v1/shipments/{id}/",
}


@pytest.fixture
def world(db):
    """One row of each kind in a cooperative (as the permission matrix builds them) and a key of each kind."""
    rows = build_world(7_300_000)
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

    def __init__(self):
        super().__init__(set)


@pytest.fixture
def statuses(request):
    """After an operation's examples, some key must have had a 2xx (unless the examples failed already)."""
    seen = Statuses()
    yield seen
    operation = request.node.name.partition("[")[2].rstrip("]")
    succeeded = any(200 <= status < 300 for answers in seen.values() for status in answers)
    if operation not in NOT_YET_REACHED and not seen.failed:
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
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        kinds = [COVERAGE_KEY]
    else:
        kinds = list(KEY_KINDS)
        if not case.meta or not case.meta.generation.mode.is_negative:
            name_the_rows(case, rows)
    for kind in kinds:
        cache.clear()  # the throttle counts every example; they are not a partner's traffic
        response, headers = call(case, keys[kind])
        statuses[kind].add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception:
            statuses.failed = True
            raise


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
