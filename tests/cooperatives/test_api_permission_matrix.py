"""Who may do what on every endpoint of /api/v1/, walked from the URL configuration itself.

For every resource on the router and each of its extra actions, every method and every
role, the answer is the status that the rule table below derives, and no answer carries an id of the
other cooperative's rows. An endpoint the matrix cannot build a row for fails here
with a message: a new endpoint cannot go out without taking its place in the matrix.

Rows of cooperative B get ids from 7,100,000 up and those of cooperative A from
7,200,000 up, 1,000 apart, so that a leaked id is unmistakable in any body.
"""

import json
import re
import traceback
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, reverse

from certifications.models import (
    ApprovalDecision,
    CampaignAssignment,
    Certificate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    Sanction,
    SanctionType,
)
from config import api
from cooperatives import roles
from cooperatives.models import CollectionCentre, Cooperative
from cooperatives.services import partner_key_issue
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from fairtrade.models import DevelopmentPlan, GeneralAssembly, PremiumReceipt, PremiumSpending, Project
from harvests.models import CertifiedBalance, Delivery, QualityAnalysis
from plots.models import Plot
from producers.models import HouseholdMember, Producer, ProducerStatusChange
from tests import factories

# How to build one row of each kind in a cooperative, given the rows built before it.
# A model that is not here cannot be served by the API until it is added.
BUILDERS = {
    Cooperative: lambda w, **ids: factories.CooperativeFactory(**ids),
    CollectionCentre: lambda w, **ids: factories.CollectionCentreFactory(cooperative=w[Cooperative], **ids),
    Producer: lambda w, **ids: factories.ProducerFactory(cooperative=w[Cooperative], **ids),
    HouseholdMember: lambda w, **ids: factories.HouseholdMemberFactory(producer=w[Producer], **ids),
    ProducerStatusChange: lambda w, **ids: factories.ProducerStatusChangeFactory(producer=w[Producer], **ids),
    Plot: lambda w, **ids: factories.PlotFactory(producer=w[Producer], **ids),
    Certificate: lambda w, **ids: factories.CertificateFactory(cooperative=w[Cooperative], **ids),
    CoveredProducer: lambda w, **ids: factories.CoveredProducerFactory(
        certificate=w[Certificate], producer=w[Producer], **ids
    ),
    CoveredPlot: lambda w, **ids: factories.CoveredPlotFactory(certificate=w[Certificate], plot=w[Plot], **ids),
    Inspection: lambda w, **ids: factories.InspectionFactory(producer=w[Producer], **ids),
    NonConformity: lambda w, **ids: factories.NonConformityFactory(inspection=w[Inspection], **ids),
    InspectionCampaign: lambda w, **ids: factories.InspectionCampaignFactory(cooperative=w[Cooperative], **ids),
    CampaignAssignment: lambda w, **ids: factories.CampaignAssignmentFactory(
        campaign=w[InspectionCampaign], producer=w[Producer], **ids
    ),
    SanctionType: lambda w, **ids: factories.SanctionTypeFactory(cooperative=w[Cooperative], **ids),
    Sanction: lambda w, **ids: factories.SanctionFactory(sanction_type=w[SanctionType], producer=w[Producer], **ids),
    ApprovalDecision: lambda w, **ids: factories.ApprovalDecisionFactory(producer=w[Producer], **ids),
    ExternalSample: lambda w, **ids: factories.ExternalSampleFactory(cooperative=w[Cooperative], **ids),
    Delivery: lambda w, **ids: factories.DeliveryFactory(
        producer=w[Producer], collection_centre=w[CollectionCentre], plots=[w[Plot]], **ids
    ),
    QualityAnalysis: lambda w, **ids: factories.QualityAnalysisFactory(delivery=w[Delivery], **ids),
    Buyer: lambda w, **ids: factories.BuyerFactory(cooperative=w[Cooperative], **ids),
    Contract: lambda w, **ids: factories.ContractFactory(buyer=w[Buyer], **ids),
    Lot: lambda w, **ids: factories.LotFactory(cooperative=w[Cooperative], **ids),
    LotAllocation: lambda w, **ids: factories.LotAllocationFactory(lot=w[Lot], delivery=w[Delivery], **ids),
    Shipment: lambda w, **ids: factories.ShipmentFactory(contract=w[Contract], **ids),
    ShipmentLot: lambda w, **ids: factories.ShipmentLotFactory(shipment=w[Shipment], lot=w[Lot], kg=100, **ids),
    Container: lambda w, **ids: factories.ContainerFactory(shipment=w[Shipment], **ids),
    CertifiedBalance: lambda w, **ids: factories.CertifiedBalanceFactory(cooperative=w[Cooperative], **ids),
    DevelopmentPlan: lambda w, **ids: factories.DevelopmentPlanFactory(cooperative=w[Cooperative], **ids),
    Project: lambda w, **ids: factories.ProjectFactory(plan=w[DevelopmentPlan], **ids),
    GeneralAssembly: lambda w, **ids: factories.GeneralAssemblyFactory(cooperative=w[Cooperative], **ids),
    PremiumReceipt: lambda w, **ids: factories.PremiumReceiptFactory(shipment=w[Shipment], **ids),
    PremiumSpending: lambda w, **ids: factories.PremiumSpendingFactory(project=w[Project], **ids),
}

# Paths of config/api.py that are not resources of the router and need no role.
OPEN_PATHS = {"schema", "docs", "redoc"}

# The rule table: what each role may do to a kind of row (as migration cooperatives/0003 grants it).
REFERENCE = {"district", "standard"}  # shared by every cooperative, read only
STAFF_ONLY = {"membership"}
FIELD_WORK = {
    "producer", "householdmember", "producerstatuschange", "plot", "inspection", "nonconformity",
    "delivery", "qualityanalysis",
    "campaignassignment",
}  # fmt: skip
CERTIFICATION_DATA = {
    "cooperative", "producer", "householdmember", "producerstatuschange", "plot", "standard", "certificate",
    "coveredproducer", "coveredplot", "inspection", "nonconformity", "delivery", "qualityanalysis", "district",
    "inspectioncampaign", "campaignassignment", "sanctiontype", "sanction", "approvaldecision", "externalsample",
}  # fmt: skip
# The mass balance ledger and recertifications: auditors read them (exports/0004, harvests/0006).
CERTIFICATION_DATA |= {"certifiedbalance", "recertification"}
# The Fairtrade premium's records: auditors read them too, the premium's use being audited (fairtrade/0002).
CERTIFICATION_DATA |= {
    "referenceprice", "premiumaccount", "developmentplan", "project", "generalassembly", "projectapproval",
    "premiumreceipt", "premiumspending",
}  # fmt: skip
PERMISSION_OF_METHOD = {"GET": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}
# What each extra action needs, per method: the permission on the viewset's model (as RolePermission
# checks it, or as the action's own permission_classes do) and any the action itself requires on
# another model ("add lotallocation"). An action may not need what its method suggests.
EXTRA_ACTIONS = {
    ("producer", "status"): {"POST": ["change"]},  # a step in the family's history changes the family
    ("plot", "geojson"): {"GET": ["view"]},
    ("lot", "allocate"): {"POST": ["add", "add lotallocation"]},
    ("lot", "allocation"): {"PATCH": ["change", "change lotallocation"], "DELETE": ["delete", "delete lotallocation"]},
    ("shipment", "trace"): {"GET": ["view"]},
    # An EUDR file shows the plots' boundaries (exports.eudr.DOWNLOAD_PERMISSIONS).
    ("shipment", "eudr"): {"GET": ["view", "view plot"]},
    ("lot", "eudr"): {"GET": ["view", "view plot"]},
    ("cooperative", "eudr"): {"GET": ["view", "view plot"]},
    ("shipment", "trace_report"): {"GET": ["view"]},
    # A delivery's certification derived again: a manager's correction, kept on the record.
    ("delivery", "recertify"): {"POST": ["change", "add recertification"]},
    ("certifiedbalance", "mass_balance"): {"GET": ["view"]},
    ("developmentplan", "premium_report"): {"GET": ["view"]},
    ("project", "approve"): {"POST": ["add", "add projectapproval"]},
    # The ICS member list shows the families, their plots and inspections besides the certificates.
    ("certificate", "ics_member_list"): {"GET": ["view", "view producer", "view plot", "view inspection"]},
    ("inspectioncampaign", "progress"): {"GET": ["view"]},
    # The approved member list shows the families, their plots and inspections besides the decisions.
    ("approvaldecision", "approved_member_list"): {"GET": ["view", "view producer", "view plot", "view inspection"]},
    ("certificate", "ics_member_list_of_certificate"): {
        "GET": ["view", "view producer", "view plot", "view inspection"]
    },
    # The plausibility flags name families and plots and add up deliveries.
    ("cooperative", "plausibility"): {"GET": ["view", "view producer", "view plot", "view delivery"]},
}
# The further URL parameters of an extra action: the row of the same cooperative that fills each.
URL_KWARGS = {("lot", "allocation"): {"allocation_id": LotAllocation}}
# The query parameters of an extra action: the row of the role's own cooperative that fills each
# (a superuser works for every cooperative, so names the one wanted).
QUERY_KWARGS = {
    ("certificate", "ics_member_list"): {"cooperative": Cooperative},
    ("approvaldecision", "approved_member_list"): {"cooperative": Cooperative},
    ("certifiedbalance", "mass_balance"): {"cooperative": Cooperative},
}


def may(kind, permission, model_name):
    """Whether a role of this kind holds `<permission>_<model_name>`."""
    if kind == "superuser":
        return True
    if kind is None:
        return False
    if permission == "view":
        if kind == roles.AUDITOR:
            return model_name in CERTIFICATION_DATA
        return model_name not in STAFF_ONLY or kind == roles.MANAGER
    if model_name in REFERENCE:
        return False
    if kind == roles.MANAGER:
        return permission == "change" or model_name != "cooperative"
    if kind == roles.FIELD_OFFICER:
        return permission in ("add", "change") and model_name in FIELD_WORK
    return False


@dataclass(frozen=True)
class Role:
    name: str
    kind: str | None  # a group of cooperatives.roles, "superuser", or None for nobody
    home: str | None  # the cooperative the role works for, "A" or "B"


ROLES = [
    Role("anonymous", None, None),
    Role("manager of A", roles.MANAGER, "A"),
    Role("field officer of A", roles.FIELD_OFFICER, "A"),
    Role("partner of A", roles.PARTNER, "A"),
    Role("auditor of A", roles.AUDITOR, "A"),
    Role("superuser", "superuser", "A"),
    # A read key reads as a partner does; a write key works as a field officer does.
    Role("read key for A", roles.PARTNER, "A"),
    Role("write key for A", roles.FIELD_OFFICER, "A"),
    Role("manager of B", roles.MANAGER, "B"),
]

ALLOWED = "allowed"  # a write that passes the checks: any answer but 401, 403, 404, 405 or 5xx


def expected_status(role, operation, model, target):
    """The answer a role should get; `target` is "own", "other" (cooperative) or None for a collection."""
    method, supported = operation.method, operation.supported
    if role.kind is None:
        return 401  # PartnerKeyAuthentication names its scheme in WWW-Authenticate, so 401, not 403
    needed = [[*p.split(), model._meta.model_name][:2] for p in operation.permissions]
    if not all(may(role.kind, permission, model_name) for permission, model_name in needed):
        return 403
    if not supported:
        return 405
    if target == "other" and role.kind != "superuser":
        return 404
    return 200 if method == "GET" else ALLOWED


@dataclass(frozen=True)
class Operation:
    label: str
    method: str
    url_name: str
    lookup: str | None  # the viewset's lookup field, for an operation on one row
    supported: bool
    permissions: tuple  # what the role must hold: "view" (on the viewset's model) or "add lotallocation"
    url_kwargs: tuple = ()  # further URL parameters: (name, model of the row that fills it)
    query_kwargs: tuple = ()  # query parameters: (name, model of the role's own row that fills it)


@dataclass(frozen=True)
class Endpoint:
    basename: str
    prefix: str
    viewset: type

    @property
    def model(self):
        queryset = getattr(self.viewset, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer = getattr(self.viewset, "serializer_class", None)
        return getattr(getattr(serializer, "Meta", None), "model", None)

    def operations(self):
        viewset, basename = self.viewset, self.basename
        lookup = viewset.lookup_field

        def plain(label, method, url_name, lookup):
            supported = hasattr(viewset, label) and method.lower() in viewset.http_method_names
            return Operation(label, method, url_name, lookup, supported, (PERMISSION_OF_METHOD[method],))

        yield plain("list", "GET", f"{basename}-list", None)
        yield plain("retrieve", "GET", f"{basename}-detail", lookup)
        yield plain("create", "POST", f"{basename}-list", None)
        yield plain("partial_update", "PATCH", f"{basename}-detail", lookup)
        yield plain("destroy", "DELETE", f"{basename}-detail", lookup)
        for action in viewset.get_extra_actions():
            key = (self.model._meta.model_name, action.__name__)
            for method in action.mapping:
                yield Operation(
                    f"{action.__name__} (extra action)",
                    method.upper(),
                    f"{basename}-{action.url_name}",
                    lookup if action.detail else None,
                    method in viewset.http_method_names,
                    tuple(EXTRA_ACTIONS[key][method.upper()]),
                    tuple(URL_KWARGS.get(key, {}).items()),
                    tuple(QUERY_KWARGS.get(key, {}).items()),
                )

    def unknown_extra_actions(self):
        """Extra actions (or methods of them) the rule table does not know."""
        unknown = []
        for action in self.viewset.get_extra_actions():
            known = EXTRA_ACTIONS.get(
                (getattr(self.model, "_meta", None) and self.model._meta.model_name, action.__name__)
            )
            for method in action.mapping:
                if known is None or method.upper() not in known:
                    where = f"{self.viewset.__name__}.{action.__name__}"
                    unknown.append(f"{method.upper()} {self.prefix}/…/{action.url_path}/ ({where})")
        return unknown


ENDPOINTS = [Endpoint(basename, prefix, viewset) for prefix, viewset, basename in api.router.registry]


def build_world(base):
    world = {}
    for position, (model, build) in enumerate(BUILDERS.items()):
        world[model] = build(world, id=base + 1000 * position)
    return world


def answers_as_expected(status, expected):
    if expected == ALLOWED:
        return status not in (401, 403, 404, 405) and status < 500
    return status == expected


def ids_in(body):
    return {int(number) for number in re.findall(rb"\d+", body)}


@pytest.fixture
def worlds(db):
    # A before B, then B's ids below A's: on SQLite a row created later never reuses either.
    a = build_world(7_200_000)
    b = build_world(7_100_000)
    return {"A": a, "B": b}


@pytest.fixture
def clients(worlds):
    """A logged-in client (or one with a key) per role."""
    a, b = worlds["A"][Cooperative], worlds["B"][Cooperative]
    made = {}
    for role in ROLES:
        client = Client()
        if role.kind == "superuser":
            client.force_login(factories.UserFactory(is_superuser=True))
        elif role.name.endswith("key for A"):
            scope = "read" if role.kind == roles.PARTNER else "write"
            _row, key = partner_key_issue(name=f"{scope} key", cooperatives=[a], scope=scope)
            client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
        elif role.kind is not None:
            client.force_login(factories.staff_for(a if role.home == "A" else b, role.kind))
        made[role.name] = client
    return made


@pytest.fixture(autouse=True)
def _no_throttling_across_tests():
    cache.clear()


def call(client, method, url):
    """One request, undone afterwards, so that a DELETE or PATCH leaves the rows for the next."""
    with transaction.atomic():
        body = json.dumps({}) if method in ("POST", "PUT", "PATCH") else None
        response = client.generic(method, url, body, content_type="application/json")
        if response.streaming:
            # Read a streamed answer (an EUDR file) while its database cursor still lives.
            response.streaming_content = [b"".join(response.streaming_content)]
        transaction.set_rollback(True)
    return response


def test_the_matrix_can_build_a_row_for_every_endpoint():
    """A new endpoint needs a builder in BUILDERS (and, if its rules differ, a line in the rule table)."""
    unknown = [
        f"/api/v1/{e.prefix}/ (basename {e.basename!r}, model {e.model!r})"
        for e in ENDPOINTS
        if e.model not in BUILDERS
    ]
    assert unknown == [], (
        "These endpoints are not in the permission matrix; add their model to BUILDERS in "
        f"tests/cooperatives/test_api_permission_matrix.py: {unknown}"
    )


def test_the_matrix_knows_what_every_extra_action_needs():
    unknown = [action for e in ENDPOINTS if e.model in BUILDERS for action in e.unknown_extra_actions()]
    assert unknown == [], (
        "These extra actions are not in the permission matrix; say which permission each needs in "
        f"EXTRA_ACTIONS of tests/cooperatives/test_api_permission_matrix.py: {unknown}"
    )


def test_every_path_of_the_api_is_a_router_resource_or_known_to_be_open():
    """A view added beside the router (not on it) would escape the matrix: put it on the router as an action."""
    stray = [
        str(pattern.pattern)
        for pattern in api.urlpatterns
        if not isinstance(pattern, URLResolver) and pattern.name not in OPEN_PATHS
    ]
    assert stray == [], f"Paths of config/api.py outside the router, so outside the permission matrix: {stray}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.basename for e in ENDPOINTS])
def test_every_role_gets_what_the_rules_say(endpoint, worlds, clients):
    assert endpoint.model in BUILDERS, f"No builder for {endpoint.model!r}: add one to BUILDERS"
    assert endpoint.unknown_extra_actions() == [], "Extra actions missing from EXTRA_ACTIONS: see the test above"
    failures = []
    cases = 0
    for operation in endpoint.operations():
        targets = ["own", "other"] if operation.lookup else [None]
        for role in ROLES:
            home = role.home or "A"
            other = "B" if home == "A" else "A"
            for target in targets:
                kwargs = {}
                if target:
                    world = worlds[home if target == "own" else other]
                    kwargs = {operation.lookup: getattr(world[endpoint.model], operation.lookup)}
                    kwargs.update({name: world[model].pk for name, model in operation.url_kwargs})
                url = reverse(f"api:{operation.url_name}", kwargs=kwargs)
                if operation.query_kwargs:
                    url += "?" + "&".join(f"{name}={worlds[home][model].pk}" for name, model in operation.query_kwargs)
                expected = expected_status(role, operation, endpoint.model, target)
                cases += 1
                where = f"{role.name:<19} {operation.method:<6} {url} ({operation.label}, {target or 'collection'})"
                try:
                    response = call(clients[role.name], operation.method, url)
                except Exception:
                    failures.append(f"{where}: expected {expected}, raised\n{traceback.format_exc()}")
                    continue
                status = response.status_code
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if not answers_as_expected(status, expected):
                    failures.append(f"{where}: expected {expected}, got {status} {body[:300]!r}")
                if role.kind != "superuser":
                    leaked = ids_in(body) & {row.pk for row in worlds[other].values()}
                    if leaked:
                        failures.append(f"{where}: the body shows ids {sorted(leaked)} of cooperative {other}")
                if operation.label == "list" and expected == 200 and status == 200:
                    mine = worlds[home][endpoint.model].pk
                    if mine not in ids_in(body):
                        failures.append(f"{where}: the list does not show the role's own row {mine}")
    assert cases > 0
    assert failures == [], f"{len(failures)} of {cases} cases differ from the rules:\n" + "\n".join(failures)
