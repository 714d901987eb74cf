from django import forms
from django.core.exceptions import ValidationError

from .models import Delivery
from .services import delivery_check_plots


class DeliveryAdminForm(forms.ModelForm):
    """A purchase in the admin: recorded by harvests.services.delivery_record, corrected afterwards."""

    class Meta:
        model = Delivery
        fields = [
            "cooperative",
            "receipt_number",
            "date",
            "producer",
            "plots",
            "collection_centre",
            "state",
            "net_kg",
            "moisture_pct",
            "price_pen_per_kg",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            self._check_plots(cleaned)
        return cleaned

    def _check_plots(self, cleaned):
        producer, plots = cleaned.get("producer"), cleaned.get("plots")
        if producer is None or plots is None:
            return
        try:
            delivery_check_plots(producer=producer, plots=list(plots))
        except ValidationError as error:
            self.add_error(None, error)
