"""The pages of the internal control system (ICS): inspections, campaigns, sanctions, approvals, samples."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cooperatives.forms import form_errors
from cooperatives.pages import MANAGERS, WRITERS, CooperativePageMixin, has_role
from harvests.plausibility import flags_on
from producers.models import Producer

from . import reports, selectors, services
from .checklists import PHOTO, answered
from .forms import (
    ApprovalDecisionForm,
    ApprovedListForm,
    CampaignAssignForm,
    CampaignForm,
    ChecklistForm,
    InspectionForm,
    NonConformityCloseForm,
    NonConformityFormSet,
    SampleDrawForm,
    SanctionForm,
)
from .models import (
    ApprovalDecision,
    ChecklistTemplate,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    Sanction,
    Standard,
)
from .photos import content_type_of

# The standard offered first: the one most of Minka's cooperatives are inspected for.
DEFAULT_STANDARD = "eu-organic"


class InspectionCreateView(CooperativePageMixin, TemplateView):
    """Record an internal inspection of a family, with the current checklist of its standard.

    The standard decides the questions: a posted (or, to swap the checklist, a GET ?standard=)
    value picks them; an unknown value falls back to the default standard.
    """

    page_roles = WRITERS
    template_name = "certifications/inspection_form.html"

    def get_forms(self, data=None, files=None):
        producer = get_object_or_404(self.scoped(Producer.objects), pk=self.kwargs["producer"])
        standards = Standard.objects.filter(checklist_templates__isnull=False).distinct().order_by("name")
        choices = {str(standard.pk): standard for standard in standards}
        chosen = (data if data is not None else self.request.GET).get("standard", "")
        standard = choices.get(chosen) or next(
            (standard for standard in choices.values() if standard.code == DEFAULT_STANDARD), None
        )
        standard, template = services.inspection_checklist_version(standard=standard)
        inspection = InspectionForm(
            data,
            producer=producer,
            inspector=self.request.user,
            standards=standards,
            standard=standard,
            checklist_url=self.request.path,
        )
        checklist = ChecklistForm(data, files, template=template)
        non_conformities = NonConformityFormSet(data, instance=inspection.instance, prefix="non_conformities")
        return producer, standard, inspection, checklist, non_conformities

    def get(self, request, *args, **kwargs):
        return self.render(*self.get_forms())

    def post(self, request, *args, **kwargs):
        producer, standard, form, checklist, non_conformities = self.get_forms(request.POST, request.FILES)
        if all([form.is_valid(), checklist.is_valid(), non_conformities.is_valid()]):
            inspection = form.save(commit=False)
            inspection.checklist_template = checklist.template
            inspection.checklist = checklist.answers(cooperative_id=inspection.cooperative_id)
            services.inspection_record(inspection=inspection, non_conformities=non_conformities.save(commit=False))
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


def inspection_template(inspection):
    """The checklist version the answers were given on; for an inspection older than the versions, the first."""
    if inspection.checklist_template_id:
        return inspection.checklist_template
    if inspection.standard_id:
        return ChecklistTemplate.objects.filter(standard_id=inspection.standard_id).order_by("version").first()
    return None


# The inspection page holds several forms: the ids of each are its own.
SANCTION_IDS = "sanction_%s"
APPROVAL_IDS = "approval_%s"


def close_ids(non_conformity):
    return f"close{non_conformity.pk}_%s"


class InspectionDetailView(CooperativePageMixin, TemplateView):
    template_name = "certifications/inspection_detail.html"

    def get_inspection(self):
        return get_object_or_404(
            self.scoped(Inspection.objects.select_related("producer", "standard", "inspector", "checklist_template")),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = kwargs.get("inspection") or self.get_inspection()
        today = timezone.localdate()
        non_conformities = list(self.scoped(inspection.non_conformities.all()).order_by("deadline", "id"))
        closing = kwargs.get("closing")
        for item in non_conformities:
            item.overdue = item.is_overdue(today)
            # One close form a row, each with ids of its own (the page holds several forms).
            item.close_form = (
                kwargs["close_form"]
                if item.pk == closing
                else NonConformityCloseForm(initial={"closed_on": today}, auto_id=close_ids(item))
            )
        template = inspection_template(inspection)
        context.update(
            inspection=inspection,
            template=template,
            answers=answered(template, inspection.checklist),
            photo=PHOTO,
            non_conformities=non_conformities,
            closing=closing,
            sanctions=list(inspection.sanctions.select_related("sanction_type", "plot").order_by("starts_on", "id")),
            sanction_form=kwargs.get("sanction_form") or SanctionForm(inspection=inspection, auto_id=SANCTION_IDS),
            approvals=self.scoped(ApprovalDecision.objects.filter(producer=inspection.producer_id))
            .select_related("standard")
            .order_by("-year", "standard__name"),
            approval_form=kwargs.get("approval_form")
            or ApprovalDecisionForm(inspection=inspection, auto_id=APPROVAL_IDS),
            can_manage=has_role(self.request.user, MANAGERS),
        )
        return context


class InspectionPhotoView(CooperativePageMixin, TemplateView):
    """A photo or file answering a question of an inspection, to the people of its cooperative only."""

    def get(self, request, *args, **kwargs):
        inspection = get_object_or_404(self.scoped(Inspection.objects), pk=kwargs["pk"])
        name = (inspection.checklist or {}).get(kwargs["key"])
        if not isinstance(name, str) or not name.startswith(f"inspections/{inspection.cooperative_id}/"):
            raise Http404
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type=content_type_of(name))


class NonConformityCloseView(InspectionDetailView):
    page_roles = WRITERS

    def post(self, request, *args, **kwargs):
        inspection = self.get_inspection()
        non_conformity = get_object_or_404(
            self.scoped(NonConformity.objects).filter(inspection=inspection), pk=kwargs["non_conformity"]
        )
        form = NonConformityCloseForm(request.POST, auto_id=close_ids(non_conformity))
        if form.is_valid():
            try:
                services.non_conformity_close(
                    non_conformity=non_conformity,
                    closed_on=form.cleaned_data["closed_on"],
                    evidence=form.cleaned_data["closing_evidence"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Non-conformity closed."))
                return redirect("inspection_detail", self.cooperative.code, inspection.pk)
        context = self.get_context_data(inspection=inspection, close_form=form, closing=non_conformity.pk)
        return self.render_to_response(context, status=400)


class SanctionImposeView(InspectionDetailView):
    page_roles = MANAGERS

    def post(self, request, *args, **kwargs):
        inspection = self.get_inspection()
        form = SanctionForm(request.POST, inspection=inspection, auto_id=SANCTION_IDS)
        if form.is_valid():
            try:
                sanction = services.sanction_impose(
                    **form.cleaned_data,
                    producer=inspection.producer,
                    inspection=inspection,
                    imposed_by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request, _("Sanction imposed: %(sanction)s.") % {"sanction": sanction.get_kind_display()}
                )
                return redirect("inspection_detail", self.cooperative.code, inspection.pk)
        return self.render_to_response(self.get_context_data(inspection=inspection, sanction_form=form), status=400)


class ApprovalDecideView(InspectionDetailView):
    """The ICS committee's decision on the inspected family, recorded by a manager from the inspection."""

    page_roles = MANAGERS

    def post(self, request, *args, **kwargs):
        inspection = self.get_inspection()
        form = ApprovalDecisionForm(request.POST, inspection=inspection, auto_id=APPROVAL_IDS)
        if form.is_valid():
            try:
                approval = services.approval_decide(
                    **form.cleaned_data,
                    producer=inspection.producer,
                    inspection=inspection,
                    decided_by=request.user,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Approval decision recorded: %(decision)s for %(year)s.")
                    % {"decision": approval.get_decision_display(), "year": approval.year},
                )
                return redirect("inspection_detail", self.cooperative.code, inspection.pk)
        return self.render_to_response(self.get_context_data(inspection=inspection, approval_form=form), status=400)


# Campaigns


class CampaignListView(CooperativePageMixin, TemplateView):
    template_name = "certifications/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(self.scoped(InspectionCampaign.objects.select_related("standard")).order_by("-year", "id"))
        context.update(
            campaigns=campaigns,
            form=kwargs.get("form") or CampaignForm(cooperative=self.cooperative),
            can_manage=has_role(self.request.user, MANAGERS),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, MANAGERS):
            raise PermissionDenied
        form = CampaignForm(request.POST, cooperative=self.cooperative)
        if form.is_valid():
            campaign = form.save()
            messages.success(request, _("Campaign %(campaign)s opened.") % {"campaign": campaign})
            return redirect("campaign_detail", self.cooperative.code, campaign.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CampaignDetailView(CooperativePageMixin, TemplateView):
    """A campaign's progress (done, pending, overdue) and who inspects whom; writers assign families."""

    template_name = "certifications/campaign_detail.html"

    def get_campaign(self):
        return get_object_or_404(
            self.scoped(InspectionCampaign.objects.select_related("standard")), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = kwargs.get("campaign") or self.get_campaign()
        progress = selectors.campaign_progress(campaign)
        state = self.request.GET.get("state", "")
        rows = [row for row in progress["rows"] if not state or row["state"] == state]
        context.update(
            campaign=campaign,
            progress=progress,
            rows=rows,
            state=state,
            assign_form=kwargs.get("assign_form") or CampaignAssignForm(campaign=campaign),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, WRITERS):
            raise PermissionDenied
        campaign = self.get_campaign()
        form = CampaignAssignForm(request.POST, campaign=campaign)
        if form.is_valid():
            try:
                assignments = services.campaign_assign(
                    campaign=campaign,
                    producers=form.cleaned_data["producers"],
                    inspector=form.cleaned_data["inspector"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("%(count)s families assigned.") % {"count": len(assignments)})
                return redirect("campaign_detail", self.cooperative.code, campaign.pk)
        return self.render_to_response(self.get_context_data(campaign=campaign, assign_form=form), status=400)


# The ICS at a glance: overdue non-conformities, sanctions, the approved member list and samples


APPROVED_LIST_IDS = "approved_%s"


class IcsView(CooperativePageMixin, TemplateView):
    template_name = "certifications/ics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            overdue=self.scoped(NonConformity.objects)
            .overdue(today)
            .select_related("inspection__producer")
            .order_by("deadline", "id")[:100],
            sanctions=self.scoped(Sanction.objects)
            .select_related("producer", "plot", "sanction_type")
            .order_by("-starts_on", "-id")[:100],
            samples=self.scoped(ExternalSample.objects).select_related("standard").order_by("-drawn_on")[:20],
            # Two forms on one page, both with a standard and a year: this one's ids are its own.
            approved_form=kwargs.get("approved_form")
            or ApprovedListForm(initial={"year": today.year}, auto_id=APPROVED_LIST_IDS),
            sample_form=kwargs.get("sample_form")
            or SampleDrawForm(initial={"year": today.year, "seed": int(today.strftime("%Y%m%d"))}),
            can_manage=has_role(self.request.user, MANAGERS),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, MANAGERS):
            raise PermissionDenied
        form = SampleDrawForm(request.POST)
        if form.is_valid():
            try:
                sample = services.sample_draw(cooperative=self.cooperative, drawn_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("%(count)s members drawn.") % {"count": sample.members.count()})
                return redirect("sample_detail", self.cooperative.code, sample.pk)
        return self.render_to_response(self.get_context_data(sample_form=form), status=400)


class SampleDetailView(CooperativePageMixin, TemplateView):
    template_name = "certifications/sample_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sample = get_object_or_404(
            self.scoped(ExternalSample.objects.select_related("standard", "drawn_by")), pk=self.kwargs["pk"]
        )
        context.update(sample=sample, members=sample.members.select_related("producer").order_by("producer__code"))
        return context


class ApprovedMemberListView(IcsView):
    """The approved member list of a standard and year, as XLSX or PDF (?format=pdf); asked wrongly, the ICS
    page again with the form's errors beside its fields."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        form = ApprovedListForm(request.GET, auto_id=APPROVED_LIST_IDS)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(approved_form=form), status=400)
        members = selectors.approved_member_list(
            self.cooperative,
            standard=form.cleaned_data["standard"],
            year=form.cleaned_data["year"],
            flags=flags_on(self.cooperative, timezone.localdate()),
            personal_data=True,
        )
        name = f"aprobados-{self.cooperative.code}-{form.cleaned_data['standard'].code}-{form.cleaned_data['year']}"
        return reports.member_list_download(members, name=name, file_format=form.cleaned_data["format"])
