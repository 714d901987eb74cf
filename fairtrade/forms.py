"""The pages' forms: they choose among the cooperative's rows and hand the rest to the services."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.forms import form_errors
from exports.models import Shipment

from . import selectors, services
from .models import Project


class ServiceForm(forms.Form):
    """A form whose write is a service: the service's refusals become the form's errors."""

    service = None  # the services.py function; the form's fields are its keyword arguments

    def record(self):
        """The written row, or None when the service refused (its messages are then on the form)."""
        try:
            return self.service(**self.cleaned_data)
        except ValidationError as error:
            form_errors(self, error)
        return None


class PremiumReceiptForm(ServiceForm):
    service = staticmethod(services.premium_receive)

    shipment = forms.ModelChoiceField(label=_("Shipment"), queryset=Shipment.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    reference = forms.CharField(
        label=_("Reference"), max_length=80, help_text=_("The bank transfer or invoice number.")
    )

    def __init__(self, *args, cooperative, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["shipment"].queryset = selectors.fairtrade_shipments(
            Shipment.objects.for_cooperative(cooperative)
        ).order_by("-departure_date", "number")


class PremiumSpendingForm(ServiceForm):
    service = staticmethod(services.premium_spend)

    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_usd = forms.DecimalField(label=_("Amount (USD)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=60)

    def __init__(self, *args, cooperative, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        # Every project is offered: spending on one no assembly approved is refused with its reason.
        self.fields["project"].queryset = (
            Project.objects.for_cooperative(cooperative).select_related("plan").order_by("-plan__year", "name")
        )
        self.fields["project"].label_from_instance = lambda project: f"{project.plan.year} · {project.name}"


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
