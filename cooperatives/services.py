"""Issuing and revoking the API keys a cooperative gives its partners and field apps."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import roles
from .models import Membership, PartnerKey, user_cooperative_ids

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


# An argument a change leaves as it is (None is a value: a key with no expiry date).
UNCHANGED = object()


def partner_key_may_change(*, partner_key, user):
    """Whether `user` may change or revoke `partner_key`: a superuser, or someone allowed to change keys
    who works for every cooperative the key reads. A key shared with another cooperative reads that
    cooperative's members too: only who answers for all of them may widen or end it."""
    if user.is_superuser:
        return True
    if not user.has_perm("cooperatives.change_partnerkey"):
        return False
    spans = set(Membership.objects.filter(user=partner_key.account_id).values_list("cooperative_id", flat=True))
    return spans <= set(user_cooperative_ids(user))


@transaction.atomic
def partner_key_change(
    *,
    partner_key,
    changed_by,
    name=UNCHANGED,
    cooperatives=UNCHANGED,
    scope=UNCHANGED,
    personal_data=UNCHANGED,
    expiry_date=UNCHANGED,
    revoked=UNCHANGED,
):
    """Change what a key may see and do; the key itself stays the same.

    Compared with the row as stored, never with the object given: a form may already have set the new
    values on it, and the key's account must follow its scope and its revocation.
    """
    stored = PartnerKey.objects.select_for_update().select_related("account").get(pk=partner_key.pk)
    if not partner_key_may_change(partner_key=stored, user=changed_by):
        raise PermissionDenied(
            _("This key also reads another cooperative's data: only who manages all of them may change it.")
        )
    account = stored.account
    fields = []
    if name is not UNCHANGED and name != stored.name:
        if not name.strip():
            raise ValidationError({"name": _("Give the key a name that says who holds it.")})
        stored.name = name
        fields.append("name")
    if cooperatives is not UNCHANGED:
        cooperatives = list(cooperatives)
        if not cooperatives:
            raise ValidationError({"cooperatives": _("Choose at least one cooperative for this key.")})
        if not changed_by.is_superuser and not {c.pk for c in cooperatives} <= set(user_cooperative_ids(changed_by)):
            raise PermissionDenied(_("A key may read only cooperatives you work for."))
        Membership.objects.filter(user=account).exclude(cooperative__in=cooperatives).delete()
        for cooperative in cooperatives:
            Membership.objects.get_or_create(user=account, cooperative=cooperative)
    if scope is not UNCHANGED and scope != stored.scope:
        account.groups.set([Group.objects.get(name=ROLE_OF_SCOPE[PartnerKey.Scope(scope)])])
        stored.scope = scope
        fields.append("scope")
    if personal_data is not UNCHANGED and personal_data != stored.personal_data:
        stored.personal_data = personal_data
        fields.append("personal_data")
    if expiry_date is not UNCHANGED and expiry_date != stored.expiry_date:
        stored.expiry_date = expiry_date
        fields.append("expiry_date")
    if fields:
        stored.save(update_fields=fields)
    if revoked is not UNCHANGED and revoked and not stored.revoked:
        _revoke(stored)
    elif revoked is not UNCHANGED and not revoked and stored.revoked:
        # Revoking is for good: a key handed out again is a new key, shown once.
        raise ValidationError({"revoked": _("A revoked key cannot be restored; issue a new one.")})
    return stored


@transaction.atomic
def partner_key_revoke(*, partner_key):
    """A revoked key answers 401 from now on; its history stays. (For commands and the owner of the
    installation: a person revokes through partner_key_change, which checks who they are.)"""
    _revoke(PartnerKey.objects.select_for_update().select_related("account").get(pk=partner_key.pk))
    partner_key.refresh_from_db(fields=["revoked"])


def _revoke(stored):
    stored.revoked = True
    stored.save(update_fields=["revoked"])
    stored.account.is_active = False
    stored.account.save(update_fields=["is_active"])
