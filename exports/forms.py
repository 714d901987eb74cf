from collections import defaultdict
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Standard
from cooperatives.forms import form_errors
from cooperatives.seasons import season_of
from harvests import ledger
from harvests.models import Delivery

from . import selectors, services
from .models import Lot, Shipment, ShipmentLot

MASS_BALANCE_LABELS = selectors.MASS_BALANCE_FIGURES


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
        claims = defaultdict(Decimal)
        standards = list(self.instance.standards.values_list("pk", flat=True)) if self.instance.pk else []
        for delivery in Delivery.objects.filter(pk__in=[pk for pk in asked if pk in rows or asked[pk] < 0]):
            for standard in standards:
                claims[(standard, season_of(delivery.date))] += asked[delivery.pk]
        try:
            ledger.balance_check(
                cooperative_id=self.instance.cooperative_id, column=ledger.LOTS, moves=claims, field="kg"
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["kg"]) from None
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


class LotAdminForm(forms.ModelForm):
    """A lot in the admin: what it claims is checked as exports.services.lot_claims_settle will apply it."""

    class Meta:
        model = Lot
        fields = ["cooperative", "code", "eudr_segregated", "fairtrade_mode", "standards", "notes"]

    def clean(self):
        cleaned = super().clean()
        lot = self.instance
        if lot.pk is None or not {"standards", "fairtrade_mode"} & set(self.changed_data) or self.errors:
            return cleaned
        standards = list(cleaned.get("standards", []))
        try:
            services.lot_check_claims(lot, standards, cleaned.get("fairtrade_mode", lot.fairtrade_mode))
            moves = services.claims_difference(
                services.lot_claims(lot, [s.pk for s in standards]), services.lot_claims(lot)
            )
            ledger.balance_check(cooperative_id=lot.cooperative_id, column=ledger.LOTS, moves=moves, field="standards")
        except ValidationError as error:
            form_errors(self, error)
        return cleaned


class ShipmentAdminForm(forms.ModelForm):
    """A shipment in the admin: what it claims is checked as exports.services.shipment_claims_settle will apply it."""

    class Meta:
        model = Shipment
        fields = [
            "cooperative",
            "contract",
            "number",
            "departure_date",
            "port_of_loading",
            "destination_country",
            "bags",
            "net_kg",
            "hs_code",
            "price_usd_per_t",
            "certifications_claimed",
            "dds_reference",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        standards = [s.pk for s in cleaned.get("certifications_claimed", [])]
        # Sold from its lots' seasons as saved (a change of lots on this page is checked on saving).
        candidate = Shipment(
            pk=self.instance.pk, departure_date=cleaned.get("departure_date"), net_kg=cleaned["net_kg"]
        )
        after = services.shipment_claims(candidate, standards)
        if standards and not after:
            self.add_error(None, services.shipment_departure_needed())
            return cleaned
        before = services.shipment_claims(Shipment.objects.get(pk=self.instance.pk)) if self.instance.pk else {}
        try:
            ledger.balance_check(
                cooperative_id=getattr(cleaned.get("cooperative"), "pk", None) or self.instance.cooperative_id,
                column=ledger.SOLD,
                moves=services.claims_difference(after, before),
                field="certifications_claimed",
            )
        except ValidationError as error:
            form_errors(self, error)
        return cleaned


class ShipmentLotAdminForm(forms.ModelForm):
    class Meta:
        model = ShipmentLot
        fields = ["shipment", "lot", "kg"]

    def clean(self):
        cleaned = super().clean()
        shipment, lot = cleaned.get("shipment"), cleaned.get("lot")
        if shipment is not None and lot is not None:
            try:
                services.shipment_check_lot(shipment, lot, field="lot")
            except ValidationError as error:
                form_errors(self, error)
        return cleaned


class MassBalanceForm(forms.Form):
    """Which balance to show: a cooperative (when the reader works for several), a season, a standard or all."""

    cooperative = forms.ModelChoiceField(label=_("Cooperative"), queryset=None, required=False)
    season = forms.IntegerField(label=_("Season"), min_value=2000, max_value=2100, required=False)
    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.order_by("name"), to_field_name="code", required=False
    )

    def __init__(self, data=None, *, cooperatives, cooperative=None):
        super().__init__(data)
        self.cooperative = cooperative
        self.fields["standard"].empty_label = _("all")
        if cooperative is not None:
            del self.fields["cooperative"]
        else:
            self.fields["cooperative"].queryset = cooperatives

    def clean(self):
        cleaned = super().clean()
        if self.cooperative is None and "cooperative" in self.fields:
            chosen = cleaned.get("cooperative")
            if chosen is None:
                mine = list(self.fields["cooperative"].queryset[:2])
                if len(mine) != 1:
                    self.add_error("cooperative", _("Choose one of your cooperatives."))
                    return cleaned
                chosen = mine[0]
            self.cooperative = chosen
        return cleaned

    def chosen_season(self):
        return self.cleaned_data.get("season") or timezone.localdate().year

    def report(self):
        """The rows of exports.selectors.mass_balance for what was chosen."""
        standard = self.cleaned_data.get("standard")
        rows = selectors.mass_balance(self.cooperative, self.chosen_season(), [standard] if standard else None)
        return {
            "cooperative": self.cooperative,
            "season": self.chosen_season(),
            "standard": standard,
            "rows": rows,
            "table": selectors.mass_balance_table(rows),
        }


def part_asked(value):
    """Which file of a split EUDR export is wanted (`?part=`), 1 unless told; ValidationError for anything else."""
    return forms.IntegerField(min_value=1, required=False).clean(value) or 1


def pseudonyms_asked(value):
    return (value or "").lower() in ("1", "true", "yes")
