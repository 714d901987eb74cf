from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperatives.validators import normalize_dni

from .models import Producer
from .services import TRANSITIONS


class ProducerAdminForm(forms.ModelForm):
    """A family in the admin; a change of status is recorded by producers.services.producer_change_status."""

    # Long enough for a CUI (the DNI and its check character), stored as the 8 digits.
    dni = forms.CharField(label=_("DNI"), max_length=12)
    status_effective_date = forms.DateField(
        label=_("status effective from"),
        required=False,
        help_text=_("When the status changes: the date it takes effect (today if empty)."),
    )
    status_reason = forms.CharField(
        label=_("reason for the status change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Producer
        fields = [
            "cooperative",
            "code",
            "first_name",
            "last_name",
            "dni",
            "sex",
            "birth_date",
            "phone",
            "community",
            "district",
            "entry_date",
            "status",
            "user",
        ]

    def clean_dni(self):
        return normalize_dni(self.cleaned_data["dni"])

    def clean_status(self):
        to_status = self.cleaned_data["status"]
        from_status = self.instance.status if self.instance.pk else None
        if from_status and to_status != from_status and to_status not in TRANSITIONS[Producer.Status(from_status)]:
            raise ValidationError(
                _("A family cannot go from %(from)s to %(to)s."),
                code="status_transition",
                params={"from": Producer.Status(from_status).label, "to": Producer.Status(to_status).label},
            )
        return to_status
