from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import KG, Delivery
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
        else:
            self._check_not_below_allocated(cleaned)
        return cleaned

    def _check_plots(self, cleaned):
        producer, plots = cleaned.get("producer"), cleaned.get("plots")
        if producer is None or plots is None:
            return
        try:
            delivery_check_plots(producer=producer, plots=list(plots))
        except ValidationError as error:
            self.add_error(None, error)

    def _check_not_below_allocated(self, cleaned):
        """Lots already hold part of this delivery: a correction cannot leave them holding more than it brought."""
        net_kg = cleaned.get("net_kg")
        state = cleaned.get("state", self.instance.state)
        if net_kg is None or not self.instance.allocated_kg:
            return
        dry_kg = net_kg / self.instance.wet_to_dry_ratio if state == Delivery.State.WET else net_kg
        if dry_kg.quantize(KG) < self.instance.allocated_kg:
            self.add_error(
                "net_kg",
                ValidationError(
                    _("Lots already hold %(allocated)s dry kg of this delivery; it cannot weigh less."),
                    code="below_allocated",
                    params={"allocated": self.instance.allocated_kg},
                ),
            )
