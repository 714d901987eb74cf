"""The internal inspection as a field officer records it: the visit, its checklist, its non-conformities."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plots.models import Plot
from producers.models import Producer

from .checklists import NUMBER, PHOTO, TEXT, YES_NO, question_text
from .models import ApprovalDecision, Inspection, InspectionCampaign, NonConformity, SanctionType, Standard
from .photos import PHOTO_MAX_MB, checklist_photo_store, validate_photo
from .selectors import inspectors_of

# HTML date inputs send ISO dates and show what they are given in ISO.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES, NO = "yes", "no"


class InspectionForm(forms.ModelForm):
    """The inspection of `producer` by `inspector` (the user recording it), checked by the model's clean().

    The inspector is a field (disabled, hidden: never taken from the request) so that the model's
    refusal of an inspector on his own family has a place on the page.
    """

    class Meta:
        model = Inspection
        fields = ["inspector", "date", "standard", "findings", "decision"]
        widgets = {
            "inspector": forms.HiddenInput,
            "date": DATE_WIDGET,
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, producer, inspector, standards, standard=None, checklist_url="", **kwargs):
        instance = Inspection(
            cooperative_id=producer.cooperative_id,
            producer=producer,
            inspector=inspector,
            standard=standard,
            date=timezone.localdate(),
        )
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["inspector"].disabled = True
        self.fields["inspector"].queryset = get_user_model().objects.filter(pk=inspector.pk)
        standard_field = self.fields["standard"]
        standard_field.queryset = standards
        standard_field.required = True
        standard_field.help_text = _("The checklist below follows the standard.")
        if checklist_url:
            # With htmx, choosing another standard swaps in its checklist and keeps the rest as typed.
            standard_field.widget.attrs.update(
                {
                    "hx-get": checklist_url,
                    "hx-trigger": "change",
                    "hx-target": "#checklist",
                    "hx-select": "#checklist",
                    "hx-swap": "outerHTML",
                }
            )


class ChecklistForm(forms.Form):
    """One field per question of a checklist template's version (models.ChecklistQuestion)."""

    prefix = "checklist"

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.questions = list(template.questions.all()) if template is not None else []
        for question in self.questions:
            self.fields[question.key] = self.field_for(question)

    @staticmethod
    def field_for(question):
        label, required = question_text(question.text), question.required
        if question.kind == YES_NO:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this question.")},
            )
        if question.kind == NUMBER:
            return forms.DecimalField(
                label=label,
                required=required,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                error_messages={"required": _("Answer this question.")},
            )
        if question.kind == TEXT:
            return forms.CharField(
                label=label,
                required=required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Answer this question.")},
            )
        if question.kind == PHOTO:
            return forms.FileField(
                label=label,
                required=required,
                validators=[validate_photo],
                help_text=_("A JPEG or PNG photo, or a PDF, of at most %(size)s MB.") % {"size": PHOTO_MAX_MB},
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
                error_messages={"required": _("Add the photo or file this question asks for.")},
            )
        raise ValueError(f"Unknown kind of question: {question.kind}")

    def answers(self, *, cooperative_id):
        """The answers as Inspection.checklist keeps them: question key → yes/no as true/false, a number,
        a text, or where a photo is stored (its uploads are stored now, under MEDIA_ROOT; a photo
        already stored, given as `initial`, keeps its name)."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            # Not `value in (None, "", False)`: a number answered 0 equals False and would be lost.
            if value is None or value is False or value == "":
                continue
            if question.kind == YES_NO:
                value = value == YES
            elif question.kind == NUMBER:
                value = int(value) if value == value.to_integral_value() else float(value)
            elif question.kind == PHOTO and not isinstance(value, str):
                value = checklist_photo_store(upload=value, cooperative_id=cooperative_id)
            answers[question.key] = value
        return answers


def checklist_answers_clean(template, answers, *, kept=None):
    """Answers given as Inspection.checklist keeps them (the API's JSON: question key → true/false, a
    number, a text) checked against `template`'s questions by the inspection page's own ChecklistForm.

    Returns them as they are kept. Raises ValidationError {question key: messages} for a wrong or
    missing answer and for a key the version does not ask. A photo is uploaded on the page only:
    here a photo answer must be the one already stored (`kept`, the inspection's answers).
    """
    if not isinstance(answers, dict):
        raise ValidationError(_("Give the answers as an object: question key → answer."), code="invalid")
    kept = kept or {}
    questions = {question.key: question for question in template.questions.all()} if template else {}
    errors = {
        key: [_("This checklist version has no question %(key)s.") % {"key": key}]
        for key in answers
        if key not in questions
    }
    data, stored_photos = {}, {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None or value is None:
            continue
        if question.kind == PHOTO:
            if isinstance(value, str) and value and value == kept.get(key):
                stored_photos[key] = value
            else:
                errors[key] = [_("Add a photo or file on the inspection page.")]
        elif question.kind == YES_NO and isinstance(value, bool):
            data[f"{ChecklistForm.prefix}-{key}"] = YES if value else NO
        elif (question.kind == TEXT and not isinstance(value, str)) or isinstance(value, (bool, dict, list)):
            errors[key] = [_("Give a %(kind)s.") % {"kind": question.get_kind_display()}]
        else:
            data[f"{ChecklistForm.prefix}-{key}"] = value
    form = ChecklistForm(data, {}, template=template, initial=stored_photos)
    if not form.is_valid():
        for key, messages in form.errors.items():
            errors.setdefault(key, messages)
    if errors:
        raise ValidationError(errors)
    return form.answers(cooperative_id=None)


class NonConformityForm(forms.ModelForm):
    class Meta:
        model = NonConformity
        fields = ["description", "severity", "corrective_action", "deadline"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "corrective_action": forms.Textarea(attrs={"rows": 2}),
            "deadline": DATE_WIDGET,
        }


NonConformityFormSet = forms.inlineformset_factory(
    Inspection, NonConformity, form=NonConformityForm, extra=1, can_delete=False, max_num=30, validate_max=True
)


class NonConformityCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET)
    closing_evidence = forms.CharField(
        label=_("Closing evidence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the non-conformity was corrected, and what shows it."),
    )


class SanctionForm(forms.Form):
    """A sanction of the cooperative's catalogue on the inspected family (services.sanction_impose)."""

    sanction_type = forms.ModelChoiceField(label=_("Sanction"), queryset=SanctionType.objects.none())
    plot = forms.ModelChoiceField(
        label=_("Excluded plot"), queryset=Plot.objects.none(), required=False, help_text=_("Only to exclude a plot.")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    non_conformity = forms.ModelChoiceField(
        label=_("Non-conformity"), queryset=NonConformity.objects.none(), required=False
    )

    def __init__(self, *args, inspection, **kwargs):
        kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["sanction_type"].queryset = SanctionType.objects.filter(
            cooperative_id=inspection.cooperative_id, active=True
        ).order_by("kind", "name")
        self.fields["plot"].queryset = Plot.objects.filter(
            cooperative_id=inspection.cooperative_id, producer_id=inspection.producer_id
        ).order_by("code")
        self.fields["non_conformity"].queryset = NonConformity.objects.filter(
            cooperative_id=inspection.cooperative_id, inspection=inspection
        ).order_by("id")


class ApprovalDecisionForm(forms.Form):
    """The ICS committee's decision on the inspected family (services.approval_decide), by default the
    inspector's recommendation for the inspection's standard and year; a new one replaces the year's."""

    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.order_by("name"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "---------"), *ApprovalDecision.Decision.choices])
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The committee's minutes, or what the conditions are."),
    )

    def __init__(self, *args, inspection, **kwargs):
        recommended = inspection.decision if inspection.decision in ApprovalDecision.Decision.values else ""
        kwargs.setdefault(
            "initial",
            {
                "standard": inspection.standard_id,
                "year": inspection.date.year,
                "decision": recommended,
                "decided_on": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["decision"].help_text = _("The inspector recommended: %(recommendation)s.") % {
            "recommendation": inspection.get_decision_display()
        }


class CampaignForm(forms.ModelForm):
    class Meta:
        model = InspectionCampaign
        fields = ["standard", "year", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, instance=InspectionCampaign(cooperative=cooperative), **kwargs)
        self.fields["standard"].queryset = Standard.objects.order_by("name")


class CampaignAssignForm(forms.Form):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None)
    producers = forms.ModelMultipleChoiceField(
        label=_("Families"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 12})
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors_of(campaign.cooperative)
        families = Producer.objects.filter(cooperative_id=campaign.cooperative_id, status=Producer.Status.ACTIVE)
        self.fields["producers"].queryset = families.order_by("code")


class SampleDrawForm(forms.Form):
    standard = forms.ModelChoiceField(label=_("Standard"), queryset=Standard.objects.order_by("name"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**62,
        help_text=_("Drawing again with the same seed and members gives the same sample."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who asked for the sample, for which visit."),
    )


class ApprovedListForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.order_by("name"), to_field_name="code"
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("pdf", "PDF")], initial="xlsx")
