"""What every server-rendered page shares: who may open it, and in which cooperative.

Pages live under /c/<cooperative code>/. A cooperative the user does not work for answers
404, exactly as one that does not exist; a role that may not open the page answers 403.
Rows are always looked up within the page's cooperative, so another cooperative's id is a 404.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views import View

from . import roles
from .models import Cooperative

# Who may open the pages at all (partners read through the API).
READERS = (roles.MANAGER, roles.FIELD_OFFICER, roles.AUDITOR)
# Who records families, plots, purchases and inspections.
WRITERS = (roles.MANAGER, roles.FIELD_OFFICER)
MANAGERS = (roles.MANAGER,)
# Who reads the certified mass balance: the office and the certifier's auditors, not the field.
MASS_BALANCE_READERS = (roles.MANAGER, roles.AUDITOR)


def user_roles(user):
    """The names of the user's roles, read once per user object."""
    names = getattr(user, "_minka_roles", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._minka_roles = names
    return names


def has_role(user, allowed):
    return user.is_superuser or bool(user_roles(user) & set(allowed))


class CooperativePageMixin(LoginRequiredMixin):
    """A page of one cooperative (`code` in the URL), open to the roles in `page_roles`.

    Sets `self.cooperative`; `self.scoped(queryset)` keeps the rows of that cooperative.
    """

    page_roles = READERS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cooperative = get_object_or_404(Cooperative.objects.for_user(request.user), code=kwargs["code"])
        if not has_role(request.user, self.page_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, queryset):
        return queryset.for_cooperative(self.cooperative)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooperative"] = self.cooperative
        context["can_write"] = has_role(self.request.user, WRITERS)
        return context


class HomeView(LoginRequiredMixin, View):
    """Where a user lands: their cooperative's dashboard, the overview of several, or a partner's API page."""

    def get(self, request):
        if not has_role(request.user, READERS):
            if has_role(request.user, (roles.PARTNER,)):
                return redirect("partner_home")
            raise PermissionDenied
        cooperatives = list(Cooperative.objects.for_user(request.user).values_list("code", flat=True)[:2])
        if len(cooperatives) == 1:
            return redirect("dashboard", code=cooperatives[0])
        return redirect("overview")


def favicon(request):
    """/favicon.ico, which browsers and tools ask for by themselves: Minka's icon, an SVG among the static files."""
    response = HttpResponseRedirect(static("minka/favicon.svg"))
    # The static name changes with its content (the manifest's hash): a day's cache, not a permanent redirect.
    patch_cache_control(response, public=True, max_age=86400)
    return response


# Characters that must not reach HTML raw inside a <script> (as django.utils.html.json_script escapes them).
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(encoded):
    """JSON already encoded (bytes, e.g. a map's GeoJSON, never parsed) made safe inside a <script> element."""
    return mark_safe(encoded.decode().translate(SCRIPT_ESCAPES))
