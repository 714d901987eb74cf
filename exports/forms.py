from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from harvests.models import Delivery

from . import services


class LotAllocationFormSet(BaseInlineFormSet):
    """A lot's allocations, checked as exports.services will apply them so that a refusal shows on its row.

    The services check again under a row lock when they write (two officers at once).
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        asked = defaultdict(Decimal)  # delivery pk -> dry kg asked for beyond what this lot holds now
        rows = {}
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if form.instance.pk:
                asked[form.initial["delivery"]] -= form.initial["kg"]
            if form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            delivery = form.cleaned_data["delivery"]
            asked[delivery.pk] += form.cleaned_data["kg"]
            rows[delivery.pk] = form
            if form.instance.pk is None or "delivery" in form.changed_data:
                try:
                    services.lot_check_delivery(self.instance, delivery)
                except ValidationError as error:
                    form.add_error(None, error)
        wanted = [pk for pk, kg in asked.items() if kg > 0 and pk in rows]
        for delivery in Delivery.objects.filter(pk__in=wanted):
            available = delivery.dry_kg - delivery.allocated_kg
            if asked[delivery.pk] > available and "kg" in rows[delivery.pk].cleaned_data:
                rows[delivery.pk].add_error(
                    "kg",
                    ValidationError(
                        _("Delivery %(receipt)s has %(available)s dry kg left to allocate; %(kg)s were asked for."),
                        code="over_allocated",
                        params={"receipt": delivery.receipt_number, "available": available, "kg": asked[delivery.pk]},
                    ),
                )

    def save_through_services(self):
        """Apply the rows with lot_allocate, allocation_change and allocation_remove; fill what the admin logs."""
        lot = self.instance
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        moved = []
        for form in self.initial_forms:
            allocation = form.instance
            if form.cleaned_data.get(DELETION_FIELD_NAME):
                services.allocation_remove(allocation=allocation)
                self.deleted_objects.append(allocation)
            elif "delivery" in form.changed_data:
                services.allocation_remove(allocation=allocation)
                moved.append(form)
            elif "kg" in form.changed_data:
                services.allocation_change(allocation=allocation, kg=form.cleaned_data["kg"])
                self.changed_objects.append((allocation, ["kg"]))
        for form in [*moved, *self.extra_forms]:
            if not form.has_changed() or form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            allocation = services.lot_allocate(
                lot=lot, delivery=form.cleaned_data["delivery"], kg=form.cleaned_data["kg"]
            )
            self.new_objects.append(allocation)
