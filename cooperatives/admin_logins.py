"""The admin's page of failed logins, where a manager unlocks a colleague locked out by django-axes.

axes' own page shows every failure to whoever holds its permissions, which Minka's roles do not give
(they come from Minka's own migration). Here a manager reads and unlocks the failures of the accounts
that work for one of their cooperatives, and nothing else: not another cooperative's people, not a
superuser's account, not names that belong to nobody (a superuser sees and unlocks everything). Any
other row answers 404, on the change page as on the delete page.

Unlocking deletes every failure counted against the account, from every address: the account is
free at once, and so is an address whose failures were all this account's. An address locked by
failures at other names (someone trying many accounts) stays locked until its time runs out, or
until a superuser unlocks it.
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from . import roles
from .admin import colleagues

# axes has no Spanish: its names of the model and the columns shown, in Minka's catalogue.
AXES_WORDS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Username"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("Path"),
    gettext_noop("Failed Logins"),
    gettext_noop("Attempt Time"),
]


def may_unlock(user):
    return user.is_active and user.is_staff and (user.is_superuser or user.groups.filter(name=roles.MANAGER).exists())


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked_until"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    fields = ["username", "ip_address", "user_agent", "path_info", "failures_since_start", "attempt_time"]
    readonly_fields = fields
    actions = ["unlock"]

    def get_queryset(self, request):
        # An account is locked by its failures from every address together, as axes counts them.
        account_failures = (
            AccessAttempt.objects.filter(username=OuterRef("username"))
            .values("username")
            .annotate(total=Sum("failures_since_start"))
            .values("total")
        )
        attempts = super().get_queryset(request).annotate(account_failures=Coalesce(Subquery(account_failures), 0))
        if request.user.is_superuser:
            return attempts
        if not may_unlock(request.user):
            return attempts.none()
        usernames = colleagues(request.user).filter(is_superuser=False).values("username")
        return attempts.filter(username__in=usernames)

    def get_object(self, request, object_id, from_field=None):
        # The admin would send a missing row to its index with a message; another cooperative's row is a 404.
        if not may_unlock(request.user):
            raise PermissionDenied
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    @admin.display(description=_("locked until"))
    def locked_until(self, attempt):
        if attempt.account_failures < settings.AXES_FAILURE_LIMIT:
            return self.get_empty_value_display()
        return timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)

    @admin.action(
        description=_("Unlock the selected accounts"),
        permissions=["delete"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def unlock(self, request, queryset):
        selected = list(queryset.values_list("pk", "username", "ip_address"))
        usernames = {username for _pk, username, _address in selected if username}
        # Every failure of the selected accounts, from every address, and the selected rows themselves.
        failures = self.get_queryset(request).filter(Q(username__in=usernames) | Q(pk__in=[row[0] for row in selected]))
        AccessAttempt.objects.filter(pk__in=list(failures.values_list("pk", flat=True))).delete()
        names = sorted(usernames) or sorted({address for _pk, _username, address in selected if address})
        self.message_user(request, gettext("Unlocked: %(names)s.") % {"names": ", ".join(names)}, messages.SUCCESS)
        # From a row's page too, which is gone now.
        return HttpResponseRedirect(reverse("admin:axes_accessattempt_changelist"))

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # deleting failures is what "unlock" says
        return actions

    def has_module_permission(self, request):
        return may_unlock(request.user)

    def has_view_permission(self, request, obj=None):
        return may_unlock(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_unlock(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
