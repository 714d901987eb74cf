"""Issuing and revoking the API keys a cooperative gives its partners and field apps."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import Membership, PartnerKey

# A read key reads as a partner does; a write key works as a field officer does.
ROLE_OF_SCOPE = {PartnerKey.Scope.READ: roles.PARTNER, PartnerKey.Scope.WRITE: roles.FIELD_OFFICER}


@transaction.atomic
def partner_key_issue(
    *, name, cooperatives, scope=PartnerKey.Scope.READ, personal_data=False, expiry_date=None, issued_by=None
):
    """Create a key and the account it acts through; returns (key row, the key itself, shown once)."""
    cooperatives = list(cooperatives)
    if not cooperatives:
        raise ValidationError({"cooperatives": _("Choose at least one cooperative for this key.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the key a name that says who holds it.")})
    username = f"key-{slugify(name)[:100]}-{get_random_string(6).lower()}"
    account = get_user_model().objects.create(username=username, first_name=name[:150], is_active=True)
    account.set_unusable_password()
    account.save(update_fields=["password"])
    account.groups.add(Group.objects.get(name=ROLE_OF_SCOPE[PartnerKey.Scope(scope)]))
    Membership.objects.bulk_create([Membership(user=account, cooperative=c) for c in cooperatives])
    partner_key, key = PartnerKey.objects.create_key(
        name=name,
        account=account,
        scope=scope,
        personal_data=personal_data,
        expiry_date=expiry_date,
        issued_by=issued_by,
    )
    return partner_key, key


@transaction.atomic
def partner_key_change(*, partner_key, cooperatives=None, scope=None, personal_data=None, expiry_date=None):
    """Change what a key may see and do; the key itself stays the same."""
    account = partner_key.account
    if cooperatives is not None:
        cooperatives = list(cooperatives)
        if not cooperatives:
            raise ValidationError({"cooperatives": _("Choose at least one cooperative for this key.")})
        Membership.objects.filter(user=account).exclude(cooperative__in=cooperatives).delete()
        for cooperative in cooperatives:
            Membership.objects.get_or_create(user=account, cooperative=cooperative)
    if scope is not None and scope != partner_key.scope:
        account.groups.set([Group.objects.get(name=ROLE_OF_SCOPE[PartnerKey.Scope(scope)])])
        partner_key.scope = scope
    if personal_data is not None:
        partner_key.personal_data = personal_data
    partner_key.expiry_date = expiry_date if expiry_date is not None else partner_key.expiry_date
    partner_key.save(update_fields=["scope", "personal_data", "expiry_date"])
    return partner_key


@transaction.atomic
def partner_key_revoke(*, partner_key):
    """A revoked key answers 401 from now on; its history stays."""
    partner_key.revoked = True
    partner_key.save(update_fields=["revoked"])
    partner_key.account.is_active = False
    partner_key.account.save(update_fields=["is_active"])
