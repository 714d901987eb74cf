from rest_framework import permissions

from cooperatives import roles
from cooperatives.models import PartnerKey


class RolePermission(permissions.DjangoModelPermissions):
    """What a role (a group) may do, through its model permissions; reading needs `view` too.

    Which rows are visible is the queryset's business (`for_user`): an object of
    another cooperative is simply not there, so it answers 404.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if getattr(view, "_ignore_model_permissions", False):
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)


def sees_personal_data(request):
    """Members' DNI, phone, birth date and household: hidden from partners unless their key grants it.

    Asked by every serializer of a response, so the answer is kept on the request.
    """
    cached = getattr(request, "_minka_sees_personal_data", None)
    if cached is None:
        cached = _sees_personal_data(request)
        request._minka_sees_personal_data = cached
    return cached


def _sees_personal_data(request):
    if isinstance(request.auth, PartnerKey):
        return request.auth.personal_data
    return roles.sees_personal_data(request.user)
