"""The pages of the internal control system: record an internal inspection, and read one."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cooperatives.pages import WRITERS, CooperativePageMixin
from producers.models import Producer

from .checklists import CHECKLISTS, answered
from .forms import ChecklistForm, InspectionForm, NonConformityFormSet
from .models import Inspection, Standard

# The standard offered first: the one most of Minka's cooperatives are inspected for.
DEFAULT_STANDARD = "eu-organic"


class InspectionCreateView(CooperativePageMixin, TemplateView):
    """Record an internal inspection of a family, with the checklist of its standard.

    The standard decides the questions: a posted (or, to swap the checklist, a GET ?standard=)
    value picks them; an unknown value falls back to the default standard.
    """

    page_roles = WRITERS
    template_name = "certifications/inspection_form.html"

    def get_forms(self, data=None):
        producer = get_object_or_404(self.scoped(Producer.objects), pk=self.kwargs["producer"])
        standards = Standard.objects.filter(code__in=CHECKLISTS).order_by("name")
        choices = {str(standard.pk): standard for standard in standards}
        chosen = (data if data is not None else self.request.GET).get("standard", "")
        standard = choices.get(chosen) or next(
            (standard for standard in choices.values() if standard.code == DEFAULT_STANDARD), None
        )
        inspection = InspectionForm(
            data,
            producer=producer,
            inspector=self.request.user,
            standards=standards,
            standard=standard,
            checklist_url=self.request.path,
        )
        checklist = ChecklistForm(data, standard_code=standard.code if standard else "")
        non_conformities = NonConformityFormSet(data, instance=inspection.instance, prefix="non_conformities")
        return producer, standard, inspection, checklist, non_conformities

    def get(self, request, *args, **kwargs):
        return self.render(*self.get_forms())

    def post(self, request, *args, **kwargs):
        producer, standard, form, checklist, non_conformities = self.get_forms(request.POST)
        if all([form.is_valid(), checklist.is_valid(), non_conformities.is_valid()]):
            with transaction.atomic():
                inspection = form.save(commit=False)
                inspection.checklist = checklist.answers()
                inspection.save()
                for non_conformity in non_conformities.save(commit=False):
                    non_conformity.inspection = inspection
                    non_conformity.cooperative_id = inspection.cooperative_id
                    non_conformity.save()
            messages.success(request, _("Internal inspection of %(family)s recorded.") % {"family": producer})
            return redirect("inspection_detail", self.cooperative.code, inspection.pk)
        return self.render(producer, standard, form, checklist, non_conformities)

    def render(self, producer, standard, form, checklist, non_conformities):
        context = self.get_context_data(
            producer=producer,
            standard=standard,
            form=form,
            checklist=checklist,
            non_conformities=non_conformities,
            cancel_url=reverse("producer_detail", args=[self.cooperative.code, producer.pk]),
        )
        return self.render_to_response(context)


class InspectionDetailView(CooperativePageMixin, TemplateView):
    template_name = "certifications/inspection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = get_object_or_404(
            self.scoped(Inspection.objects.select_related("producer", "standard", "inspector", "sanctioned_plot")),
            pk=self.kwargs["pk"],
        )
        context.update(
            inspection=inspection,
            answers=answered(inspection.standard.code if inspection.standard else "", inspection.checklist),
            non_conformities=inspection.non_conformities.filter(cooperative=self.cooperative).order_by(
                "deadline", "id"
            ),
        )
        return context
