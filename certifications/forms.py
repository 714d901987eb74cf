"""The internal inspection as a field officer records it: the visit, its checklist, its non-conformities."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plots.models import Plot

from .checklists import NUMBER, TEXT, YES_NO, questions_for
from .models import Inspection, NonConformity

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
        fields = ["inspector", "date", "standard", "findings", "decision", "sanction", "sanctioned_plot"]
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
        self.fields["sanctioned_plot"].queryset = Plot.objects.filter(
            cooperative_id=producer.cooperative_id, producer=producer
        ).order_by("code")


class ChecklistForm(forms.Form):
    """One field per question of a standard's checklist (certifications.checklists)."""

    prefix = "checklist"

    def __init__(self, *args, standard_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions_for(standard_code)
        for question in self.questions:
            self.fields[question.key] = self.field_for(question)

    @staticmethod
    def field_for(question):
        if question.kind == YES_NO:
            return forms.ChoiceField(
                label=question.text,
                choices=[(YES, _("Yes")), (NO, _("No"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer this question.")},
            )
        if question.kind == NUMBER:
            return forms.DecimalField(label=question.text, required=False, min_value=0, max_digits=12, decimal_places=2)
        if question.kind == TEXT:
            return forms.CharField(
                label=question.text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
        raise ValueError(f"Unknown kind of question: {question.kind}")

    def answers(self):
        """The answers as Inspection.checklist keeps them: question key → yes/no as true/false, a number, a text."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            if value in (None, ""):
                continue
            if question.kind == YES_NO:
                value = value == YES
            elif question.kind == NUMBER:
                value = int(value) if value == value.to_integral_value() else float(value)
            answers[question.key] = value
        return answers


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
