"""Who may open what in the admin: every role, every registered model and every view, as the API's matrix
does for /api/v1/ (tests/cooperatives/test_api_permission_matrix.py).

What a role may do is its group's model permissions (cooperatives/migrations/0003_create_roles.py and
the migrations that add models); the admin narrows them where a row is written by a service or is
shared reference data (the tables below, each with its reason). The household is personal data through
and through: a partner, who sees no personal data, never opens it, and no page a partner opens shows a
member's DNI. Another cooperative's row is missing for every role: its pages send to the admin's index
(Django's answer for a missing object) and its history answers 404 or sends there too.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from certifications.models import ChecklistTemplate, Standard
from cooperatives import roles
from cooperatives.models import Cooperative, District, DistrictBoundary, Membership, PartnerKey
from exports.models import LotAllocation
from fairtrade import models as fairtrade
from harvests.models import CertifiedBalance, Recertification
from producers.models import HouseholdMember, Producer, ProducerStatusChange
from tests import factories
from tests.admin_helpers import BUILDERS, MANAGER_CANNOT_ADD, REFERENCE, REGISTERED, SCOPED, label, url

pytestmark = pytest.mark.django_db

ROLES = ["manager", "field_officer", "partner", "auditor"]
VIEWS = ["changelist", "change", "add", "delete", "history", "export"]
DNI = "44556677"

# Rows written by services only, or kept for their history: no one deletes them in the admin, whatever
# the role's model permissions say (a key is revoked; a membership ends on its cooperative's page).
NOBODY_DELETES = {
    PartnerKey,
    ProducerStatusChange,
    CertifiedBalance,
    Recertification,
    fairtrade.PremiumAccount,
}
# Records of money and votes (fairtrade.admin.ServiceWriteAdmin) and lot allocations (removed on their lot's
# page, which moves the delivery's allocated kg with them).
NOBODY_DELETES |= {LotAllocation, fairtrade.PremiumReceipt, fairtrade.PremiumSpending, fairtrade.ProjectApproval}
# Reference data shared by all cooperatives: only a superuser adds, changes or deletes it.
NOBODY_DELETES |= REFERENCE | {Cooperative}
# The household is personal data: closed to those who see none (roles.sees_personal_data).
PERSONAL = {HouseholdMember}


def role_permissions(user, model):
    """The actions (view, add, change, delete) the user's role grants on `model`, read from the database."""
    codenames = Permission.objects.filter(
        group__user=user, content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    ).values_list("codename", flat=True)
    return {codename.split("_", 1)[0] for codename in codenames}


def expected_status(user, model, view):
    granted = role_permissions(user, model)
    may_read = bool(granted & {"view", "change"}) and not (model in PERSONAL and not roles.sees_personal_data(user))
    if view in ("changelist", "change", "history", "export"):
        return 200 if may_read else 403
    if view == "add":
        return 200 if may_read and "add" in granted and model not in MANAGER_CANNOT_ADD else 403
    return 200 if may_read and "delete" in granted and model not in NOBODY_DELETES else 403


def address(model, view, obj):
    if view in ("changelist", "add", "export"):
        return url(model, view)
    return url(model, view, obj.pk)


def build(model, coop):
    obj = BUILDERS[model](coop)
    # A family with a DNI in every world: no page a partner opens may show it.
    factories.ProducerFactory(cooperative=coop, dni=DNI) if not Producer.objects.filter(dni=DNI).exists() else None
    return obj


@pytest.mark.parametrize("model", REGISTERED, ids=label)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_each_admin_view_its_permissions_grant(coop, model, role, request):
    user = request.getfixturevalue(role)
    obj = build(model, coop)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)

    answers = {view: client.get(address(model, view, obj)) for view in VIEWS}

    assert {view: response.status_code for view, response in answers.items()} == {
        view: expected_status(user, model, view) for view in VIEWS
    }
    if not roles.sees_personal_data(user):
        shown = [view for view, response in answers.items() if DNI in response.content.decode()]
        assert shown == []


@pytest.mark.parametrize("model", SCOPED, ids=label)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_opens_another_cooperatives_row(coop, other_coop, model, role, request):
    user = request.getfixturevalue(role)
    theirs = BUILDERS[model](other_coop)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    index = url(model, "changelist").rsplit("/", 3)[0] + "/"

    change = client.get(url(model, "change", theirs.pk))
    delete = client.get(url(model, "delete", theirs.pk))
    history = client.get(url(model, "history", theirs.pk))
    listing = client.get(url(model, "changelist"))

    assert (change.status_code, change.get("Location")) in ((302, index), (403, None))
    assert (delete.status_code, delete.get("Location")) in ((302, index), (403, None))
    # The history of a missing object: 404 from django-simple-history's pages, Django's own sends to the index.
    assert (history.status_code, history.get("Location")) in ((302, index), (403, None), (404, None))
    if listing.status_code == 200:
        assert theirs.pk not in set(listing.context["cl"].queryset.values_list("pk", flat=True))
    else:
        assert listing.status_code == 403


@pytest.mark.parametrize("view", ["changelist", "change", "add", "history", "export"])
def test_a_superuser_opens_every_view_of_what_only_a_superuser_adds(client, superuser, view):
    client.force_login(superuser)

    for model in (District, DistrictBoundary, Standard, ChecklistTemplate, Membership, Cooperative):
        obj = BUILDERS[model](factories.CooperativeFactory())
        response = client.get(address(model, view, obj))
        assert (model, response.status_code) == (model, 200)
