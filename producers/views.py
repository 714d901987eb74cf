"""The pages of member families: the list, and the form for a family and its household (its profile, which
reads every app, is overview's)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cooperatives import uploads
from cooperatives.models import Cooperative
from cooperatives.pages import MANAGERS, WRITERS, CooperativePageMixin, has_role
from plots.models import Plot

from .forms import HouseholdFormSet, ProducerForm
from .models import Producer

PAGE_SIZE = 50
# A family's hectares in the list: a plot's measured area where its boundary is mapped, its declared area
# where it is a point (a point has no area to measure: older rows and the demo stored 0) or not mapped.
FAMILY_AREA = Case(
    When(geometry__type="Point", then="declared_area_ha"), default=Coalesce("measured_area_ha", "declared_area_ha")
)


class ProducerListView(CooperativePageMixin, TemplateView):
    template_name = "producers/producer_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:100]
        status = self.request.GET.get("status", "")
        families = self.scoped(Producer.objects.select_related("district"))
        if text:
            families = families.matching(text)
        if status in Producer.Status.values:
            families = families.filter(status=status)
        else:
            status = ""
        plots = self.scoped(Plot.objects.filter(producer=OuterRef("pk"))).order_by().values("producer")
        families = families.annotate(
            plot_count=Coalesce(Subquery(plots.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0),
            area_ha=Subquery(plots.annotate(ha=Sum(FAMILY_AREA)).values("ha"), output_field=DecimalField()),
        ).order_by("last_name", "first_name", "id")
        page = Paginator(families, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            families=page.object_list,
            q=text,
            status=status,
            statuses=Producer.Status.choices,
            query=query.urlencode(),
            can_import=has_role(self.request.user, MANAGERS),
        )
        return context


class ProducerFormView(CooperativePageMixin, TemplateView):
    """Register a family, or edit it, with its household: one page, saved all together or not at all."""

    page_roles = WRITERS
    template_name = "producers/producer_form.html"

    def get_producer(self):
        if "pk" not in self.kwargs:
            return Producer(cooperative=self.cooperative)
        return get_object_or_404(self.scoped(Producer.objects), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        producer = self.get_producer()
        form = ProducerForm(instance=producer, cooperative=self.cooperative)
        household = HouseholdFormSet(instance=producer, prefix="household")
        return self.render_to_response(self.get_context_data(form=form, household=household))

    def post(self, request, *args, **kwargs):
        producer = self.get_producer()
        form = ProducerForm(request.POST, instance=producer, cooperative=self.cooperative)
        household = HouseholdFormSet(request.POST, instance=form.instance, prefix="household")
        if all([form.is_valid(), household.is_valid()]):
            creating = producer.pk is None
            with transaction.atomic():
                producer = form.save()
                for member in household.save(commit=False):
                    member.producer = producer
                    member.cooperative_id = producer.cooperative_id
                    member.save()
                for member in household.deleted_objects:
                    member.delete()
            if creating:
                messages.success(request, _("Family %(family)s registered.") % {"family": producer})
            else:
                messages.success(request, _("Family %(family)s saved.") % {"family": producer})
            return redirect("producer_detail", self.cooperative.code, producer.pk)
        return self.render_to_response(self.get_context_data(form=form, household=household), status=200)


# Imports: a file of families (plots and their geometries: plots.views), previewed with every row's
# error, then confirmed; the steps are cooperatives.uploads', shared with the admin.


class ImportPageMixin(CooperativePageMixin):
    """The import of one kind of file (cooperatives.uploads.KINDS) into the page's cooperative; managers only.

    Its URLs are named `<url_prefix>_import`, `..._import_template` and `..._import_progress`.
    """

    page_roles = MANAGERS
    kind = "families"
    url_prefix = "producer"
    title = gettext_lazy("Import families")

    def import_kind(self):
        return uploads.KINDS[self.kind]

    def import_url(self, view, *args):
        return reverse(f"{self.url_prefix}_{view}", args=[self.cooperative.code, *args])


class ImportView(ImportPageMixin, TemplateView):
    template_name = "imports/import_page.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=uploads.ImportUploadForm(kind=self.import_kind())))

    def post(self, request, *args, **kwargs):
        kind, outcome = self.import_kind(), None
        form = uploads.ImportUploadForm(kind=kind)
        if "token" in request.POST:
            outcome = uploads.import_confirm(
                kind=kind,
                token=request.POST["token"],
                user=request.user,
                cooperatives=Cooperative.objects.filter(pk=self.cooperative.pk),
            )
            if outcome.report is not None and outcome.report.written:
                messages.success(request, uploads.done_message(outcome))
                return redirect("producer_list", self.cooperative.code)
        else:
            form = uploads.ImportUploadForm(request.POST, request.FILES, kind=kind)
            if form.is_valid():
                outcome = uploads.import_preview(
                    kind=kind, cooperative=self.cooperative, user=request.user, upload=form.cleaned_data["file"]
                )
        return self.render_to_response(self.get_context_data(form=form, outcome=outcome))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind, outcome = self.import_kind(), context.get("outcome")
        context.update(
            title=self.title,
            kind=kind,
            template_urls={
                file_format: self.import_url("import_template", file_format) for file_format in uploads.CONTENT_TYPES
            }
            if kind.template
            else {},
            progress_url=self.import_url("import_progress", outcome.token) if outcome and outcome.token else "",
            back_url=reverse("producer_list", args=[self.cooperative.code]),
        )
        return context


class ImportTemplateView(ImportPageMixin, View):
    """The kind's template to download: its columns and an example row."""

    def get(self, request, *args, file_format, **kwargs):
        return uploads.template_response(self.import_kind(), file_format)


class ImportProgressView(ImportPageMixin, View):
    """How far the confirmed import of `token` has come, for the page that waits for it (JSON)."""

    def get(self, request, *args, token, **kwargs):
        progress = uploads.read_progress(token, user=request.user, kind=self.import_kind())
        if progress is None:
            raise Http404
        return JsonResponse({"done": progress[0], "total": progress[1]})
