"""Purchases (deliveries from member families): the list, the form that records one, its receipt.

Each page costs a constant number of queries: the list reads one page of rows by keyset on the
(cooperative, date) index, and its totals in one aggregate, however many purchases there are.
"""

import datetime
import re

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from certifications.models import Standard
from cooperatives.models import CollectionCentre
from cooperatives.pages import READERS, WRITERS, CooperativePageMixin
from plots.models import Plot
from producers.models import Producer

from .forms import DeliveryFilterForm, DeliveryForm
from .models import Delivery
from .services import receipt_number_suggest

PAGE_SIZE = 50
FAMILY_RESULTS = 10
# Why a family the purchase search finds cannot sell today.
NOT_ACTIVE = {
    Producer.Status.APPLICANT: gettext_lazy(
        "an applicant, not yet admitted: cannot sell until the cooperative admits them"
    ),
    Producer.Status.SUSPENDED: gettext_lazy("suspended: cannot sell while the suspension lasts"),
    Producer.Status.WITHDRAWN: gettext_lazy("withdrawn from the cooperative: cannot sell"),
}
# What the form remembers from one purchase to the next: officers buy at one centre, at the day's price.
REMEMBERED = ("collection_centre", "state", "price_pen_per_kg")


class DeliveryListView(CooperativePageMixin, TemplateView):
    """The latest purchases, newest first, filtered, fifty to a page, with the totals of the filter."""

    page_roles = READERS
    template_name = "harvests/delivery_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DeliveryFilterForm(self.request.GET or None, cooperative=self.cooperative)
        deliveries = form.filter(self.scoped(Delivery.objects.all()))
        page = KeysetPage(self.request.GET, deliveries)
        context.update(
            form=form,
            deliveries=page.rows,
            page=page,
            totals=deliveries.order_by().aggregate(
                count=Count("id"), net_kg=Sum("net_kg"), dry_kg=Sum("dry_kg"), amount_pen=Sum("amount_pen")
            ),
        )
        return context


class KeysetPage:
    """One page of purchases, newest first, found by the (date, id) of a neighbouring row.

    `older=<date>.<id>` gives the rows after that one, `newer=<date>.<id>` those before it.
    Unlike an offset, the cursor reads only the page's rows from the (cooperative, date) index,
    however deep the page: no walk past the rows of the pages before it.
    """

    def __init__(self, params, deliveries):
        self.params = params
        older, newer = parse_cursor(params.get("older")), parse_cursor(params.get("newer"))
        deliveries = deliveries.select_related("producer", "collection_centre").prefetch_related(
            Prefetch("certified_standards", queryset=Standard.objects.order_by("name"))
        )
        if newer:
            day, pk = newer
            rows = list(
                deliveries.filter(date__gte=day)
                .filter(Q(date__gt=day) | Q(id__gt=pk))
                .order_by("date", "id")[: PAGE_SIZE + 1]
            )
            self.has_newer = len(rows) > PAGE_SIZE
            self.rows = rows[:PAGE_SIZE][::-1]
            self.has_older = True
        else:
            if older:
                day, pk = older
                deliveries = deliveries.filter(date__lte=day).filter(Q(date__lt=day) | Q(id__lt=pk))
            rows = list(deliveries.order_by("-date", "-id")[: PAGE_SIZE + 1])
            self.has_older = len(rows) > PAGE_SIZE
            self.rows = rows[:PAGE_SIZE]
            self.has_newer = older is not None
        self.is_first = not (older or newer)

    def older_query(self):
        return self._query("older", self.rows[-1]) if self.rows and self.has_older else None

    def newer_query(self):
        return self._query("newer", self.rows[0]) if self.rows and self.has_newer else None

    def first_query(self):
        params = self.params.copy()
        params.pop("older", None)
        params.pop("newer", None)
        return params.urlencode()

    def _query(self, direction, row):
        params = self.params.copy()
        params.pop("older", None)
        params.pop("newer", None)
        params[direction] = f"{row.date.isoformat()}.{row.pk}"
        return params.urlencode()


def parse_id(value):
    """A row id from a query string, or None for anything that is not one."""
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value or "") else None


def parse_cursor(value):
    """(date, id) from "2026-06-15.123"; None for anything else."""
    match = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.([0-9]{1,18})", value or "")
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match[1]), int(match[2])
    except ValueError:
        return None


class DeliveryCreateView(CooperativePageMixin, TemplateView):
    """Record a purchase: on a phone, at a collection centre, with a printed receipt to follow."""

    page_roles = WRITERS
    template_name = "harvests/delivery_form.html"

    def get(self, request, *args, **kwargs):
        remembered = request.session.get(self.session_key(), {})
        initial = {name: remembered[name] for name in REMEMBERED if name in remembered}
        initial["receipt_number"] = suggested = receipt_suggestion(self.cooperative, initial.get("collection_centre"))
        form = DeliveryForm(initial=initial, cooperative=self.cooperative)
        return self.render_to_response(self.get_context_data(form=form, receipt_suggested=suggested))

    def post(self, request, *args, **kwargs):
        if "show_plots" in request.POST or "suggest_receipt" in request.POST:
            # Without JavaScript, choosing a family or a centre takes a round trip: show the family's plots
            # and the centre's next receipt number (unless one was typed), judge nothing yet.
            initial = {**request.POST.dict(), "plots": request.POST.getlist("plots")}
            initial["receipt_number"], suggested = receipt_number_for(self.cooperative, request.POST)
            form = DeliveryForm(initial=initial, cooperative=self.cooperative)
            context = self.get_context_data(
                form=form, tick_single_plot="show_plots" in request.POST, receipt_suggested=suggested
            )
            return self.render_to_response(context)
        form = DeliveryForm(request.POST, cooperative=self.cooperative)
        delivery = form.record() if form.is_valid() else None
        if delivery is None:
            context = self.get_context_data(form=form, receipt_suggested=request.POST.get("receipt_suggested", ""))
            return self.render_to_response(context)
        request.session[self.session_key()] = {
            "collection_centre": delivery.collection_centre_id,
            "state": delivery.state,
            "price_pen_per_kg": str(delivery.price_pen_per_kg),
        }
        messages.success(request, _("Purchase %(receipt)s recorded.") % {"receipt": delivery.receipt_number})
        return redirect("delivery_receipt", code=self.cooperative.code, pk=delivery.pk)

    def session_key(self):
        return f"purchase-form-{self.cooperative.pk}"

    def get_context_data(self, tick_single_plot=False, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        families = list(
            Producer.objects.for_cooperative(self.cooperative)
            .active()
            .order_by("last_name", "first_name")
            .values_list("pk", "last_name", "first_name", "code")
        )
        chosen_id = form.chosen_producer_id()
        chosen = next((family for family in families if family[0] == chosen_id), None)
        context.update(
            family_options=family_options(families, chosen_id),
            chosen_family=chosen,
            family_search=(form.data if form.is_bound else form.initial).get("family_search", ""),
            plot_choices=plot_choices(
                self.cooperative,
                chosen_id if chosen else None,
                None if tick_single_plot and not form.chosen_plot_ids() else form.chosen_plot_ids(),
            ),
        )
        return context


def family_options(families, chosen_id):
    """The <option>s of the plain list of families (for phones without JavaScript).

    Built here rather than in a template loop, which takes ~100 ms for a thousand families.
    """
    return format_html_join(
        "",
        '<option value="{}"{}>{}, {} ({})</option>',
        ((pk, SELECTED if pk == chosen_id else "", last, first, code) for pk, last, first, code in families),
    )


SELECTED = mark_safe(" selected")


def plot_choices(cooperative, producer_id, checked_ids):
    """The family's plots as (plot, checked, organic status today); none before a family is chosen."""
    if producer_id is None:
        return []
    today = timezone.localdate()
    plots = Plot.objects.for_cooperative(cooperative).filter(producer_id=producer_id).order_by("code")
    plots = list(plots.only("id", "code", "name", "declared_area_ha", "conversion_start", "producer_id"))
    if len(plots) == 1 and checked_ids is None:
        checked_ids = {plots[0].pk}
    return [(plot, plot.pk in (checked_ids or ()), plot.conversion_status(today)) for plot in plots]


def receipt_suggestion(cooperative, centre_id):
    """The next free receipt number of this cooperative's centre `centre_id` (any id: another's is none)."""
    centre = None
    if centre_id is not None:
        centre = CollectionCentre.objects.for_cooperative(cooperative).filter(pk=centre_id).first()
        if centre is None:
            return ""
    return receipt_number_suggest(cooperative=cooperative, collection_centre=centre)


def receipt_number_for(cooperative, params):
    """(receipt number, suggestion) for the centre in `params`: a number the officer typed stays.

    A number left as it was suggested (`receipt_suggested`), or left empty, follows the centre.
    """
    typed = params.get("receipt_number", "").strip()
    if typed and typed != params.get("receipt_suggested", "").strip():
        return typed, params.get("receipt_suggested", "")
    suggested = receipt_suggestion(cooperative, parse_id(params.get("collection_centre")))
    return suggested, suggested


class ReceiptNumberView(CooperativePageMixin, TemplateView):
    """The receipt number field of the purchase form, for the centre just chosen (an htmx fragment)."""

    page_roles = WRITERS
    template_name = "harvests/_receipt_number.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number, suggested = receipt_number_for(self.cooperative, self.request.GET)
        context.update(
            form=DeliveryForm(initial={"receipt_number": number}, cooperative=self.cooperative),
            receipt_suggested=suggested,
        )
        return context


class FamilySearchView(CooperativePageMixin, TemplateView):
    """The active families matching what is typed in the purchase form (an htmx fragment).

    The family already chosen (`producer`) stays first, so searching again loses no choice.
    """

    page_roles = WRITERS
    template_name = "harvests/_family_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = Producer.objects.for_cooperative(self.cooperative).active().order_by("last_name", "first_name")
        fields = ("pk", "last_name", "first_name", "code")
        text = self.request.GET.get("family_search", "").strip()[:100]
        matches, not_active = [], []
        if len(text) >= 2:
            matches = list(active.matching(text).values_list(*fields)[: FAMILY_RESULTS + 1])
            # Families the officer may be looking for, who cannot sell: said beside the results, not offered.
            others = Producer.objects.for_cooperative(self.cooperative).exclude(status=Producer.Status.ACTIVE)
            not_active = [
                (last_name, first_name, code, NOT_ACTIVE[status])
                for last_name, first_name, code, status in others.matching(text)
                .order_by("last_name", "first_name")
                .values_list("last_name", "first_name", "code", "status")[:FAMILY_RESULTS]
            ]
        chosen_id = parse_id(self.request.GET.get("producer"))
        chosen = active.filter(pk=chosen_id).values_list(*fields).first() if chosen_id else None
        context.update(
            text=text if len(text) >= 2 else "",
            matches=matches[:FAMILY_RESULTS],
            more=len(matches) > FAMILY_RESULTS,
            not_active=not_active,
            chosen_family=chosen,
        )
        return context


class FamilyPlotsView(CooperativePageMixin, TemplateView):
    """The plots of the family just chosen in the purchase form, as checkboxes (an htmx fragment)."""

    page_roles = WRITERS
    template_name = "harvests/_plot_choices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        producer_id = parse_id(self.request.GET.get("producer"))
        context["plot_choices"] = plot_choices(self.cooperative, producer_id, None)
        context["family_chosen"] = producer_id is not None
        return context


class DeliveryReceiptView(CooperativePageMixin, TemplateView):
    """A purchase's receipt, to print on an A6 sheet or an 80 mm thermal roll."""

    page_roles = READERS
    template_name = "harvests/delivery_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = self.scoped(Delivery.objects.select_related("producer", "collection_centre")).prefetch_related(
            Prefetch("plots", queryset=Plot.objects.order_by("code").only("id", "code", "name")),
            Prefetch("certified_standards", queryset=Standard.objects.order_by("name")),
        )
        context["delivery"] = get_object_or_404(deliveries, pk=self.kwargs["pk"])
        return context
