"""The cooperative's dashboard, its map of plots, the federation overview, a partner's API page, and a family's
profile.

The figures come from overview.dashboard (the one service the API and admin read too);
the views only choose the day and the season and shape the figures for the charts.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django_countries import countries

from certifications.models import standard_name
from certifications.selectors import covered_on
from cooperatives import roles, seasons
from cooperatives.forms import form_errors
from cooperatives.models import Cooperative, Membership, PartnerKey
from cooperatives.pages import READERS, WRITERS, CooperativePageMixin, has_role, json_for_script
from cooperatives.services import ROLE_OF_SCOPE
from plots import maps
from producers.forms import ProducerStatusForm
from producers.models import Producer
from producers.services import producer_change_status

from . import dashboard
from .api.router import router
from .profile import family_profile

# The dashboard lists the largest excesses; the selector (and the API) give them all.
PLAUSIBILITY_SHOWN = 20
CUT_TEST_CLASSES = {
    "well_fermented": _("well fermented"),
    "violet": _("violet"),
    "slaty": _("slaty"),
    "mouldy": _("mouldy"),
    "defective": _("insect-damaged, germinated or flat"),
    "other": _("partly fermented or not classed"),
}


def chosen_season(request, today):
    """The season asked for in ?season=, if it is a year with purchases possible; else today's."""
    try:
        season = int(request.GET.get("season", ""))
    except ValueError:
        return seasons.season_of(today)
    return season if seasons.FIRST_SEASON <= season <= today.year else seasons.season_of(today)


def chart_data(figures):
    """What dashboard.js draws, as plain numbers and translated labels."""
    seasons = figures["seasons"]
    kg = {season: [0.0] * 12 for season in seasons}
    pen = {season: [0.0] * 12 for season in seasons}
    for month in figures["months"]:
        kg[month["season"]][month["month"] - 1] = float(month["kg"])
        pen[month["season"]][month["month"] - 1] = float(month["pen"])
    cut_test = [row for row in figures["quality"]["cut_test"] if row["beans"]]
    return {
        "locale": "es-PE" if translation.get_language() == "es" else "en",
        "months": [str(MONTHS_3[m]).capitalize() for m in range(1, 13)],
        "seasons": seasons,
        "kg": [kg[s] for s in seasons],
        "pen": [pen[s] for s in seasons],
        "season_kg": [float(t["kg"]) for t in figures["season_totals"]],
        "season_pen": [float(t["pen"]) for t in figures["season_totals"]],
        "cut_test": {
            "labels": [str(CUT_TEST_CLASSES[row["class"]]) for row in cut_test],
            "values": [float(row["pct"]) for row in cut_test],
        },
        "labels": {"kg": str(_("Dry kg")), "pen": str(_("Paid (S/)"))},
    }


class DashboardView(CooperativePageMixin, TemplateView):
    """A cooperative at a glance: members, hectares, map, purchases, quality, trade, ICS and EUDR."""

    template_name = "overview/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        figures = dashboard.dashboard(self.cooperative, today, chosen_season(self.request, today))
        for row in figures["trade"]["shipments"]:
            row["destination_name"] = countries.name(row["destination"]) or row["destination"]
        for row in figures["quality"]["cut_test"]:
            row["label"] = CUT_TEST_CLASSES[row["class"]]
        for row in figures["certificates_expiring"]:
            row["standard__name"] = standard_name(row["standard__name"])
        for campaign in figures["inspections"]["campaigns"]:
            campaign["standard_name"] = standard_name(campaign["standard_name"])
        hectares = figures["plots"]
        hectares["not_certified_ha"] = hectares["hectares"] - hectares["certified_ha"] - hectares["conversion_ha"]
        context.update(
            figures=figures,
            season_totals=figures["season_totals"][-1],
            season_choices=sorted(
                {*dashboard.seasons_with_data(self.cooperative, today), figures["season"]}, reverse=True
            ),
            chart_data=chart_data(figures),
            plausibility_shown=figures["plausibility"][:PLAUSIBILITY_SHOWN],
            plausibility_more=max(0, len(figures["plausibility"]) - PLAUSIBILITY_SHOWN),
            youth_age=dashboard.YOUTH_AGE,
            expiry_days=dashboard.EXPIRY_DAYS,
        )
        return context


class DashboardPlotsView(CooperativePageMixin, View):
    """The dashboard map's plots (of member families) as GeoJSON, coloured by certification and EUDR status."""

    def get(self, request, code):
        today = timezone.localdate()
        plots = dashboard.member_plots(self.cooperative).annotate(covered=covered_on(today))
        body = maps.feature_collection(plots, today)
        return HttpResponse(body, content_type="application/geo+json")


class OverviewView(LoginRequiredMixin, TemplateView):
    """Every cooperative the user works for, side by side, in a constant number of queries."""

    template_name = "overview/overview.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, READERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        cooperatives = list(Cooperative.objects.for_user(self.request.user).order_by("name").only("name", "code"))
        figures = dashboard.overview(cooperatives, today)
        context.update(
            rows=[(cooperative, figures[cooperative.pk]) for cooperative in cooperatives],
            totals=dashboard.totals(figures),
            season=seasons.season_of(today),
            expiry_days=dashboard.EXPIRY_DAYS,
        )
        return context


class PartnerHomeView(LoginRequiredMixin, TemplateView):
    """Where a partner lands: what the API offers them, the keys of their cooperatives, and its docs.

    A key is not tied to a person (PartnerKey knows its cooperatives, not who holds it), so a partner
    sees the keys issued for the cooperatives they work for: names, scope, expiry and whether the key
    shows personal data, never the key, its prefix or its hash. Each key's cooperatives are named only
    among the partner's own.
    """

    template_name = "overview/partner_home.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, (roles.PARTNER,)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cooperatives = list(Cooperative.objects.for_user(self.request.user).order_by("name").only("name", "code"))
        context.update(
            cooperatives=cooperatives,
            keys=partner_keys(cooperatives),
            resources=api_resources(),
            scopes=PartnerKey.Scope.choices,
        )
        return context


def partner_keys(cooperatives):
    """The keys that see one of `cooperatives`, each with `.shared_with` (those of `cooperatives` it sees)."""
    keys = list(
        PartnerKey.objects.filter(account__memberships__cooperative__in=cooperatives)
        .distinct()
        .order_by("revoked", "name")
        .only("name", "scope", "personal_data", "expiry_date", "revoked", "created", "account_id")
    )
    names = {cooperative.pk: cooperative.name for cooperative in cooperatives}
    shared = {}
    memberships = Membership.objects.filter(user__in=[key.account_id for key in keys], cooperative__in=cooperatives)
    for user_id, cooperative_id in memberships.values_list("user_id", "cooperative_id"):
        shared.setdefault(user_id, []).append(names[cooperative_id])
    for key in keys:
        key.shared_with = sorted(shared.get(key.account_id, []))
        key.expired = key.has_expired
    return keys


def api_resources():
    """Every resource of /api/v1/ and what a key of each scope may do with it, as its role's permissions say.

    Returns [{"name", "path", "access": [(scope, "write" | "read" | "")]}], in the router's order.
    """
    granted = {}
    permissions = Permission.objects.filter(group__name__in=ROLE_OF_SCOPE.values())
    for role, app_label, codename in permissions.values_list("group__name", "content_type__app_label", "codename"):
        granted.setdefault(role, set()).add(f"{app_label}.{codename}")
    resources = []
    for prefix, viewset, _basename in router.registry:
        opts = viewset.queryset.model._meta
        writable = {"post", "put", "patch"} & set(viewset.http_method_names) and hasattr(viewset, "create")
        access = []
        for scope, role in ROLE_OF_SCOPE.items():
            perms = granted.get(role, set())
            if writable and {f"{opts.app_label}.{action}_{opts.model_name}" for action in ("add", "change")} & perms:
                access.append((scope, "write"))
            elif f"{opts.app_label}.view_{opts.model_name}" in perms:
                access.append((scope, "read"))
            else:
                access.append((scope, ""))
        resources.append({"name": opts.verbose_name_plural, "path": f"{prefix}/", "access": access})
    return resources


class ProducerDetailView(CooperativePageMixin, TemplateView):
    """A family's profile: everything the cooperative knows of it, in a constant number of queries."""

    template_name = "producers/producer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coop = self.cooperative
        producer = get_object_or_404(self.scoped(Producer.objects.select_related("district")), pk=self.kwargs["pk"])
        producer.cooperative = coop
        profile = family_profile(coop, producer, timezone.localdate())
        context.update(profile, map_data=json_for_script(profile.pop("map_features")))
        if context["can_write"] and "status_form" not in context:
            context["status_form"] = ProducerStatusForm(producer=producer)
        return context


class ProducerStatusView(ProducerDetailView):
    """A step in the family's membership (posted from its profile), through producer_change_status."""

    page_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        producer = get_object_or_404(self.scoped(Producer.objects), pk=kwargs["pk"])
        form = ProducerStatusForm(request.POST, producer=producer)
        if form.is_valid():
            try:
                producer_change_status(
                    producer=producer,
                    to_status=form.cleaned_data["status"],
                    from_status=producer.status,
                    effective_date=form.cleaned_data["effective_date"],
                    reason=form.cleaned_data["reason"],
                    changed_by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error, field="status")
            else:
                messages.success(
                    request, _("The family's status is now: %(status)s.") % {"status": producer.get_status_display()}
                )
                return redirect("producer_detail", self.cooperative.code, producer.pk)
        return self.render_to_response(self.get_context_data(status_form=form))
