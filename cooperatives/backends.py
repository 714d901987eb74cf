"""Django's model backend, with what each role and permission means read once, not per request.

A role is a group whose permissions a migration set (cooperatives.roles) and which changes
rarely. Django's backend joins four tables twice on every request to learn a user's
permissions: about 2.5 ms of an API request on these machines, as much as the page itself.
Here two plain lookups read the user's group and own permission ids, and the meaning of both comes
from a cache: a change of a user's role (a key's scope) counts at once; a change to what a
role may do counts at once in this process and within ROLE_PERMISSIONS_SECONDS in the others.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

CACHE_KEY = "minka:role-permissions"


def role_permissions():
    """({group id: {"app_label.codename", ...}}, {permission id: "app_label.codename"}), cached."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        names = {
            pk: f"{app_label}.{codename}"
            for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
        }
        roles = {}
        for group_id, permission_id in Group.permissions.through.objects.values_list("group_id", "permission_id"):
            roles.setdefault(group_id, set()).add(names[permission_id])
        cached = (roles, names)
        cache.set(CACHE_KEY, cached, getattr(settings, "ROLE_PERMISSIONS_SECONDS", 60))
    return cached


@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_save, sender=Permission)
@receiver(post_delete, sender=Permission)
def forget_role_permissions(**kwargs):
    cache.delete(CACHE_KEY)


class RoleBackend(ModelBackend):
    def _load(self, user_obj):
        """Fill Django's per-user caches of own and group permissions from two plain id lookups."""
        if hasattr(user_obj, "_perm_cache") or user_obj.is_superuser:
            return
        User = type(user_obj)
        roles, names = role_permissions()
        group_ids = User.groups.through.objects.filter(user=user_obj).values_list("group_id", flat=True)
        own_ids = User.user_permissions.through.objects.filter(user=user_obj).values_list("permission_id", flat=True)
        user_obj._group_perm_cache = set().union(*(roles.get(pk, ()) for pk in group_ids))
        user_obj._user_perm_cache = {names[pk] for pk in own_ids}
        user_obj._perm_cache = user_obj._user_perm_cache | user_obj._group_perm_cache

    def get_user_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            self._load(user_obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            self._load(user_obj)
        return super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            self._load(user_obj)
        return super().get_all_permissions(user_obj, obj)
