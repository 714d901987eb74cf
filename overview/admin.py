"""The cooperative's admin page, with what reads across the domain: its plausibility flags of a season and the
download of its EUDR geolocation file. cooperatives.admin registers the cooperative's own fields; this app,
above every domain app, registers the page again with these two added (URL names unchanged)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cooperatives import admin as cooperatives_admin
from cooperatives import seasons
from cooperatives.models import Cooperative
from exports.admin import EudrDownloadAdminMixin
from harvests import plausibility

from .api.plausibility import PERMISSIONS as PLAUSIBILITY_PERMISSIONS
from .api.plausibility import SeasonSerializer

admin.site.unregister(Cooperative)


@admin.register(Cooperative)
class CooperativeAdmin(EudrDownloadAdminMixin, cooperatives_admin.CooperativeAdmin):
    list_display = [*cooperatives_admin.CooperativeAdmin.list_display, "plausibility_link"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/plausibility/",
                self.admin_site.admin_view(self.plausibility_view),
                name="cooperatives_cooperative_plausibility",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("plausibility"))
    def plausibility_link(self, obj):
        url = reverse("admin:cooperatives_cooperative_plausibility", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Flags"))

    def plausibility_view(self, request, object_id):
        """The plausibility flags of a cooperative in a season: harvests.plausibility's, as the dashboard's."""
        if not request.user.has_perms(["cooperatives.view_cooperative", *PLAUSIBILITY_PERMISSIONS]):
            raise PermissionDenied
        cooperative = self.get_object(request, unquote(object_id))
        if cooperative is None:
            raise Http404
        today = timezone.localdate()
        query = SeasonSerializer(data=request.GET)
        season = query.validated_data.get("season") if query.is_valid() else None
        season = season or seasons.season_of(today)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Plausibility flags of %(cooperative)s in %(season)s")
            % {"cooperative": cooperative, "season": season},
            "cooperative": cooperative,
            "flags": plausibility.cooperative_flags(cooperative, season),
            "seasons": range(today.year, max(seasons.FIRST_SEASON, today.year - 5) - 1, -1),
            "season_errors": query.errors.get("season", []),
        }
        return TemplateResponse(request, "admin/cooperatives/plausibility.html", context)
