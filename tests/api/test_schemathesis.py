"""Schema-driven fuzzing of /api/v1/: whatever a client sends, no server error, and answers as documented.

Schemathesis reads the live schema (/api/v1/schema/) and sends each operation a few
generated requests, in-process through the WSGI application, with a manager's key.
Examples are few and derandomized, so that the suite stays fast and a failure repeats.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings

from cooperatives import roles
from cooperatives.services import partner_key_issue
from tests import factories

APPLICATION = get_wsgi_application()
# Anyone may read the schema and reading it touches no database: it can be loaded at collection.
SCHEMA = schemathesis.openapi.from_dict(Client(HTTP_HOST="localhost").get("/api/v1/schema/?format=json").json())
SCHEMA.app = APPLICATION
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def manager_key(db):
    """A key that acts as a cooperative's manager, in a cooperative with one row of each kind."""
    coop = factories.CooperativeFactory()
    centre = factories.CollectionCentreFactory(cooperative=coop)
    producer = factories.ProducerFactory(cooperative=coop)
    plot = factories.PlotFactory(producer=producer)
    factories.CertificateFactory(cooperative=coop)
    factories.InspectionFactory(producer=producer)
    delivery = factories.DeliveryFactory(producer=producer, collection_centre=centre, plots=[plot])
    factories.QualityAnalysisFactory(delivery=delivery)
    shipment = factories.ShipmentFactory(
        contract=factories.ContractFactory(buyer=factories.BuyerFactory(cooperative=coop))
    )
    lot = factories.LotAllocationFactory(lot__cooperative=coop, delivery=delivery).lot
    factories.ShipmentLotFactory(shipment=shipment, lot=lot, kg=100)
    row, key = partner_key_issue(name="fuzzing", cooperatives=[coop], scope="write")
    row.account.groups.set([Group.objects.get(name=roles.MANAGER)])
    # The WSGI handler closes the connection after each request; the test's transaction must survive it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    # Generation only: no shrinking (a failure is reported as found), and no "explicit" phase, where
    # schemathesis adds its coverage cases (hundreds per operation: minutes, not seconds).
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_api_fail_or_answer_off_its_schema(case, manager_key):
    cache.clear()  # the throttle counts every example; they are not a partner's traffic
    case.call_and_validate(headers={"Authorization": f"Api-Key {manager_key}"}, checks=CHECKS)
